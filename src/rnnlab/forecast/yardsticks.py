"""statsforecast's classical models (Nixtla), fitted per series: the yardsticks a recurrent
forecast is judged against, and candidates automatic forecasting weighs against rnnlab's own.
statsforecast (`pip install -e ".[forecast]"`) is imported only when one is fitted."""

from __future__ import annotations

from typing import Any

import numpy as np

from rnnlab.config.choices import ClassicalModel

YARDSTICKS = tuple(ClassicalModel.names())


def yardstick(name: str, season: int) -> Any:
    """The statsforecast model called `name`, for a season of `season` periods."""
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

    models = {"SeasonalNaive": SeasonalNaive, "AutoETS": AutoETS, "AutoARIMA": AutoARIMA,
              "AutoTheta": AutoTheta}  # fmt: skip
    return models[name](season_length=season)


def yardstick_forecast(name: str, history: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """(horizon,) forecast of the periods after `history` (length,), fitted on it alone."""
    model = yardstick(name, season)
    return np.asarray(model.forecast(y=history.astype(np.float64), h=horizon)["mean"])
