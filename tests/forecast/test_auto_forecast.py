"""Automatic forecasting and backtests end to end on small series, and the benchmark script
in its quick mode (the real runs are scripts/forecast_benchmark.py's, written to the docs)."""

import csv
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # real trainings, some through python train.py


@pytest.fixture
def seasonal_csv(tmp_path):
    """Six years of a monthly pattern with a trend and noise."""
    rng = np.random.default_rng(1)
    path = tmp_path / "series.csv"
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["date", "units"])
        for i in range(72):
            value = 100 + i + 10 * np.sin(2 * np.pi * i / 12) + rng.normal(0, 2)
            writer.writerow([f"{2000 + i // 12}-{i % 12 + 1:02d}", f"{value:.3f}"])
    return path


def test_auto_forecast_searches_combines_and_reports_an_interval(
    run_training, seasonal_csv, tmp_path
):
    report = run_training("experiment=auto_forecast", "auto.classical=[]",
                          f"data.path={seasonal_csv}", "data.target=units", "data.season=12",
                          "data.window=12",
                          "auto.origins=2", "auto.seeds=1", "auto.combine=2",
                          "trainer.max_steps=30")  # fmt: skip
    metrics, auto = report["metrics"], report["auto"]
    assert {"test/mae", "test/mase", "test/mape", "val/mase"} <= set(metrics)
    assert len(auto["candidates"]) == 5 and len(auto["chosen"]) == 2
    # a 36-month window does not fit the earliest origin's data: that candidate is left out
    assert "data.window=36" in auto["candidates"][1]["refused"]
    ranked = sorted(auto["candidates"], key=lambda c: c["backtest_mase"])
    assert [auto["candidates"][i] for i in auto["chosen"]] == ranked[:2]
    assert len(auto["per_run_mase"]) == 2  # one seed of each combined candidate
    intervals = auto["intervals"]
    assert intervals["level"] == 0.9 and len(intervals["lower"]) == 12
    with open(report["test_forecast"]) as stream:
        rows = list(csv.DictReader(stream))
    assert [row["date"] for row in rows][0] == "2005-01" and len(rows) == 12
    assert all(float(r["lower"]) <= float(r["forecast"]) <= float(r["upper"]) for r in rows)
    # no candidate's backtest reached the test year: every origin's forecast ends before it
    search = sorted(tmp_path.glob("run*/search/candidate0/origin*/seed0/test_forecast.csv"))
    for forecast in search:
        dates = [row["date"] for row in csv.DictReader(forecast.open())]
        assert dates[-1] < "2005-01"


def test_the_backtest_script_reports_each_origin(seasonal_csv, tmp_path):
    out = tmp_path / "bt"
    command = [sys.executable, "scripts/backtest.py", "--origins", "2", "--out", str(out),
               "data=csv", f"data.path={seasonal_csv}", "data.target=units", "data.season=12",
               "data.window=24", "trainer.max_steps=20"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    backtest = json.loads((out / "backtest.json").read_text())
    first, second = backtest["origins"]
    assert (first["dates"][0], second["dates"][0]) == ("2005-01", "2004-01")
    assert backtest["mean"]["mase"] == pytest.approx((first["mase"] + second["mase"]) / 2)
    assert (out / "backtest.png").read_bytes()[:4] == b"\x89PNG"
    assert "| mean of 2 |" in (out / "backtest.md").read_text()


def test_the_benchmark_script_runs_its_quick_mode_and_leaves_the_docs_alone(tmp_path):
    docs = tmp_path / "RESULTS.md"
    command = [sys.executable, "scripts/forecast_benchmark.py", "--quick", "--series", "austres",
               "--seeds", "1", "--runs", str(tmp_path / "runs"), "--docs", str(docs)]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| austres (pmdarima austres" in result.stdout and "ETS (by AICc)" in result.stdout
    assert not docs.exists()
    saved = json.loads((tmp_path / "runs" / "test.json").read_text())
    forecast = saved["scores"]["rnnlab default"]["austres"][0]["forecasts"][0]
    assert len(forecast) == 4 and all(math.isfinite(v) for v in forecast)
