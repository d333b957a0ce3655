"""The rolling-origin judgement of auto_forecast and the passengers table, from fabricated
forecasts: the goal is stated met or not from the numbers, never assumed."""

import json
import subprocess
import sys

from conftest import ROOT
from rnnlab_benchmarks.forecast.auto_benchmark import (
    AUTO,
    ETS,
    HOLT_WINTERS,
    NAIVE,
    SARIMA,
    auto_origins_markdown,
    passengers_markdown,
)
from rnnlab_benchmarks.forecast.benchmark import Results, Score


def results(stage, errors, name="airline"):
    """One origin; each method's runs (one per error given) miss a truth of 100 by their
    error at both steps (scale 10)."""
    return Results(stage, {method: {name: [Score([[100 + e] * 2 for e in each], [100.0] * 2, 10.0)]}
                           for method, each in errors.items()})  # fmt: skip


def test_the_goal_is_met_only_at_or_below_ets_and_below_seasonal_naive(tmp_path):
    met = results("rolling", {AUTO: [4.0], ETS: [5.0], NAIVE: [9.0]})
    text = auto_origins_markdown(met, tmp_path, "cmd", 1.0)
    assert ": met.**" in text and "auto_forecast 0.400 against AutoETS 0.500 (-20.0%)" in text
    missed = results("rolling", {AUTO: [6.0], ETS: [5.0], NAIVE: [9.0]})
    assert "NOT met" in auto_origins_markdown(missed, tmp_path, "cmd", 1.0)


def test_the_passengers_table_averages_the_seeds_mape_and_counts_the_choices(tmp_path):
    run = tmp_path / AUTO / "airline-test0" / "seed0"
    run.mkdir(parents=True)
    (run / "metrics.json").write_text(json.dumps({"auto": {"choice": {"option": "AutoETS"}}}))
    found = results("test", {AUTO: [2.0, 4.0], SARIMA: [2.9], HOLT_WINTERS: [2.2]})
    text = passengers_markdown(found, tmp_path, "cmd", 1.0)
    assert "**3.00 ± 1.41**" in text and "Chosen per seed: AutoETS 1" in text
    assert "below SARIMA's 2.90% as the mean of the seeds): NOT met" in text


def test_interval_coverage_needs_the_panel_run_first(tmp_path):
    command = [sys.executable, "scripts/forecast_benchmark.py", "--panel-intervals", "--runs",
               str(tmp_path)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "run --panel --global first" in done.stderr
