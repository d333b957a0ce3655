"""Prediction intervals over the panel's test origins: how often 90% intervals hold the truth.

Two kinds, for every method whose forecasts the panel benchmark saved:
- conformal (as auto_forecast's): the forecast plus or minus q times the origin's MASE scale,
  q the conformal quantile of the absolute errors, divided by their origin's scale, that the
  same method made at the validation origins of all series of the same data set. Per data
  set, because one series' 2 validation seasons give too few errors for 90% on quarterly
  series (8 errors; a 90% conformal quantile needs at least 9).
- statsforecast's own model intervals (level 90), for the yardsticks that give them.

Widths are in MASE's scale (the seasonal naive forecast's in-sample MAE = 1), so series of
any size average together; a narrower interval at the same coverage is the better one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rnnlab.forecast.intervals import conformal_halfwidth
from rnnlab.forecast.yardsticks import YARDSTICKS
from rnnlab_benchmarks.forecast.panel_benchmark import TEST_ORIGINS, Origin, cross_validation
from rnnlab_benchmarks.forecast.panel_data import Panel, PanelSeries

LEVEL = 90
CHOSEN = " (chosen on validation)"  # how a test-stage method names its validation candidate
Forecasts = dict[tuple[int, int], list[float]]  # (series, cutoff) -> forecast
Bounds = dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]  # (series, cutoff) -> lo, hi


@dataclass
class Coverage:
    inside: int = 0
    total: int = 0
    width: float = 0.0  # summed over the values, in MASE's scale

    def add(self, truth: np.ndarray, lower: np.ndarray, upper: np.ndarray, scale: float) -> None:
        self.inside += int(((truth >= lower) & (truth <= upper)).sum())
        self.total += len(truth)
        self.width += float(((upper - lower) / scale).sum())

    @property
    def share(self) -> float:
        return self.inside / self.total

    @property
    def mean_width(self) -> float:
        return self.width / self.total


def truth_and_scale(one: PanelSeries, cutoff: int) -> tuple[np.ndarray, float]:
    """The season after `cutoff` and MASE's scale on the data before it."""
    history = one.values[:cutoff]
    scale = float(np.abs(history[one.season :] - history[: -one.season]).mean())
    return one.values[cutoff : cutoff + one.season], scale


def group_quantiles(series: Sequence[PanelSeries], validation: Sequence[Origin],
                    forecasts: Forecasts, alpha: float) -> dict[str, float]:  # fmt: skip
    """Per data set, the conformal quantile of the validation origins' scaled errors."""
    errors: dict[str, list[float]] = {}
    for origin in validation:
        one = series[origin.series]
        truth, scale = truth_and_scale(one, origin.cutoff)
        forecast = np.asarray(forecasts[(origin.series, origin.cutoff)])
        errors.setdefault(one.group, []).extend((np.abs(truth - forecast) / scale).tolist())
    return {group: conformal_halfwidth(found, alpha) for group, found in errors.items()}


def conformal_coverage(series: Sequence[PanelSeries], origins: Sequence[Origin],
                       validation: Forecasts, test: Forecasts, alpha: float
                       ) -> dict[str, Coverage]:  # fmt: skip
    """Coverage at the test origins, per data set and overall ("all")."""
    quantiles = group_quantiles(series, [o for o in origins if o.stage == "validation"],
                                validation, alpha)  # fmt: skip
    bounds: Bounds = {}
    for origin in (o for o in origins if o.stage == "test"):
        one = series[origin.series]
        _, scale = truth_and_scale(one, origin.cutoff)
        forecast = np.asarray(test[(origin.series, origin.cutoff)])
        half = quantiles[one.group] * scale
        bounds[(origin.series, origin.cutoff)] = (forecast - half, forecast + half)
    return coverage_of(series, bounds)


def coverage_of(series: Sequence[PanelSeries], bounds: Bounds) -> dict[str, Coverage]:
    found: dict[str, Coverage] = {"all": Coverage()}
    for (index, cutoff), (lower, upper) in bounds.items():
        one = series[index]
        truth, scale = truth_and_scale(one, cutoff)
        for key in ("all", one.group):
            found.setdefault(key, Coverage()).add(truth, lower, upper, scale)
    return found


def model_bounds(name: str, series: Sequence[PanelSeries]) -> Bounds:
    """A yardstick's own 90% intervals at the test origins (refitted: the benchmark's run
    saved forecasts only)."""
    result = cross_validation(name, series, TEST_ORIGINS, level=LEVEL)
    found: Bounds = {}
    for (unique_id, cutoff), rows in result.groupby(["unique_id", "cutoff"]):
        rows = rows.sort_values("ds")
        lower, upper = rows[f"{name}-lo-{LEVEL}"], rows[f"{name}-hi-{LEVEL}"]
        found[(int(unique_id), int(cutoff) + 1)] = (lower.to_numpy(), upper.to_numpy())
    return found


def model_coverage(series: Sequence[PanelSeries], workers: int = 2) -> dict[str, dict]:
    """Each yardstick's own intervals' coverage, yardsticks in parallel processes."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        bounds = list(pool.map(model_bounds, YARDSTICKS, [series] * len(YARDSTICKS)))
    return {name: coverage_of(series, b) for name, b in zip(YARDSTICKS, bounds, strict=True)}


def intervals_markdown(panel: Panel, origins: Sequence[Origin], stages: dict[str, dict],
                       own: dict[str, dict], command: str, minutes: float) -> str:  # fmt: skip
    """One row per method: conformal coverage overall and per data set, its mean width, and
    statsforecast's own interval's where the method has one."""
    groups = list(dict.fromkeys(one.group for one in panel.series))
    lines = [
        "### Prediction intervals over the test origins (90% nominal)",
        "",
        f"`{command}` ({minutes:.1f} minutes wall), from the panel run's saved forecasts "
        "(nothing retrained; statsforecast's own intervals refitted at the test origins). "
        "Conformal: the forecast plus or minus the conformal 90% quantile of the same method's "
        "scaled absolute errors at the validation origins of the same data set, times the "
        "origin's MASE scale (the rule auto_forecast uses on its backtests, pooled over a data "
        "set's series). Width: the interval's mean width in MASE's scale (narrower is better "
        "at the same coverage).",
        "",
        "| method | conformal coverage | " + " | ".join(groups)
        + " | conformal width | own interval's coverage | own width |",
        "|---|---|" + "---|" * len(groups) + "---|---|---|",
    ]  # fmt: skip
    for method, test in stages["test"].items():
        validation = stages["validation"].get(method.removesuffix(CHOSEN))
        if validation is None:
            continue
        found = conformal_coverage(panel.series, origins, validation, test, 1 - LEVEL / 100)
        cells = " | ".join(f"{found[g].share:.1%}" for g in groups)
        mine = own.get(method, {}).get("all")
        theirs = f"{mine.share:.1%} | {mine.mean_width:.2f}" if mine else "- | -"
        lines.append(f"| {method} | **{found['all'].share:.1%}** | {cells} | "
                     f"{found['all'].mean_width:.2f} | {theirs} |")  # fmt: skip
    return "\n".join(lines) + "\n"
