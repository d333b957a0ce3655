"""What an automatic forecast leaves in its run folder: metrics.json (the mean forecast's test
errors, the backtest's as validation), test_forecast.csv with the interval, forecast.png, and
auto_forecast.md, the search in a table."""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

import torch
from omegaconf import DictConfig
from rich.console import Console

from rnnlab.backtests.auto import auto_forecast
from rnnlab.backtests.backtest import Origin
from rnnlab.config.run_config import RunConfig
from rnnlab.data.registry import build_datamodule
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.several_series import SeveralSeriesDataModule
from rnnlab.forecast.accuracy import forecast_errors
from rnnlab.forecast.several import series_table
from rnnlab.report import (
    metrics_table,
    package_versions,
    write_text_atomically,
)
from rnnlab.run_folder import TEST_FORECAST_FILE, write_report


def options_markdown(choice: dict) -> list[str]:
    """One series' options with their backtest MASE, the chosen marked, and its interval."""
    lines = ["", "What the forecast could be, each scored on the same backtest origins; the "
             "lowest mean MASE is the forecast:", "",
             "| option | backtest MASE per origin | mean |", "|---|---|---|"]  # fmt: skip
    for name, option in choice["options"].items():
        mark = " **chosen**" if name == choice["choice"]["option"] else ""
        origins = " / ".join(f"{m:.3f}" for m in option["per_origin"])
        lines.append(f"| {name}{mark} | {origins} | {option['backtest_mase']:.3f} |")
    intervals = choice["intervals"]
    lines += ["", f"Prediction interval: {intervals['level']:.0%}, forecast +- "
              f"{intervals['halfwidth']:.4g} (conformal on the chosen option's backtest errors; "
              f"leave-one-origin-out coverage on the backtest "
              f"{intervals['backtest_coverage']:.0%})."]  # fmt: skip
    return lines


def several_markdown(series: dict[str, dict], tables: dict[str, dict]) -> list[str]:
    """Several series: each one's choice, its backtest and test MASE, and every option's."""
    names = list(next(iter(series.values()))["options"])
    lines = ["", "Each series gets the option its own backtest favours (backtest MASE per "
             "option; the chosen in bold):", "",
             "| series | chosen | test MASE | 90% interval +- | " + " | ".join(names) + " |",
             "|---|---|---|---|" + "---|" * len(names)]  # fmt: skip
    for name, choice in series.items():
        chosen = choice["choice"]["option"]
        cells = [f"**{o['backtest_mase']:.3f}**" if n == chosen else f"{o['backtest_mase']:.3f}"
                 for n, o in choice["options"].items()]  # fmt: skip
        width = choice["intervals"]["halfwidth"]
        lines.append(f"| {name} | {chosen} | {tables[name]['test/mase']:.3f} | {width:.4g} | "
                     + " | ".join(cells) + " |")  # fmt: skip
    return lines


def search_markdown(summary: dict, metric_names: dict[str, float], tables: dict) -> str:
    lines = [
        "# Automatic forecast",
        "",
        "rnnlab's candidates, scored by the mean MASE of a rolling-origin backtest inside the "
        "training part (no test value seen); the chosen ones (whose mean is rnnlab's "
        "forecast) are marked.",
        "",
        "| candidate | settings | backtest MASE per origin | mean |",
        "|---|---|---|---|",
    ]
    for i, candidate in enumerate(summary["candidates"]):
        mark = " **chosen**" if i in summary["chosen"] else ""
        settings = ", ".join(f"`{k}={v}`" for k, v in candidate["settings"].items()) or "as run"
        origins = " / ".join(f"{m:.3f}" for m in candidate["per_origin"])
        if candidate["refused"]:
            origins = f"not possible here: {candidate['refused']}"
        lines.append(f"| {i}{mark} | {settings} | {origins} | {candidate['backtest_mase']:.3f} |")
    if "series" in summary:
        lines += several_markdown(summary["series"], tables)
    else:
        lines += options_markdown(summary)
    backtest = summary["combined_backtest_mase"]
    lines += ["", f"Final: {final_runs(summary)}; the forecast's test MASE "
              f"{metric_names['test/mase']:.3f} (backtest {backtest:.3f})."]  # fmt: skip
    return "\n".join(lines) + "\n"


def final_runs(summary: dict) -> str:
    if not summary["per_run_mase"]:
        return "no forecast chosen has rnnlab in it, so nothing more was trained"
    runs = ", ".join(f"{m:.3f}" for m in summary["per_run_mase"])
    return (
        f"rnnlab's part is candidates {summary['chosen']}, each refitted through the "
        f"validation period with seeds {summary['seeds']} (test MASE per run {runs})"
    )


def write_forecast_csv(members: dict[str, SeriesDataModule], finals: dict[str, Origin],
                       intervals: dict[str, dict], path: Path) -> None:  # fmt: skip
    """date, truth, forecast, lower, upper per test period; a series column first when the
    file holds several."""
    several = list(members) != [""]
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*(["series"] if several else []), "date", "truth", "forecast", "lower",
                         "upper"])  # fmt: skip
        for name, data in members.items():
            lower, upper = intervals[name]["lower"], intervals[name]["upper"]
            for k, value in enumerate(finals[name].forecast):
                i = data.test_start + k
                row = [data.labels[i], f"{data.values[i].item():.10g}", f"{value:.10g}",
                       f"{lower[k]:.10g}", f"{upper[k]:.10g}"]  # fmt: skip
                writer.writerow([name, *row] if several else row)


def test_errors(final: Origin) -> dict[str, float]:
    truth, forecast = torch.tensor(final.truth), torch.tensor(final.forecast)
    errors = forecast_errors(forecast, truth, final.scale)
    found = {f"test/{k}": errors[k] for k in ("mae", "rmse", "mase")}
    found["test/mse"] = errors["rmse"] ** 2
    if bool((truth > 0).all()):
        found["test/mape"] = errors["mape"]
    return found


def draw(data: object, finals: dict[str, Origin], choices: dict[str, dict], path: Path) -> None:
    """forecast.png: one series beside a bar per option; several, a panel each."""
    from rnnlab.plots import auto_forecast_figure, several_forecasts_figure
    from rnnlab.pyplot import pyplot

    def band(name: str) -> tuple[list[float], list[float], float]:
        intervals = choices[name]["intervals"]
        return intervals["lower"], intervals["upper"], intervals["level"]

    forecasts = {name: torch.tensor(final.forecast).view(1, -1) for name, final in finals.items()}
    if isinstance(data, SeveralSeriesDataModule):
        titles = {name: f"{name}: {c['choice']['option']}" for name, c in choices.items()}
        figure = several_forecasts_figure(data, forecasts, {n: band(n) for n in choices}, titles)
    else:
        options = {name: o["backtest_mase"] for name, o in choices[""]["options"].items()}
        figure = auto_forecast_figure(data, forecasts[""], band(""), options,
                                      choices[""]["choice"]["option"])  # fmt: skip
    figure.savefig(path, dpi=110)
    pyplot().close(figure)


def run_auto_forecast(
    cfg: DictConfig, config: RunConfig, output_dir: Path, started: float
) -> float:
    finals, summary = auto_forecast(cfg, config, output_dir)
    data = build_datamodule(config.data)
    several = isinstance(data, SeveralSeriesDataModule)
    members = data.members if several else {"": data}
    choices = summary["series"] if several else {"": summary}
    tables = {name: test_errors(final) for name, final in finals.items()}
    metrics = {"val/mase": summary["combined_backtest_mase"]}
    if several:
        metrics["test/mase"] = statistics.fmean(t["test/mase"] for t in tables.values())
    else:
        metrics |= tables[""]
    intervals = {name: choice["intervals"] for name, choice in choices.items()}
    write_forecast_csv(members, finals, intervals, output_dir / TEST_FORECAST_FILE)
    if config.plots:
        draw(data, finals, choices, output_dir / "forecast.png")
    write_text_atomically(output_dir / "auto_forecast.md",
                          search_markdown(summary, metrics, tables if several else {}))  # fmt: skip
    report = {
        "metrics": metrics,
        "auto": summary,
        "test_forecast": str(output_dir / TEST_FORECAST_FILE),
        "wall_time_s": round(time.perf_counter() - started, 3),
        "versions": package_versions(),
        "config": summary["config"],
    }
    if several:
        report["series"] = tables
        report["mase_scales"] = {name: final.scale for name, final in finals.items()}
    else:
        report["mase_scale"] = finals[""].scale
    write_report(output_dir, report)
    Console().print(metrics_table(metrics, title="Automatic forecast"))
    if several:
        Console().print(series_table(tables))
    Console().print(f"Run folder: {output_dir}  (the search: auto_forecast.md)")
    return metrics.get(config.optimized_metric, float("nan"))
