"""The classical baselines reproduce the published figures for airline passengers, 1960."""

import subprocess
import sys

import pytest
import torch

from conftest import ROOT
from rnnlab.data.passengers import load_passengers
from rnnlab.forecast.accuracy import forecast_errors, seasonal_naive_scale

pytest.importorskip("statsmodels", reason="the baselines extra is not installed")


def test_error_measures_on_a_hand_made_forecast():
    truth = torch.tensor([100.0, 200.0])
    errors = forecast_errors(torch.tensor([110.0, 180.0]), truth, mase_scale=5.0)
    assert errors == pytest.approx({"mae": 15.0, "rmse": (250.0) ** 0.5, "mape": 10.0,
                                    "mase": 3.0})  # fmt: skip
    assert seasonal_naive_scale(torch.tensor([1.0, 2.0, 4.0, 7.0]), 2) == pytest.approx(4.0)


def test_baselines_match_the_reference_mape_on_1960():
    from rnnlab_benchmarks.forecast.baselines import baseline_forecasts

    values = load_passengers().values
    truth = values[-12:].double()
    scale = seasonal_naive_scale(values[:-12], 12)
    mape = {name: forecast_errors(f, truth, scale)["mape"]
            for name, f in baseline_forecasts(values, 12, 12).items()}  # fmt: skip
    assert [round(v, 2) for v in mape.values()] == [14.25, 9.99, 2.90, 2.21]


@pytest.mark.slow
def test_baselines_script_prints_the_table():
    result = subprocess.run([sys.executable, "scripts/baselines.py"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "| seasonal naive | 47.83 | 50.71 | 9.99 | 1.571 |" in result.stdout
