"""A backtest for people: a table of each origin's errors and their mean, and a figure of the
series with every origin's forecast over it."""

from __future__ import annotations

import json
from pathlib import Path

from rnnlab.forecast.backtest import Backtest
from rnnlab.report import write_json_atomically, write_text_atomically


def backtest_markdown(backtest: Backtest, title: str) -> str:
    lines = [f"# {title}", "", "| origin | forecast of | MAE | MASE |", "|---|---|---|---|"]
    for i, origin in enumerate(backtest.origins):
        span = f"{origin.dates[0]} to {origin.dates[-1]}"
        lines.append(
            f"| {i} (last {origin.held_back} held back) | {span} | "
            f"{origin.mae:.4g} | {origin.mase:.3f} |"
        )
    lines.append(
        f"| mean of {len(backtest.origins)} | | {backtest.mean('mae'):.4g} | "
        f"{backtest.mean('mase'):.3f} |"
    )
    return "\n".join(lines) + "\n"


def backtest_figure(backtest: Backtest, dates: list[str], values: list[float], path: Path) -> Path:
    """The series and each origin's forecast (in the origin's colour) over the truth."""
    from rnnlab.pyplot import pyplot

    plt = pyplot()
    position = {date: i for i, date in enumerate(dates)}
    figure, ax = plt.subplots(figsize=(9, 3.6))
    ax.plot(range(len(values)), values, color="0.35", linewidth=1, label="series")
    colours = plt.get_cmap("tab10")
    for i, origin in enumerate(backtest.origins):
        steps = [position[date] for date in origin.dates]
        ax.plot(
            steps,
            origin.forecast,
            color=colours(i % 10),
            marker=".",
            label=f"origin {i}: MASE {origin.mase:.2f}",
        )
    ticks = list(range(0, len(values), max(1, len(values) // 8)))
    ax.set_xticks(ticks, [dates[t] for t in ticks])
    ax.set_xlabel("period")
    ax.set_ylabel("value")
    ax.set_title(
        f"rolling-origin backtest: mean MASE {backtest.mean('mase'):.3f} over "
        f"{len(backtest.origins)} origins"
    )
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def write_backtest(backtest: Backtest, folder: Path, title: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomically(folder / "backtest.json", backtest.to_json())
    write_text_atomically(folder / "backtest.md", backtest_markdown(backtest, title))


def load_backtest(folder: Path) -> dict:
    return json.loads((folder / "backtest.json").read_text())
