"""A backtest for people: a table of each origin's errors and their mean, and a figure of the
series with every origin's forecast over it."""

from __future__ import annotations

import json
from pathlib import Path

from rnnlab.backtests.backtest import Backtest
from rnnlab.report import write_json_atomically, write_text_atomically


def backtest_markdown(backtest: Backtest, title: str) -> str:
    several = any(origin.series for origin in backtest.origins)
    head = "| series " if several else ""
    lines = [f"# {title}", "", f"{head}| origin | forecast of | MAE | MASE |",
             "|---" * (5 if several else 4) + "|"]  # fmt: skip
    held_back = sorted({origin.held_back for origin in backtest.origins})
    for origin in backtest.origins:
        span = f"{origin.dates[0]} to {origin.dates[-1]}"
        first = f"| {origin.series} " if several else ""
        lines.append(f"{first}| {held_back.index(origin.held_back)} (last {origin.held_back} "
                     f"held back) | {span} | {origin.mae:.4g} | {origin.mase:.3f} |")  # fmt: skip
    over = f"{len(held_back)} origins x {len(backtest.origins) // len(held_back)} series"
    lines.append(f"{'| ' if several else ''}| mean of {over if several else len(held_back)} | "
                 f"| {backtest.mean('mae'):.4g} | {backtest.mean('mase'):.3f} |")  # fmt: skip
    return "\n".join(lines) + "\n"


MAX_PANELS = 8  # series drawn in a several-series backtest's figure


def backtest_figure(backtest: Backtest, series: dict[str, tuple[list[str], list[float]]],
                    path: Path) -> Path:  # fmt: skip
    """Each series (dates, values; the first MAX_PANELS) and each origin's forecast (in the
    origin's colour) over its truth, a panel per series."""
    from rnnlab.pyplot import pyplot

    plt = pyplot()
    names = list(series)[:MAX_PANELS]
    figure, axes = plt.subplots(len(names), 1, figsize=(9, 3.6 * len(names)), squeeze=False)
    colours = plt.get_cmap("tab10")
    for ax, name in zip(axes.flat, names, strict=True):
        dates, values = series[name]
        position = {date: i for i, date in enumerate(dates)}
        ax.plot(range(len(values)), values, color="0.35", linewidth=1, label="series")
        own = [origin for origin in backtest.origins if origin.series == name]
        for i, origin in enumerate(own):
            ax.plot([position[date] for date in origin.dates], origin.forecast,
                    color=colours(i % 10), marker=".",
                    label=f"origin {i}: MASE {origin.mase:.2f}")  # fmt: skip
        ticks = list(range(0, len(values), max(1, len(values) // 8)))
        ax.set_xticks(ticks, [dates[t] for t in ticks])
        ax.set_xlabel("period")
        ax.set_ylabel(name or "value")
        mean = Backtest(own).mean("mase")
        ax.set_title(f"{name + ': ' if name else ''}rolling-origin backtest: mean MASE "
                     f"{mean:.3f} over {len(own)} origins")  # fmt: skip
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
