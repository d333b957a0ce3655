"""What automatic forecasting chooses among: rnnlab's forecast (its best candidates' mean),
each classical model of `auto.classical`, and means of those, all scored on the same
backtest origins. The forecast its backtest favours is the one the user gets.

Only forecasters that can be scored enter the choice: seasonal naive is a yardstick and
never averaged in (it would only drag a combination towards last season's values).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from rnnlab.backtests.backtest import Backtest, Origin
from rnnlab.config.data import SeriesConfig
from rnnlab.data.registry import series_values
from rnnlab.data.series_file import SeriesValues
from rnnlab.forecast.accuracy import seasonal_naive_scale
from rnnlab.forecast.yardsticks import yardstick_forecast

RNNLAB = "rnnlab"
NOT_POOLED = ("SeasonalNaive",)


def mean_origin(origins: Sequence[Origin]) -> Origin:
    """The mean of several forecasters' forecasts at one origin (each its seeds' mean first,
    so each forecaster weighs the same however many runs it made)."""
    first = origins[0]
    mean = [statistics.fmean(values) for values in zip(*(o.forecast for o in origins), strict=True)]
    return Origin(first.held_back, first.dates, first.truth, [mean], first.scale, first.series)


def mean_backtest(backtests: Sequence[Backtest]) -> Backtest:
    """Origin by origin, the mean of the backtests' forecasts."""
    return Backtest([mean_origin(list(at)) for at in zip(*(b.origins for b in backtests),
                                                         strict=True)])  # fmt: skip


def classical_origin(
    series: SeriesValues, data: SeriesConfig, held_back: int, name: str, label: str = ""
) -> Origin:
    """`name` fitted on what an rnnlab run holding back `held_back` trains and validates on,
    forecasting that run's test period."""
    values = series.values[: len(series.values) - held_back]  # (length,)
    start = len(values) - data.test_periods
    history = values[:start].double()
    forecast = yardstick_forecast(name, history.numpy(), data.test_periods, data.season)
    dates, truth = series.labels[start : len(values)], values[start:].tolist()
    scale = seasonal_naive_scale(history, data.season)
    return Origin(held_back, dates, truth, [forecast.tolist()], scale, label)


def classical_backtests(data: SeriesConfig, names: Sequence[str],
                        at: Sequence[tuple[str, int]]) -> dict[str, Backtest]:  # fmt: skip
    """Each model at each (series, held-back count) of rnnlab's backtest, in that order."""
    series = series_values(data)
    return {name: Backtest([classical_origin(series[s], data, held_back, name, s)
                            for s, held_back in at]) for name in names}  # fmt: skip


def of_series(backtest: Backtest, name: str) -> Backtest:
    """The origins of one series of a several-series backtest."""
    return Backtest([origin for origin in backtest.origins if origin.series == name])


def options(members: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The forecasters to choose among, by name: each member alone, rnnlab averaged with
    each classical model, the classical models' mean, and rnnlab averaged with that mean."""
    classical = [m for m in members if m != RNNLAB]
    pooled = [m for m in classical if m not in NOT_POOLED]
    found = {member: (member,) for member in members}
    if RNNLAB in members:
        found |= {f"mean of {RNNLAB} and {m}": (RNNLAB, m) for m in pooled}
    if len(pooled) >= 2:
        found[f"mean of {', '.join(pooled)}"] = tuple(pooled)
        if RNNLAB in members:
            found[f"mean of {RNNLAB}, {', '.join(pooled)}"] = (RNNLAB, *pooled)
    return found


def scored_options(backtests: dict[str, Backtest]) -> dict[str, tuple[tuple[str, ...], Backtest]]:
    """Each option's members and its backtest."""
    return {name: (members, mean_backtest([backtests[m] for m in members]))
            for name, members in options(list(backtests)).items()}  # fmt: skip


def best_option(scored: dict[str, tuple[tuple[str, ...], Backtest]]) -> str:
    """The option of lowest backtest mean MASE (the first listed on a tie)."""
    return min(scored, key=lambda name: _mase(scored[name][1]))


def _mase(backtest: Backtest) -> float:
    value = backtest.mean("mase")
    return value if math.isfinite(value) else math.inf
