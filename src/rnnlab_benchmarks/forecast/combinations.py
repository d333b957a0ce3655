"""Two ways to lean on the classical models, scored from the forecasting benchmark's saved
forecasts (no training): the mean of rnnlab's forecast and classical ones (forecast
combination, a staple of the M competitions), and choosing per series whichever of rnnlab and
ETS did better on the validation years (as AutoETS/AutoARIMA choose among models)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import numpy as np

from rnnlab_benchmarks.forecast.benchmark import Results, Score
from rnnlab_benchmarks.forecast.classical import CLASSICAL

DEFAULT = "rnnlab default"  # the benchmark's name for data=csv's defaults
NAIVE, ETS, ARIMA = CLASSICAL  # the benchmark's classical methods, by name
COMBINATIONS = {
    "rnnlab default (its seeds' mean)": (DEFAULT,),
    ETS: (ETS,),
    ARIMA: (ARIMA,),
    "mean of rnnlab and ETS": (DEFAULT, ETS),
    "mean of rnnlab and ARIMA": (DEFAULT, ARIMA),
    "mean of rnnlab, ETS and ARIMA": (DEFAULT, ETS, ARIMA),
    "mean of rnnlab and seasonal naive": (DEFAULT, NAIVE),
}
CHOICE = (DEFAULT, ETS)  # what the per-series choice picks from


def combined(results: Results, members: Sequence[str]) -> dict[str, list[Score]]:
    """Per series and origin, one forecast: the mean of the members' (seeds averaged first)."""
    by_series: dict[str, list[Score]] = {}
    for series, scores in results.scores[members[0]].items():
        by_series[series] = []
        for k, score in enumerate(scores):
            mean = np.mean([results.scores[m][series][k].ensemble for m in members], axis=0)
            by_series[series].append(Score([mean.tolist()], score.truth, score.scale))
    return by_series


def choices(validation: Results, candidates: Sequence[str] = CHOICE) -> dict[str, str]:
    """Per series, the candidate whose forecasts of the validation years had the lower MASE."""
    series = validation.scores[candidates[0]]
    return {
        name: min(candidates, key=lambda m: validation.mase(m, name, ensemble=True))
        for name in series
    }


def chosen(results: Results, picks: dict[str, str]) -> dict[str, list[Score]]:
    """Per series, the picked method's forecasts (its seeds averaged)."""
    return {
        name: [Score([s.ensemble], s.truth, s.scale) for s in results.scores[method][name]]
        for name, method in picks.items()
    }


def scored(results: Results, picks: dict[str, str] | None) -> Results:
    """The combinations (and, given the validation years' picks, the per-series choice)."""
    methods = {label: combined(results, members) for label, members in COMBINATIONS.items()}
    if picks is not None:
        label = "per series, rnnlab or ETS, whichever did better on validation"
        methods[label] = chosen(results, picks)
    methods[NAIVE] = results.scores[NAIVE]
    return Results(results.stage, methods)


TITLES = {
    "validation": "The first set's validation years (two origins, averaged)",
    "test": "The first set's test years",
    "fresh": "The second set's test years",
}


def combinations_markdown(stages: dict[str, Results], validation: Results, command: str) -> str:
    """One table per set (keys of TITLES): MASE per series, the mean, and on how many series
    seasonal naive is beaten."""
    picks = choices(validation)
    lines = [
        f"Made by `{command}` from the saved forecasts of the runs above (nothing retrained). "
        "Each rnnlab forecast is the mean of its seeds'. The per-series choice uses the "
        "validation years only: "
        + ", ".join(f"{name} {method}" for name, method in picks.items())
        + ".",
    ]
    for stage, results in stages.items():
        table = scored(results, picks if stage == "test" else None)
        names = list(results.scores[DEFAULT])
        naive = [table.mase(NAIVE, n) for n in names]
        lines += ["", f"{TITLES[stage]}:", "",
                  "| method | " + " | ".join(names) + " | mean MASE | beats seasonal naive on |",
                  "|---|" + "---|" * (len(names) + 2)]  # fmt: skip
        for method in table.scores:
            if method == NAIVE:
                continue
            values = [table.mase(method, n, ensemble=True) for n in names]
            wins = sum(v < q for v, q in zip(values, naive, strict=True))
            cells = " | ".join(f"{v:.3f}" for v in values)
            lines.append(f"| {method} | {cells} | **{statistics.fmean(values):.3f}** | "
                         f"{wins} of {len(names)} |")  # fmt: skip
    return "\n".join(lines) + "\n"
