"""Automatic forecasting judged over rolling origins: the 14 series of the forecasting
benchmark's two sets, each forecast one year ahead from each of its last 3 years (origins
fixed by that rule before any run), by `experiment=auto_forecast` and by statsforecast's
yardsticks fitted on the same history. `python scripts/forecast_benchmark.py --auto-origins`.
"""

from __future__ import annotations

import collections
import json
import statistics
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from rnnlab.forecast.yardsticks import YARDSTICKS, yardstick_forecast
from rnnlab_benchmarks.forecast.baselines import BASELINES
from rnnlab_benchmarks.forecast.benchmark import Forecaster, Results
from rnnlab_benchmarks.forecast.benchmark_series import FRESH_SERIES, SERIES
from rnnlab_benchmarks.forecast.combinations import combined
from rnnlab_benchmarks.forecast.panel_benchmark import COMBINATION, COMBINED

AUTO = "rnnlab auto_forecast"
NAIVE, ETS = "SeasonalNaive", "AutoETS"
SARIMA, HOLT_WINTERS = "SARIMA (0,1,1)(0,1,1) on log", "Holt-Winters, add. trend, mult. season"
PASSENGERS_REFERENCES = {name: BASELINES[name] for name in ("seasonal naive", SARIMA,
                                                            HOLT_WINTERS)}  # fmt: skip


YARDSTICK_FORECASTERS: dict[str, Forecaster] = {
    name: partial(yardstick_forecast, name) for name in YARDSTICKS
}


def with_combination(results: Results) -> Results:
    """The yardsticks' combination from their forecasts already made (nothing fitted again)."""
    results.scores[COMBINATION] = combined(results, COMBINED)
    return results


def origin_scores(results: Results, method: str) -> list[float]:
    """MASE of every series-origin, in series order."""
    return [score.mae(score.ensemble) / score.scale
            for runs in results.scores[method].values() for score in runs]  # fmt: skip


def chosen_options(runs: Path) -> collections.Counter:
    """How often auto_forecast chose each option (from its runs' metrics.json)."""
    found = collections.Counter()
    for report in sorted((runs / AUTO).glob("*/seed*/metrics.json")):
        found[json.loads(report.read_text())["auto"]["choice"]["option"]] += 1
    return found


def verdict(means: dict[str, float], medians: dict[str, float]) -> str:
    auto, ets, naive = means[AUTO], means[ETS], means[NAIVE]
    met = auto <= ets and auto < naive and medians[AUTO] < medians[NAIVE]
    gap = (auto / ets - 1) * 100
    return (f"**Goal (mean MASE at or below AutoETS's, below seasonal naive's on mean and "
            f"median): {'met' if met else 'NOT met'}.** auto_forecast {auto:.3f} against "
            f"AutoETS {ets:.3f} ({gap:+.1f}%) and seasonal naive {naive:.3f}; medians "
            f"{medians[AUTO]:.3f}, {medians[ETS]:.3f}, {medians[NAIVE]:.3f}.")  # fmt: skip


def auto_origins_markdown(results: Results, runs: Path, command: str, minutes: float) -> str:
    methods = list(results.scores)
    series = [s for s in (*SERIES, *FRESH_SERIES) if s.name in results.scores[methods[0]]]
    scores = {m: origin_scores(results, m) for m in methods}
    means = {m: statistics.fmean(v) for m, v in scores.items()}
    medians = {m: statistics.median(v) for m, v in scores.items()}
    naive = scores[NAIVE]
    lines = ["| method | " + " | ".join(s.name for s in series)
             + " | mean MASE | median MASE | beats seasonal naive |",
             "|---|" + "---|" * (len(series) + 3)]  # fmt: skip
    for method in sorted(methods, key=means.__getitem__):
        cells = " | ".join(f"{results.mase(method, s.name, ensemble=True):.3f}" for s in series)
        wins = sum(v < n for v, n in zip(scores[method], naive, strict=True))
        lines.append(f"| {method} | {cells} | **{means[method]:.3f}** | {medians[method]:.3f} "
                     f"| {wins} of {len(naive)} |")  # fmt: skip
    picks = ", ".join(f"{name} {count}" for name, count in chosen_options(runs).most_common())
    intro = (
        f"Made by `{command}` ({minutes:.1f} minutes on 2 CPU threads). Origins fixed before "
        "the run by one rule: each series' last 3 years, each forecast one year ahead from "
        f"everything before it ({len(naive)} series-origins). Cells are the mean MASE over a "
        "series' 3 origins; the mean and median are over all series-origins. "
        "auto_forecast is the shipped `experiment=auto_forecast` (seed 0), choosing by "
        "backtests inside each origin's training part; the yardsticks are fitted on the same "
        "history."
    )
    chosen = f"What auto_forecast chose, over the {len(naive)} series-origins: {picks}."
    table = "\n".join(lines)
    return f"{intro}\n\n{table}\n\n{chosen}\n\n{verdict(means, medians)}\n"


def mape(forecast: Sequence[float], truth: Sequence[float]) -> float:
    f, t = np.asarray(forecast), np.asarray(truth)
    return float(100 * np.mean(np.abs(f - t) / np.abs(t)))


def passengers_markdown(results: Results, runs: Path, command: str, minutes: float) -> str:
    """1960 by auto_forecast, one run per seed, against SARIMA and Holt-Winters."""
    (score,) = results.scores[AUTO]["airline"]
    per_seed = [mape(forecast, score.truth) for forecast in score.forecasts]
    mean, spread = statistics.fmean(per_seed), statistics.stdev(per_seed)
    references = {name: mape(results.scores[name]["airline"][0].forecasts[0], score.truth)
                  for name in results.scores if name != AUTO}  # fmt: skip
    lines = ["| forecast of 1960 | MAPE % |", "|---|---|",
             *(f"| {name} | {value:.2f} |" for name, value in references.items()),
             f"| rnnlab `experiment=auto_forecast`, mean ± sd over {len(per_seed)} seeds | "
             f"**{mean:.2f} ± {spread:.2f}** |",
             f"| rnnlab `experiment=auto_forecast`, the seeds' mean forecast | "
             f"{mape(score.ensemble, score.truth):.2f} |"]  # fmt: skip
    picks = ", ".join(f"{name} {count}" for name, count in chosen_options(runs).most_common())
    sarima, holt = references[SARIMA], references[HOLT_WINTERS]
    goal = "met" if mean < sarima else "NOT met"
    moonshot = "met" if mean < holt else "NOT met"
    text = (
        f"Made by `{command}` ({minutes:.1f} minutes on 2 CPU threads). auto_forecast on the "
        "passengers series as a CSV (`data=csv`, season 12), seeds 0-"
        f"{len(per_seed) - 1}; its choice is made by backtests at the origins 1957, 1958 and "
        "1959 inside the training part (the validation origins); 1960 is scored once. "
        f"MAPE per seed: {', '.join(f'{v:.2f}' for v in per_seed)}. Chosen per seed: {picks}."
        f"\n\n**Goal (below SARIMA's {sarima:.2f}% as the mean of the seeds): {goal}**; "
        f"moonshot (Holt-Winters' {holt:.2f}%): {moonshot}."
    )
    return f"{text}\n\n" + "\n".join(lines) + "\n"
