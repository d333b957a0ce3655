"""What an automatic forecast leaves in its run folder: metrics.json (the mean forecast's test
errors, the backtest's as validation), test_forecast.csv with the interval, forecast.png, and
auto_forecast.md, the search in a table."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import torch
from omegaconf import DictConfig
from rich.console import Console

from rnnlab.config.run import RunConfig
from rnnlab.data.registry import build_datamodule
from rnnlab.data.series import SeriesDataModule
from rnnlab.forecast.auto import auto_forecast
from rnnlab.forecast.errors import forecast_errors
from rnnlab.report import (
    metrics_table,
    package_versions,
    write_json_atomically,
    write_text_atomically,
)


def search_markdown(summary: dict, metric_names: dict[str, float]) -> str:
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
    lines += ["", "What the forecast could be, each scored on the same backtest origins; the "
              "lowest mean MASE is the forecast:", "",
              "| option | backtest MASE per origin | mean |", "|---|---|---|"]  # fmt: skip
    choice = summary["choice"]["option"]
    for name, option in summary["options"].items():
        mark = " **chosen**" if name == choice else ""
        origins = " / ".join(f"{m:.3f}" for m in option["per_origin"])
        lines.append(f"| {name}{mark} | {origins} | {option['backtest_mase']:.3f} |")
    intervals = summary["intervals"]
    lines += ["", f"Final: {choice} (backtest MASE {summary['combined_backtest_mase']:.3f}); "
              f"{final_runs(summary)}; the forecast's test MASE {metric_names['test/mase']:.3f}, "
              f"MAE {metric_names['test/mae']:.4g}.", "",
              f"Prediction interval: {intervals['level']:.0%}, forecast +- "
              f"{intervals['halfwidth']:.4g} (conformal on the chosen option's backtest errors; "
              f"leave-one-origin-out coverage on the backtest "
              f"{intervals['backtest_coverage']:.0%})."]  # fmt: skip
    return "\n".join(lines) + "\n"


def final_runs(summary: dict) -> str:
    if not summary["per_run_mase"]:
        return "rnnlab is not in it, so nothing more was trained"
    runs = ", ".join(f"{m:.3f}" for m in summary["per_run_mase"])
    return (
        f"rnnlab's part is candidates {summary['chosen']}, each refitted through the "
        f"validation period with seeds {summary['seeds']} (test MASE per run {runs})"
    )


def write_forecast_csv(
    data: SeriesDataModule, forecast: list[float], intervals: dict, path: Path
) -> None:
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["date", "truth", "forecast", "lower", "upper"])
        for k, value in enumerate(forecast):
            i = data.test_start + k
            writer.writerow(
                [
                    data.labels[i],
                    f"{data.values[i].item():.10g}",
                    f"{value:.10g}",
                    f"{intervals['lower'][k]:.10g}",
                    f"{intervals['upper'][k]:.10g}",
                ]
            )


def run_auto_forecast(
    cfg: DictConfig, config: RunConfig, output_dir: Path, started: float
) -> float:
    final, summary = auto_forecast(cfg, config, output_dir)
    data = build_datamodule(config.data)
    assert isinstance(data, SeriesDataModule)
    truth, forecast = torch.tensor(final.truth), torch.tensor(final.forecast)
    errors = forecast_errors(forecast, truth, final.scale)
    metrics = {
        "val/mase": summary["combined_backtest_mase"],
        "test/mae": errors["mae"],
        "test/rmse": errors["rmse"],
        "test/mse": errors["rmse"] ** 2,
        "test/mase": errors["mase"],
    }
    if bool((truth > 0).all()):
        metrics["test/mape"] = errors["mape"]
    write_forecast_csv(data, final.forecast, summary["intervals"], output_dir / "test_forecast.csv")
    if config.plots:
        from rnnlab.plots import auto_forecast_figure
        from rnnlab.pyplot import pyplot

        intervals = summary["intervals"]
        band = (intervals["lower"], intervals["upper"], intervals["level"])
        options = {name: o["backtest_mase"] for name, o in summary["options"].items()}
        figure = auto_forecast_figure(data, forecast.view(1, -1), band, options,
                                      summary["choice"]["option"])  # fmt: skip
        figure.savefig(output_dir / "forecast.png", dpi=110)
        pyplot().close(figure)
    write_text_atomically(output_dir / "auto_forecast.md", search_markdown(summary, metrics))
    report = {
        "metrics": metrics,
        "auto": summary,
        "mase_scale": final.scale,
        "test_forecast": str(output_dir / "test_forecast.csv"),
        "wall_time_s": round(time.perf_counter() - started, 3),
        "versions": package_versions(),
        "config": summary["config"],
    }
    write_json_atomically(output_dir / "metrics.json", report)
    Console().print(metrics_table(metrics, title="Automatic forecast"))
    Console().print(f"Run folder: {output_dir}  (the search: auto_forecast.md)")
    return metrics.get(config.optimized_metric, float("nan"))
