"""The forecasting benchmark as a table for docs/RESULTS.md: MAE and MASE per series and
method, the mean MASE, and whether rnnlab's default beats seasonal naive on every series."""

from __future__ import annotations

import statistics

from rnnlab.forecast.benchmark import Results
from rnnlab.forecast.benchmark_series import SERIES

SEASONAL_NAIVE = "seasonal naive"


def method_label(name: str, results: Results) -> str:
    seeds = len(next(iter(results.scores[name].values()))[0].forecasts)
    return f"{name} (mean of {seeds} seeds)" if seeds > 1 else name


def benchmark_markdown(results: Results, default: str, command: str, minutes: float) -> str:
    methods = list(results.scores)
    series = [s for s in SERIES if s.name in results.scores[methods[0]]]
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
