"""What a finished run leaves in its folder: metrics.json, the test forecast, the figure,
TensorBoard's HPARAMS row, MLflow's copies and the printed table.

Written from a RunRecord (plain values, no Trainer), so a run trained alone and a replica
trained in a stacked group leave the same folder through the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from lightning.pytorch.loggers import Logger, MLFlowLogger, TensorBoardLogger
from rich.console import Console

from rnnlab.config.convert import plain
from rnnlab.config.run_config import RunConfig
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.several_series import SeveralSeriesDataModule
from rnnlab.forecast.forecast_csv import write_test_forecast
from rnnlab.forecast.several import (
    forecasts_per_series,
    mean_mase,
    series_metrics,
    series_table,
    write_several_test_forecasts,
)
from rnnlab.hparams import flat_hyperparameters, log_run_hparams
from rnnlab.loggers import find_logger, report_to_mlflow, setting
from rnnlab.report import metrics_table, package_versions
from rnnlab.run_folder import METRICS_FILE, TEST_FORECAST_FILE, write_report
from rnnlab.tasks import SequenceTask
from rnnlab.tasks.predict import predict_test_split


@dataclass
class RunRecord:
    """How a fit went, as its report states it."""

    best: str | None  # the best checkpoint's path (None: no monitored metric)
    last: str | None  # checkpoints/last.ckpt, where there is one
    epochs: float  # passes over the training data (64.1: stopped a tenth into the 65th)
    global_step: int  # optimizer steps taken
    logged_step: int  # the step TensorBoard's figure is shown at
    world_size: int
    device: str
    loggers: list[Logger] = field(default_factory=list)
    wall_time_s: float = 0.0
    stacked: dict[str, Any] | None = None  # a stacked sweep's job: its group and replicas


def load_best_weights(task: SequenceTask, best: str | None) -> None:
    """The best checkpoint's weights into `task`, for what is drawn and written from them
    (loaded explicitly: under ddp_spawn the test ran elsewhere and this task never saw them)."""
    if best is not None:
        task.load_state_dict(torch.load(best, map_location="cpu", weights_only=True)["state_dict"])


def figure_title(config: RunConfig, metrics: dict[str, float]) -> str:
    """'lstm, hidden 64 x 2 layers, on passengers: test mase 0.61, mape 3.9, mae 17.2'."""
    model = config.model
    shape = f"hidden {model.hidden_size} x {model.num_layers} layer" + "s" * (model.num_layers > 1)
    shown = [name for name in ("mase", "mape", "mae", "acc", "mse") if f"test/{name}" in metrics]
    scores = [f"{name} {metrics[f'test/{name}']:.3g}" for name in shown[:3]]
    bidirectional = ", bidirectional" if model.bidirectional else ""
    return f"{model.kind}, {shape}{bidirectional}, on {config.data.name}: test {', '.join(scores)}"


def draw_figures(
    task: SequenceTask,
    datamodule: InMemoryDataModule,
    record: RunRecord,
    output_dir: Path,
    title: str = "",
) -> Path:
    from rnnlab.plots import save_test_figure  # matplotlib loads only here

    logger = find_logger(record.loggers, TensorBoardLogger)
    return save_test_figure(task, datamodule, output_dir, logger, record.logged_step, title)


def add_forecasts(report: dict[str, Any], metrics: dict[str, float], task: SequenceTask,
                  datamodule: InMemoryDataModule, output_dir: Path) -> None:  # fmt: skip
    """A forecasting run's test_forecast.csv; with several series, each one's metrics in its
    own units and their mean MASE (the number to compare settings by) too."""
    if isinstance(datamodule, SeriesDataModule):
        forecast, _ = predict_test_split(task, datamodule)
        path = write_test_forecast(datamodule, forecast, output_dir / TEST_FORECAST_FILE)
        report["test_forecast"] = str(path)
    if isinstance(datamodule, SeveralSeriesDataModule):
        report["series"] = series_metrics(task, datamodule)  # each in its own units
        report["mase_scales"] = {name: m.facts.mase_scale for name, m in datamodule.members.items()}
        metrics |= mean_mase(report["series"])
        forecasts = forecasts_per_series(task, datamodule)
        path = write_several_test_forecasts(datamodule, forecasts, output_dir / TEST_FORECAST_FILE)
        report["test_forecast"] = str(path)


def write_outputs(
    config: RunConfig,
    output_dir: Path,
    record: RunRecord,
    task: SequenceTask,
    datamodule: InMemoryDataModule,
    metrics: dict[str, float],
    multirun: bool = False,
) -> None:
    """metrics.json (atomically, last: its presence means the run finished), the test
    figure, TensorBoard's HPARAMS entry and the printed table. Called on rank zero only."""
    best, last, steps = record.best, record.last, record.global_step
    report = {
        "metrics": metrics,
        "best_checkpoint": best,
        "last_checkpoint": last,
        "epochs": record.epochs,
        "global_step": steps,
        "world_size": record.world_size,
        "num_parameters": sum(p.numel() for p in task.model.parameters()),
        "split_sizes": datamodule.split_sizes(),
        "window": datamodule.facts.window,  # a forecasting run's, as fitted to its series
        "mase_scale": datamodule.facts.mase_scale,
        "device": record.device,
        "cuda_graph": task.cuda_graph_status,
        "torch_threads": torch.get_num_threads(),
        "wall_time_s": record.wall_time_s,
        "versions": package_versions(),
        "config": plain(config),
    }
    if record.stacked is not None:
        report["stacked"] = record.stacked
    load_best_weights(task, best)
    add_forecasts(report, metrics, task, datamodule, output_dir)
    if config.plots:
        title = figure_title(config, metrics)
        report["figure"] = str(draw_figures(task, datamodule, record, output_dir, title))
    hparams = flat_hyperparameters(plain(config))
    tensorboard = find_logger(record.loggers, TensorBoardLogger)
    if tensorboard is not None:
        # a sweep writes one experiment over all its jobs when it ends (sweep/callback.py)
        log_run_hparams(tensorboard, hparams, metrics, steps, experiment=not multirun)
    write_report(output_dir, report)
    mlflow = find_logger(record.loggers, MLFlowLogger)
    if mlflow is not None:
        files = [Path(report[key]) for key in ("figure", "test_forecast") if key in report]
        if setting(config.logger["mlflow"], "log_checkpoint") and (best or last):
            files.append(Path(best or last))
        report_to_mlflow(mlflow, hparams, metrics, steps, [*files, output_dir / METRICS_FILE])
    console = Console()
    console.print(metrics_table(metrics))
    if "series" in report:
        console.print(series_table(report["series"]))
    console.print(f"Run folder: {output_dir}")
