"""Covariates beside a series: calendar features known ahead, and other CSV columns as
past-only inputs, aligned so that no window reads what happens over the periods it forecasts."""

import math

import pytest
import torch

from rnnlab.config.data import CsvConfig
from rnnlab.data.csv_series import CsvSeriesDataModule
from rnnlab.models.forecast_baseline import ForecastBaseline

SMALL = {"window": 8, "horizon": 3, "val_periods": 6, "test_periods": 6, "season": 12}


def write(path, dates, values, extra=None):
    header = "date,sales" + (",price,promo" if extra is not None else "")
    rows = [f"{d},{v}" + (f",{extra[i][0]},{extra[i][1]}" if extra is not None else "")
            for i, (d, v) in enumerate(zip(dates, values, strict=True))]  # fmt: skip
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return str(path)


def months(n, year=1990, month=3):
    start = year * 12 + month - 1
    return [f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}" for i in range(n)]


def test_calendar_features_follow_the_calendar_not_the_row_number(tmp_path):
    path = write(tmp_path / "s.csv", months(48), [100 + i for i in range(48)])  # from March
    data = CsvSeriesDataModule(CsvConfig(path=path, target="sales", seed=0, calendar=True, **SMALL))
    assert data.facts.input_size == 3  # the series, sine, cosine
    x, _ = data.splits["train"]
    march = 2 * math.pi * 2 / 12
    torch.testing.assert_close(x[0, 0, 1:], torch.tensor([math.sin(march), math.cos(march)]))
    january = 2 * math.pi * 0 / 12  # row 10 is January 1991
    torch.testing.assert_close(x[10, 0, 1:], torch.tensor([math.sin(january), math.cos(january)]))


def test_covariates_are_read_only_up_to_each_windows_last_step(tmp_path):
    n = 60
    extra = [[10.0 + i, float(i % 2)] for i in range(n)]
    dates, values = months(n), [100.0 + i for i in range(n)]
    config = CsvConfig(path="", target="sales", seed=0, covariates=["price", "promo"], **SMALL)
    config.path = write(tmp_path / "a.csv", dates, values, extra)
    data = CsvSeriesDataModule(config)
    assert data.facts.input_size == 3
    # the covariates of every test period changed: no training or validation input changes,
    # nor the scaling, nor the first test window, whose targets start the test period
    changed = [row if i < data.test_start else [999.0, 5.0] for i, row in enumerate(extra)]
    config.path = write(tmp_path / "b.csv", dates, values, changed)
    other = CsvSeriesDataModule(config)
    for split in ("train", "val"):
        for a, b in zip(data.splits[split], other.splits[split], strict=True):
            assert torch.equal(a, b), split
    assert torch.equal(data.splits["test"][0][0], other.splits["test"][0][0])
    # later test windows read the test period only up to the step before their own targets
    for j in range(1, len(data.splits["test"][0])):
        same = data.splits["test"][0][j, : 8 - j]  # inputs before the test period
        assert torch.equal(same, other.splits["test"][0][j, : 8 - j])
    # and the price a window reads at its last step is the one of the period before its first target
    x_test, _ = data.splits["test"]
    price_mean, price_std = torch.tensor([r[0] for r in extra[: data.val_start]]).mean(), \
        torch.tensor([r[0] for r in extra[: data.val_start]]).std()  # fmt: skip
    last_input = data.test_start - 1
    expected = (extra[last_input][0] - price_mean) / price_std
    assert x_test[0, -1, 1].item() == pytest.approx(expected.item(), rel=1e-5)


def test_a_covariate_column_is_checked_like_the_series(tmp_path):
    extra = [[1.0, 0.0]] * 30
    extra[7] = ["cheap", 0.0]
    path = write(tmp_path / "c.csv", months(30), [1.0] * 30, extra)
    with pytest.raises(Exception, match=r"line 9, column 'price': 'cheap' is not a number"):
        CsvSeriesDataModule(CsvConfig(path=path, target="sales", seed=0, covariates=["price"],
                                      **SMALL))  # fmt: skip
    with pytest.raises(Exception, match=r"data.covariates\[0\]='prize'.*did you mean price"):
        CsvSeriesDataModule(CsvConfig(path=path, target="sales", seed=0, covariates=["prize"],
                                      **SMALL))  # fmt: skip


def test_window_baselines_normalise_the_series_and_leave_covariates_alone():
    x = torch.randn(4, 10, 3)
    for kind in ("window_mean", "revin", "seasonal_mean"):
        normalised = ForecastBaseline(kind, season=5).normalise(x)
        assert torch.equal(normalised[:, :, 1:], x[:, :, 1:])
        assert torch.allclose(normalised[:, :, 0].mean(dim=1), torch.zeros(4), atol=1e-6)


def test_covariates_train_end_to_end(run_training, tmp_path):
    extra = [[10.0 + i % 7, float(i % 3 == 0)] for i in range(60)]
    path = write(tmp_path / "d.csv", months(60), [100.0 + i % 12 + i / 5 for i in range(60)], extra)
    report = run_training(
        "data=csv",
        f"data.path={path}",
        "data.target=sales",
        "data.season=12",
        "data.calendar=true",
        "data.covariates=[price,promo]",
        "data.window=12",
        "trainer=debug",
    )
    assert math.isfinite(report["metrics"]["test/mase"])
