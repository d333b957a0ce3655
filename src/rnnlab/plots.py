"""Figures a finished run leaves for people to look at: a forecast plot, predictions against
truth, or a confusion matrix. Saved as PNG in the run folder and as TensorBoard images.

matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.several_series import SeveralSeriesDataModule
from rnnlab.forecast.several import forecasts_per_series
from rnnlab.pyplot import pyplot
from rnnlab.tasks import SequenceTask
from rnnlab.tasks.predict import predict_test_split

MAX_PANELS = 8  # the several-series figure's panels, two to a row


def forecast_figure(
    data: SeriesDataModule,
    forecast: torch.Tensor,
    band: tuple[list[float], list[float], float] | None = None,
) -> Any:
    """History, the truth over the test period, and the forecast. `band`: a prediction
    interval over the test period (lower, upper, level) drawn shaded."""
    figure, ax = pyplot().subplots(figsize=(9, 3.6))
    draw_forecast(ax, data, forecast, band)
    ax.legend()
    figure.tight_layout()
    return figure


def auto_forecast_figure(
    data: SeriesDataModule,
    forecast: torch.Tensor,
    band: tuple[list[float], list[float], float],
    options: dict[str, float],
    chosen: str,
) -> Any:
    """The forecast beside what it was chosen from: each option's backtest MASE as a bar,
    the chosen one red (automatic forecasting)."""
    figure, (ax, bars) = pyplot().subplots(
        1, 2, figsize=(13, 3.8), gridspec_kw={"width_ratios": [2.2, 1]}
    )
    draw_forecast(ax, data, forecast, band)
    ax.set_title(f"forecast: {chosen}")
    ax.legend()
    names = sorted(options, key=options.__getitem__, reverse=True)  # best at the top
    colours = ["tab:red" if name == chosen else "0.6" for name in names]
    bars.barh(range(len(names)), [options[n] for n in names], color=colours)
    bars.set_yticks(range(len(names)), names, fontsize=7)
    bars.set_xlabel("backtest MASE (mean over origins)")
    bars.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return figure


def several_forecasts_figure(
    data: SeveralSeriesDataModule,
    forecasts: dict[str, Any],
    bands: dict[str, tuple[list[float], list[float], float]] | None = None,
    titles: dict[str, str] | None = None,
) -> Any:
    """One panel per series (the first MAX_PANELS), two to a row; `bands`: each series'
    prediction interval, `titles`: each panel's title (default: the series' name)."""
    names = list(forecasts)[:MAX_PANELS]
    rows = (len(names) + 1) // 2
    figure, axes = pyplot().subplots(rows, 2, figsize=(12, 3.2 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        draw_forecast(ax, data.members[name], forecasts[name], (bands or {}).get(name))
        ax.set_title((titles or {}).get(name, name))
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    axes.flat[0].legend()
    figure.tight_layout()
    return figure


def draw_forecast(
    ax: Any,
    data: SeriesDataModule,
    forecast: torch.Tensor,
    band: tuple[list[float], list[float], float] | None = None,
) -> None:
    """Test windows that tile the period without overlap (window i starts its targets at
    test_start + i), over the history and the truth."""
    horizon = forecast.shape[1]
    steps, values, forecast = range(len(data.values)), data.values.numpy(), forecast.numpy()
    ax.plot(steps[: data.test_start], values[: data.test_start], color="0.4", label="history")
    ax.plot(steps[data.test_start :], values[data.test_start :], color="black", label="truth")
    for i in range(0, len(forecast), horizon):
        start = data.test_start + i
        span = steps[start : start + horizon]
        ax.plot(span, forecast[i, : len(span)], color="tab:red", marker=".",
                label="forecast" if i == 0 else None)  # fmt: skip
    if band is not None:
        lower, upper, level = band
        span = steps[data.test_start : data.test_start + len(lower)]
        ax.fill_between(span, lower, upper, color="tab:red", alpha=0.15,
                        label=f"{level:.0%} interval")  # fmt: skip
    ax.axvline(data.test_start - 0.5, color="0.7", linestyle="--")
    ticks = list(range(0, len(data.values), max(1, len(data.values) // 8)))
    ax.set_xticks(ticks, [data.labels[t] for t in ticks])
    ax.set_xlabel(getattr(data.config, "date_column", None) or "period")
    ax.set_ylabel(data.series.column)
    ax.grid(alpha=0.3)


def scatter_figure(prediction: torch.Tensor, truth: torch.Tensor) -> Any:
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.scatter(truth.flatten().numpy(), prediction.flatten().numpy(), s=6, alpha=0.5)
    low, high = float(truth.min()), float(truth.max())
    ax.plot([low, high], [low, high], color="black", linewidth=1)
    ax.set_xlabel("truth")
    ax.set_ylabel("prediction")
    figure.tight_layout()
    return figure


def confusion_figure(logits: torch.Tensor, target: torch.Tensor, classes: int) -> Any:
    from torchmetrics.functional.classification import multiclass_confusion_matrix

    plt = pyplot()
    matrix = multiclass_confusion_matrix(logits.reshape(-1, classes), target.flatten(), classes)
    figure, ax = plt.subplots(figsize=(1.2 + 0.5 * classes, 1 + 0.5 * classes))
    ax.imshow(matrix.numpy(), cmap="Blues")
    for row in range(classes):
        for column in range(classes):
            count = int(matrix[row, column])
            ax.text(column, row, str(count), ha="center", va="center", fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_xticks(range(classes))
    ax.set_yticks(range(classes))
    figure.tight_layout()
    return figure


def draw_test_figure(task: SequenceTask, datamodule: InMemoryDataModule) -> tuple[str, Any]:
    """-> (name, figure) fitting the task: forecast, scatter or confusion_matrix."""
    if isinstance(datamodule, SeveralSeriesDataModule):
        return "forecast", several_forecasts_figure(
            datamodule, forecasts_per_series(task, datamodule)
        )
    prediction, target = predict_test_split(task, datamodule)
    if isinstance(datamodule, SeriesDataModule):
        return "forecast", forecast_figure(datamodule, prediction)
    if task.facts.task == "regression":
        return "predictions", scatter_figure(prediction, target)
    return "confusion_matrix", confusion_figure(prediction, target, task.facts.output_size)


def save_test_figure(task: SequenceTask, datamodule: InMemoryDataModule, output_dir: Path,
                     logger: Any | None, step: int, title: str = "") -> Path:  # fmt: skip
    """Write <name>.png into the run folder and, with a TensorBoard logger, `test/<name>`;
    `title` (the model and its test metrics) heads it."""
    name, figure = draw_test_figure(task, datamodule)
    if title:
        figure.suptitle(title, fontsize=10)
        figure.tight_layout()
    path = output_dir / f"{name}.png"
    figure.savefig(path, dpi=110)
    if logger is not None:
        logger.experiment.add_figure(f"test/{name}", figure, global_step=step)
    pyplot().close(figure)
    return path
