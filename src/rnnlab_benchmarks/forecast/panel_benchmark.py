"""The panel benchmark's origins, its statsforecast yardsticks and their scores.

Origins are fixed before anything runs, by one rule: from each series' end, count back one
season at a time. The last 3 seasons are the test origins, each forecast one season ahead
from the data before it; the 2 seasons before those are the validation origins, where any
choice is made. MASE is scaled by the seasonal naive forecast's in-sample MAE on the data
before each origin; sMAPE is 200 |y - f| / (|y| + |f|) averaged over the season (0 where
both are 0).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from rnnlab.forecast.yardsticks import YARDSTICKS, yardstick
from rnnlab_benchmarks.forecast.panel_data import PanelSeries

TEST_ORIGINS, VALIDATION_ORIGINS = 3, 2
COMBINED = ("AutoETS", "AutoARIMA", "AutoTheta")  # the combination: their mean
COMBINATION = "combination (mean of AutoETS, AutoARIMA, AutoTheta)"


@dataclass(frozen=True)
class Origin:
    series: int  # index into the panel's series
    stage: str  # "validation" or "test"
    cutoff: int  # the model sees values[:cutoff] and forecasts values[cutoff:cutoff + season]


def origins_of(series: Sequence[PanelSeries]) -> list[Origin]:
    """Every series' 5 origins, oldest first: 2 validation, then 3 test."""
    found = []
    for index, one in enumerate(series):
        back = range(VALIDATION_ORIGINS + TEST_ORIGINS, 0, -1)
        for k in back:
            stage = "test" if k <= TEST_ORIGINS else "validation"
            found.append(Origin(index, stage, len(one.values) - k * one.season))
    return found


def mase(actual: np.ndarray, forecast: np.ndarray, history: np.ndarray, season: int) -> float:
    scale = np.abs(history[season:] - history[:-season]).mean()
    return float(np.abs(actual - forecast).mean() / scale)


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(np.abs(actual - forecast), denominator,
                      out=np.zeros_like(denominator), where=denominator > 0)  # fmt: skip
    return float(200 * ratio.mean())


def forecasts_of_one(
    name: str, series: Sequence[PanelSeries], windows: int = VALIDATION_ORIGINS + TEST_ORIGINS
) -> tuple[dict[tuple[int, int], list[float]], float]:
    """One yardstick at every origin of every series: {(series, cutoff): forecast}, and the
    CPU seconds it took (this process's own, numba's compilation included)."""
    started = time.process_time()
    forecasts: dict[tuple[int, int], list[float]] = {}
    for (unique_id, cutoff), rows in cross_validation(name, series, windows).groupby(
        ["unique_id", "cutoff"]
    ):
        forecasts[(int(unique_id), int(cutoff) + 1)] = rows.sort_values("ds")[name].tolist()
    return forecasts, time.process_time() - started


def cross_validation(name: str, series: Sequence[PanelSeries], windows: int,
                     level: int | None = None) -> Any:  # fmt: skip
    """statsforecast's cross_validation of one yardstick over the last `windows` seasons of
    every series, one season ahead each (with `level`: its own prediction interval too)."""
    import pandas as pd
    from statsforecast import StatsForecast

    os.environ.setdefault("NIXTLA_ID_AS_COL", "1")
    frames = []
    for season in sorted({one.season for one in series}):
        members = [i for i, one in enumerate(series) if one.season == season]
        frame = pd.concat([pd.DataFrame({"unique_id": i, "ds": np.arange(len(series[i].values)),
                                         "y": series[i].values}) for i in members])  # fmt: skip
        engine = StatsForecast(models=[yardstick(name, season)], freq=1, n_jobs=1)
        frames.append(engine.cross_validation(df=frame, h=season, n_windows=windows,
                                              step_size=season,
                                              level=[level] if level else None))  # fmt: skip
    return pd.concat(frames)


def yardstick_forecasts(
    series: Sequence[PanelSeries], workers: int = 2
) -> tuple[dict[str, dict[tuple[int, int], list[float]]], dict[str, float]]:
    """Every yardstick's forecasts and CPU minutes, yardsticks in parallel processes."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = dict(zip(YARDSTICKS, pool.map(forecasts_of_one, YARDSTICKS,
                                             [series] * len(YARDSTICKS)), strict=True))  # fmt: skip
    forecasts = {name: found for name, (found, _) in done.items()}
    minutes = {name: seconds / 60 for name, (_, seconds) in done.items()}
    forecasts[COMBINATION] = {
        key: list(np.mean([forecasts[name][key] for name in COMBINED], axis=0))
        for key in forecasts[COMBINED[0]]
    }
    minutes[COMBINATION] = sum(minutes[name] for name in COMBINED)
    return forecasts, minutes


@dataclass
class Score:
    mase: float
    smape: float


def scores(
    series: Sequence[PanelSeries],
    origins: Sequence[Origin],
    forecasts: dict[tuple[int, int], list[float]],
) -> list[Score]:
    """One score per origin, in the order given."""
    found = []
    for origin in origins:
        one = series[origin.series]
        actual = one.values[origin.cutoff : origin.cutoff + one.season]
        forecast = np.asarray(forecasts[(origin.series, origin.cutoff)], dtype=np.float64)
        history = one.values[: origin.cutoff]
        found.append(Score(mase(actual, forecast, history, one.season), smape(actual, forecast)))
    return found


def summary(method_scores: list[Score], naive: list[Score]) -> dict[str, Any]:
    """Mean and median MASE and sMAPE over series-origins, and the share beating naive."""
    m = np.array([s.mase for s in method_scores])
    p = np.array([s.smape for s in method_scores])
    beats = np.array([s.mase < n.mase for s, n in zip(method_scores, naive, strict=True)])
    return {"origins": len(m), "mean_mase": float(m.mean()), "median_mase": float(np.median(m)),
            "mean_smape": float(p.mean()), "median_smape": float(np.median(p)),
            "beats_naive": float(beats.mean())}  # fmt: skip
