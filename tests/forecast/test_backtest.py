"""Rolling-origin backtests hide everything after each origin, and conformal intervals from
backtest errors cover what they claim on a series with known noise."""

import math
import statistics

import numpy as np
import pytest
import torch

from rnnlab.backtests.backtest import Origin
from rnnlab.config.data import PassengersConfig
from rnnlab.data import PassengersDataModule
from rnnlab.data.passengers import load_passengers
from rnnlab.forecast.intervals import conformal_halfwidth, leave_one_out_coverage
from rnnlab.tasks.regression import TargetScaler


@pytest.mark.parametrize("held_back", [0, 12, 30])
def test_an_origin_sees_nothing_after_it(held_back):
    values = load_passengers().values
    data = PassengersDataModule(PassengersConfig(seed=0, hold_back=held_back))
    end = 144 - held_back
    assert len(data.values) == end and data.labels[-1] == load_passengers().labels[end - 1]
    # the test period is the last year before the origin, and scaling saw only training years
    _, y_test = data.splits["test"]
    torch.testing.assert_close(TargetScaler(data.facts)(y_test[0]), values[end - 12 : end],
                               rtol=1e-5, atol=1e-3)  # fmt: skip
    assert data.facts.target_mean == pytest.approx(values[: end - 24].log().mean().item(), rel=1e-6)
    for split in ("train", "val", "test"):
        x, y = data.splits[split]
        assert (
            TargetScaler(data.facts)(torch.cat([x.flatten(), y.flatten()])).max()
            <= values[:end].max() + 1e-3
        )


def test_the_conformal_halfwidth_is_the_right_order_statistic():
    residuals = [-5, 1, -2, 3, 4, -6, 7, -8, 9]  # |r| sorted: 1..9
    assert conformal_halfwidth(residuals, alpha=0.1) == 9  # rank ceil(0.9 * 10) = 9
    assert conformal_halfwidth(residuals, alpha=0.5) == 5  # rank ceil(0.5 * 10) = 5
    assert math.isinf(conformal_halfwidth(residuals[:5], alpha=0.1))  # too few for 90%


def test_intervals_cover_what_they_claim_on_a_series_with_known_noise():
    """A forecaster that knows the seasonal pattern errs by the noise alone (N(0, 2^2)): the
    90% interval from 20 backtest origins is about 1.645 x 2 wide each side and covers 90%."""
    rng = np.random.default_rng(0)
    pattern = 10 * np.sin(2 * np.pi * np.arange(12) / 12)
    origins = []
    for k in range(20):
        truth = (100 + pattern + rng.normal(0, 2.0, 12)).tolist()
        forecast = (100 + pattern).tolist()
        origins.append(Origin(12 * k, [str(i) for i in range(12)], truth, [forecast], 1.0))
    residuals = [origin.residuals for origin in origins]
    width = conformal_halfwidth([r for rs in residuals for r in rs], alpha=0.1)
    assert width == pytest.approx(1.645 * 2.0, rel=0.15)
    assert leave_one_out_coverage(residuals, alpha=0.1) == pytest.approx(0.9, abs=0.04)
    fresh = [abs(r) <= width for r in rng.normal(0, 2.0, 2000)]  # new errors, same noise
    assert statistics.fmean(fresh) == pytest.approx(0.9, abs=0.03)


def test_a_several_series_backtest_reads_and_reports_each_series(tmp_path):
    from rnnlab.backtests.backtest import Backtest
    from rnnlab.backtests.backtest_report import backtest_markdown
    from rnnlab.forecast.forecast_csv import read_test_forecasts

    path = tmp_path / "test_forecast.csv"
    path.write_text("series,date,truth,forecast\nn,d1,1,2\nn,d2,3,3\ns,d1,10,12\ns,d2,10,10\n")
    found = read_test_forecasts(path)
    assert list(found) == ["n", "s"] and found["s"][1].tolist() == [10.0, 10.0]
    backtest = Backtest([Origin(h, ["d1", "d2"], [1.0, 1.0], [[f, f]], 1.0, name)
                         for h in (0, 12) for name, f in (("n", 2.0), ("s", 4.0))])  # fmt: skip
    table = backtest_markdown(backtest, "t")
    assert "| s | 1 (last 12 held back) | d1 to d2 | 3 | 3.000 |" in table
    assert "| | mean of 2 origins x 2 series | | 2 | 2.000 |" in table
    single = tmp_path / "one.csv"
    single.write_text("date,truth,forecast\nd1,1,2\n")
    assert list(read_test_forecasts(single)) == [""]
