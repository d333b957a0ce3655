"""The test period's forecast as a CSV a user (or the benchmark) can read: date, truth,
forecast, one row per test period, from the test windows that tile it without overlap."""

from __future__ import annotations

import csv
from pathlib import Path

import torch

from rnnlab.data.series import SeriesDataModule


def tiled(forecast: torch.Tensor) -> torch.Tensor:
    """Test windows (n, horizon), window i forecasting from test_start + i -> one value per
    test period (test_periods,): windows 0, horizon, 2*horizon, ... laid end to end."""
    horizon = forecast.shape[1]
    periods = len(forecast) + horizon - 1
    return torch.cat([forecast[i] for i in range(0, len(forecast), horizon)])[:periods]


def forecast_rows(data: SeriesDataModule, forecast: torch.Tensor) -> list[list[str]]:
    """forecast (n, horizon) in the series' units -> [date, truth, forecast] per test period."""
    rows = []
    for offset, value in enumerate(tiled(forecast).tolist()):
        index = data.test_start + offset
        rows.append([data.labels[index], f"{data.values[index].item():.10g}", f"{value:.10g}"])
    return rows


def write_test_forecast(data: SeriesDataModule, forecast: torch.Tensor, path: Path) -> Path:
    """forecast (n, horizon) in the series' units -> path with date, truth, forecast rows."""
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["date", "truth", "forecast"])
        writer.writerows(forecast_rows(data, forecast))
    return path


Columns = tuple[list[str], torch.Tensor, torch.Tensor]  # dates, truth, forecast


def read_test_forecast(path: Path) -> Columns:
    """-> (dates, truth, forecast) from a run's test_forecast.csv."""
    with path.open(newline="") as stream:
        return columns(list(csv.DictReader(stream)))


def read_test_forecasts(path: Path) -> dict[str, Columns]:
    """-> {series: (dates, truth, forecast)} from a run's test_forecast.csv; one series' file
    (no series column) gives the key ""."""
    with path.open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    by_series: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_series.setdefault(row.get("series", ""), []).append(row)
    return {name: columns(found) for name, found in by_series.items()}


def columns(rows: list[dict[str, str]]) -> Columns:
    truth = torch.tensor([float(row["truth"]) for row in rows], dtype=torch.float64)
    forecast = torch.tensor([float(row["forecast"]) for row in rows], dtype=torch.float64)
    return [row["date"] for row in rows], truth, forecast
