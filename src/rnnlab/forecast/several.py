"""Several series, one model: metrics and the test forecast per series, in its own units.

The task trains and logs on each series' own scale (data/several_series.py); here each
series' windows go through the trained model again and come back in that series' units, so
MAE and RMSE are per series, and MASE (unit-free) is also averaged over the series: the
number to compare settings by.
"""

from __future__ import annotations

import csv
from pathlib import Path
from statistics import fmean

import torch
from rich.table import Table as Table_

from rnnlab.data.several_series import SeveralSeriesDataModule
from rnnlab.forecast.forecast_csv import forecast_rows
from rnnlab.tasks import RegressionTask
from rnnlab.tasks.base import SequenceTask
from rnnlab.tasks.predict import predict
from rnnlab.tasks.regression import TargetScaler

Table = dict[str, dict[str, float]]  # series -> {"test/mase": ...}


def series_metrics(task: SequenceTask, data: SeveralSeriesDataModule) -> Table:
    """-> {series: {"val/mae": ..., "test/mase": ...}}: each split's metrics in its units."""
    table: Table = {}
    for name, member in data.members.items():
        to_units = TargetScaler(member.facts)
        row: dict[str, float] = {}
        for split in ("val", "test"):
            x, target = member.splits[split]
            if len(x) == 0:
                continue
            metrics = RegressionTask.metrics_for(member.facts)
            metrics.update(to_units(predict(task, x)), to_units(target))
            row |= {f"{split}/{metric}": float(v) for metric, v in metrics.compute().items()}
        table[name] = row
    return table


def mean_mase(table: Table) -> dict[str, float]:
    """The mean over series of each split's MASE: {"val/mase": ..., "test/mase": ...}."""
    means = {}
    for split in ("val", "test"):
        values = [row[f"{split}/mase"] for row in table.values() if f"{split}/mase" in row]
        if len(values) == len(table):
            means[f"{split}/mase"] = fmean(values)
    return means


def forecasts_per_series(
    task: SequenceTask, data: SeveralSeriesDataModule
) -> dict[str, torch.Tensor]:
    """-> {series: its test windows' forecast (n, horizon) in its units}."""
    return {
        name: TargetScaler(member.facts)(predict(task, member.splits["test"][0]))
        for name, member in data.members.items()
    }


def write_several_test_forecasts(
    data: SeveralSeriesDataModule, forecasts: dict[str, torch.Tensor], path: Path
) -> Path:
    """series, date, truth, forecast: one row per series and test period."""
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["series", "date", "truth", "forecast"])
        for name, member in data.members.items():
            writer.writerows([name, *row] for row in forecast_rows(member, forecasts[name]))
    return path


def series_table(table: Table) -> Table_:
    """The test metrics per series, printed after a run (metrics.json holds val/ too)."""
    columns = [name for name in ("mae", "rmse", "mape", "mase")
               if all(f"test/{name}" in row for row in table.values())]  # fmt: skip
    printed = Table_(title="Test metrics per series (each in its own units)")
    for heading in ("series", *columns):
        printed.add_column(heading, justify="left" if heading == "series" else "right")
    for name, row in table.items():
        printed.add_row(name, *(f"{row[f'test/{column}']:.4g}" for column in columns))
    return printed
