"""Classical forecasts of a series' last `horizon` values from everything before them.

statsmodels (`pip install -e ".[baselines]"`) fits SARIMA and Holt-Winters; it is imported
only here, so training never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

Forecaster = Callable[[np.ndarray, int, int], np.ndarray]


def naive(train: np.ndarray, horizon: int, season: int) -> np.ndarray:
    return np.repeat(train[-1], horizon)


def seasonal_naive(train: np.ndarray, horizon: int, season: int) -> np.ndarray:
    repeats = -(-horizon // season)
    return np.tile(train[-season:], repeats)[:horizon]


def sarima_airline(train: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """SARIMA(0,1,1)(0,1,1)_s on log values: Box & Jenkins' airline model."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    model = SARIMAX(np.log(train), order=(0, 1, 1), seasonal_order=(0, 1, 1, season))
    return np.exp(model.fit(disp=False).forecast(horizon))


def holt_winters(train: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """Holt-Winters with additive trend and multiplicative seasonality."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    model = ExponentialSmoothing(train, trend="add", seasonal="mul", seasonal_periods=season)
    return model.fit().forecast(horizon)


BASELINES: dict[str, Forecaster] = {
    "naive (last value)": naive,
    "seasonal naive": seasonal_naive,
    "SARIMA (0,1,1)(0,1,1) on log": sarima_airline,
    "Holt-Winters, add. trend, mult. season": holt_winters,
}


def baseline_forecasts(values: torch.Tensor, horizon: int, season: int) -> dict[str, torch.Tensor]:
    """Each baseline's forecast of values[-horizon:] from values[:-horizon]."""
    train = values[:-horizon].double().numpy()
    return {name: torch.as_tensor(np.asarray(f(train, horizon, season), dtype=np.float64))
            for name, f in BASELINES.items()}  # fmt: skip
