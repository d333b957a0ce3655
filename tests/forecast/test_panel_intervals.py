"""Interval coverage over the panel: conformal widths come from validation origins only, per
data set, scaled by each origin's MASE scale; and the saved forecasts read back as written."""

import math

import numpy as np

from rnnlab_benchmarks.forecast.panel_benchmark import origins_of
from rnnlab_benchmarks.forecast.panel_data import Panel, PanelSeries
from rnnlab_benchmarks.forecast.panel_intervals import (
    conformal_coverage,
    group_quantiles,
    truth_and_scale,
)
from rnnlab_benchmarks.forecast.panel_report import load_forecasts, save_forecasts


def alternating(length, step):
    """0, step, 1, step + 1, 2, ...: season 2 with a trend of 1 a season, so the seasonal
    naive scale is 1 at every origin."""
    return np.array([(i // 2) + step * (i % 2) for i in range(length)], dtype=np.float64)


def series(name, group):
    return PanelSeries(name, group, 2, "1", alternating(20, 5.0))


def test_the_conformal_width_comes_from_the_validation_origins_of_the_same_data_set():
    panel = [series("a", "g"), series("b", "g"), series("c", "h")]
    origins = origins_of(panel)
    # validation origins: errors of 1 (data set g) and 3 (data set h); test origins exact + 2
    forecasts = {}
    for origin in origins:
        truth, _ = truth_and_scale(panel[origin.series], origin.cutoff)
        miss = {"g": 1.0, "h": 3.0}[panel[origin.series].group]
        error = miss if origin.stage == "validation" else 2.0
        forecasts[(origin.series, origin.cutoff)] = (truth + error).tolist()
    validation = [o for o in origins if o.stage == "validation"]
    quantiles = group_quantiles(panel, validation, forecasts, alpha=0.25)
    assert quantiles == {"g": 1.0, "h": 3.0}  # the scale is 1 at every origin
    found = conformal_coverage(panel, origins, forecasts, forecasts, alpha=0.25)
    assert found["g"].share == 0.0 and found["h"].share == 1.0  # test errors of 2
    assert found["all"].total == 3 * 3 * 2  # 3 series, 3 test origins, a season of 2
    # widths 2 (g: 12 test values) and 6 (h: 6 test values), in MASE's scale
    assert math.isclose(found["all"].mean_width, (12 * 2 + 6 * 6) / 18)


def test_too_few_validation_errors_give_an_unbounded_interval_not_a_narrow_one():
    panel = [series("a", "g")]  # 2 validation origins x 2 periods: 4 errors
    origins = origins_of(panel)
    forecasts = {(o.series, o.cutoff): [0.0, 0.0] for o in origins}
    quantiles = group_quantiles(panel, [o for o in origins if o.stage == "validation"],
                                forecasts, alpha=0.1)  # fmt: skip
    assert quantiles["g"] == math.inf


def test_saved_forecasts_read_back_by_series_and_cutoff(tmp_path):
    panel = Panel([series("a", "g"), series("b", "h")])
    stages = {"test": {"m": {(0, 14): [1.0, 2.0], (1, 16): [3.0, 4.0]}}}
    save_forecasts(tmp_path / "panel.json", panel, stages, {"m": 1.5})
    assert load_forecasts(tmp_path / "panel.json", panel) == (stages, {"m": 1.5})
