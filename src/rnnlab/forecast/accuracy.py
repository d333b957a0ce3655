"""Forecast errors in the series' own units, the way the forecasting literature reports them."""

from __future__ import annotations

import torch
from torchmetrics.functional import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
)


def seasonal_naive_scale(train: torch.Tensor, season: int) -> float:
    """MASE's denominator (Hyndman & Koehler 2006): the in-sample MAE of the seasonal naive
    forecast y_t = y_{t - season} on the training part."""
    if len(train) <= season:
        raise ValueError(f"{len(train)} training values leave no seasonal difference at {season}")
    return float((train[season:] - train[:-season]).abs().mean())


def forecast_errors(
    forecast: torch.Tensor, truth: torch.Tensor, mase_scale: float
) -> dict[str, float]:
    """MAE, RMSE, MAPE (%) and MASE of a forecast against the truth, both in data units."""
    return {
        "mae": float(mean_absolute_error(forecast, truth)),
        "rmse": float(mean_squared_error(forecast, truth, squared=False)),
        "mape": 100.0 * float(mean_absolute_percentage_error(forecast, truth)),
        "mase": float(mean_absolute_error(forecast, truth)) / mase_scale,
    }
