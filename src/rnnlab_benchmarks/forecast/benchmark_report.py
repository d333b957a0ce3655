"""The forecasting benchmark as a table for docs/RESULTS.md: MAE and MASE per series and
method, the mean MASE, and whether rnnlab's default beats seasonal naive on every series."""

from __future__ import annotations

import statistics

from rnnlab_benchmarks.forecast.benchmark import Results
from rnnlab_benchmarks.forecast.benchmark_series import FRESH_SERIES, SERIES

SEASONAL_NAIVE = "seasonal naive"


def method_label(name: str, results: Results) -> str:
    seeds = len(next(iter(results.scores[name].values()))[0].forecasts)
    return f"{name} (mean of {seeds} seeds)" if seeds > 1 else name


def benchmark_markdown(results: Results, default: str, command: str, minutes: float) -> str:
    methods = list(results.scores)
    series = [s for s in (*SERIES, *FRESH_SERIES) if s.name in results.scores[methods[0]]]
    header = "| series | " + " | ".join(method_label(m, results) for m in methods) + " |"
    lines = [header, "|---|" + "---|" * len(methods)]
    for item in series:
        cells = [f"{results.mae(m, item.name):.4g} / {results.mase(m, item.name):.3f}"
                 for m in methods]  # fmt: skip
        lines.append(f"| {item.name} ({item.source}; {item.shape}) | " + " | ".join(cells) + " |")
    means = {m: statistics.fmean(results.mase(m, s.name) for s in series) for m in methods}
    lines.append("| **mean MASE** | " + " | ".join(f"**{means[m]:.3f}**" for m in methods) + " |")
    losses = [s.name for s in series
              if results.mase(default, s.name) >= results.mase(SEASONAL_NAIVE, s.name)]  # fmt: skip
    verdict = ("beats seasonal naive on every series" if not losses
               else f"does not beat seasonal naive on {', '.join(losses)}")  # fmt: skip
    year = "the test year" if results.stage == "test" else "the two years before it, averaged"
    intro = (
        f"Made by `{command}` ({minutes:.1f} minutes on 2 CPU threads). Each method forecasts "
        f"each series' last year ({year}) from everything before it; cells are MAE (series "
        "units) / MASE (seasonal naive's in-sample MAE = 1). rnnlab's default is `data=csv` "
        f"given only path, target and season; it {verdict}."
    )
    return intro + "\n\n" + "\n".join(lines) + "\n"


def methods_markdown(results: Results, command: str, minutes: float) -> str:
    """A row per method (MASE per series and the mean): for many methods, as in the
    validation stage's comparison of alternatives."""
    methods = list(results.scores)
    series = [s for s in (*SERIES, *FRESH_SERIES) if s.name in results.scores[methods[0]]]
    lines = ["| method | " + " | ".join(s.name for s in series) + " | mean MASE |",
             "|---|" + "---|" * (len(series) + 1)]  # fmt: skip
    for method in methods:
        values = [results.mase(method, s.name) for s in series]
        cells = " | ".join(f"{v:.3f}" for v in values)
        lines.append(
            f"| {method_label(method, results)} | {cells} | **{statistics.fmean(values):.3f}** |"
        )
    intro = (
        f"Made by `{command}` ({minutes:.1f} minutes on 2 CPU threads). MASE of each method's "
        "forecast of each series' two years before its test year (the series cut there), "
        "averaged over the two; rnnlab rows are the mean over seeds. Each variant changes one "
        "setting of rnnlab's default. The test years took no part in any choice."
    )
    return intro + "\n\n" + "\n".join(lines) + "\n"
