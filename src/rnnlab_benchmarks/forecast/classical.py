"""Classical forecasters chosen per series, the references a forecasting benchmark needs:
seasonal naive, exponential smoothing (ETS) chosen by AICc, and ARIMA chosen by
pmdarima's auto_arima. statsmodels and pmdarima load only here (the `benchmark` extra)."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np


def seasonal_naive(train: np.ndarray, horizon: int, season: int) -> np.ndarray:
    repeats = -(-horizon // season)
    return np.tile(train[-season:], repeats)[:horizon]


def ets_by_aicc(train: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """The ETS model of lowest AICc among additive or multiplicative errors, none, additive
    or damped trend, and none, additive or multiplicative season (multiplicative parts only
    for positive series), as R's forecast::ets and statsforecast's AutoETS choose."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    positive = bool((train > 0).all())
    kinds = ("add", "mul") if positive else ("add",)
    seasons = (None, *kinds) if season > 1 and len(train) >= 2 * season + 2 else (None,)
    best, best_aicc = None, math.inf
    for error, trend, damped, seasonal in itertools.product(
        kinds, (None, "add"), (False, True), seasons
    ):
        if damped and trend is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = ETSModel(
                    train,
                    error=error,
                    trend=trend,
                    damped_trend=damped,
                    seasonal=seasonal,
                    seasonal_periods=season if seasonal else None,
                ).fit(disp=False)
            except (ValueError, np.linalg.LinAlgError):
                continue
        if np.isfinite(fit.aicc) and fit.aicc < best_aicc:
            best, best_aicc = fit, fit.aicc
    if best is None:
        return seasonal_naive(train, horizon, season)
    return np.asarray(best.forecast(horizon))


def auto_arima(train: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """pmdarima's stepwise search (Hyndman & Khandakar 2008), seasonal where there is one."""
    import pmdarima

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = pmdarima.auto_arima(
            train,
            seasonal=season > 1,
            m=max(season, 1),
            suppress_warnings=True,
            error_action="ignore",
        )
        return np.asarray(model.predict(horizon))


CLASSICAL = {
    "seasonal naive": seasonal_naive,
    "ETS (by AICc)": ets_by_aicc,
    "ARIMA (auto_arima)": auto_arima,
}
