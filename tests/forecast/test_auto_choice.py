"""Automatic forecasting's choice between rnnlab and statsforecast's classical models: the
options it weighs, the classical models' origins (nothing after an origin in their fit), and
on synthetic series whose answer is known, the choice itself end to end."""

import csv
import math

import numpy as np
import pytest
import torch

from conftest import compose_config
from rnnlab.backtests.auto_choice import (
    RNNLAB,
    best_option,
    classical_origin,
    mean_origin,
    options,
    scored_options,
)
from rnnlab.backtests.backtest import Backtest, Origin
from rnnlab.config.checks import check_config
from rnnlab.config.convert import typed_config
from rnnlab.data.series_file import SeriesValues
from rnnlab.errors import ConfigError


def write_series(path, values, first_year=2000):
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["date", "units"])
        for i, value in enumerate(values):
            writer.writerow([f"{first_year + i // 12}-{i % 12 + 1:02d}", f"{value:.6f}"])
    return path


def trend_and_season(length, noise=0.0, seed=0):
    i = np.arange(length)
    rng = np.random.default_rng(seed)
    return 100 + 2 * i + 10 * np.sin(2 * np.pi * i / 12) + rng.normal(0, noise, length)


def test_the_options_are_each_member_and_the_means_that_leave_seasonal_naive_out():
    found = options([RNNLAB, "SeasonalNaive", "AutoETS", "AutoARIMA"])
    assert found == {
        RNNLAB: (RNNLAB,),
        "SeasonalNaive": ("SeasonalNaive",),
        "AutoETS": ("AutoETS",),
        "AutoARIMA": ("AutoARIMA",),
        "mean of rnnlab and AutoETS": (RNNLAB, "AutoETS"),
        "mean of rnnlab and AutoARIMA": (RNNLAB, "AutoARIMA"),
        "mean of AutoETS, AutoARIMA": ("AutoETS", "AutoARIMA"),
        "mean of rnnlab, AutoETS, AutoARIMA": (RNNLAB, "AutoETS", "AutoARIMA"),
    }
    assert options([RNNLAB]) == {RNNLAB: (RNNLAB,)}


def test_a_mean_weighs_each_forecaster_once_however_many_seeds_it_ran():
    three_seeds = Origin(0, ["a", "b"], [1.0, 1.0], [[0.0, 0.0], [0.0, 0.0], [3.0, 3.0]], 1.0)
    one = Origin(0, ["a", "b"], [1.0, 1.0], [[3.0, 5.0]], 1.0)
    assert mean_origin([three_seeds, one]).forecast == [2.0, 3.0]


def test_the_best_option_is_the_lowest_backtest_mase_and_means_are_scored_origin_by_origin():
    def backtest(*forecasts):
        return Backtest([Origin(k, ["a"], [10.0], [[f]], 1.0) for k, f in enumerate(forecasts)])

    scored = scored_options({RNNLAB: backtest(12.0, 6.0), "AutoETS": backtest(8.0, 14.0)})
    mean = scored["mean of rnnlab and AutoETS"][1]
    assert [o.forecast for o in mean.origins] == [[10.0], [10.0]]
    assert best_option(scored) == "mean of rnnlab and AutoETS"
    assert scored[RNNLAB][1].mean("mase") == 3.0


def test_a_classical_origin_fits_only_the_data_before_its_test_period(tmp_path):
    values = torch.arange(1.0, 61.0)  # 60 months; hold back 12: the test period is 37-48
    series = SeriesValues([f"p{i}" for i in range(60)], values, "f", "units", list(range(60)))
    data = typed_config(compose_config("data=csv", "data.path=x.csv", "data.target=units",
                                       "data.season=12")).data  # fmt: skip
    origin = classical_origin(series, data, 12, "SeasonalNaive")
    assert origin.dates == [f"p{i}" for i in range(36, 48)]
    assert origin.truth == list(range(37, 49))
    assert origin.forecast == list(range(25, 37))  # last season before the test period
    assert origin.scale == 12.0  # seasonal naive's in-sample error on values 1-36 only


def test_classical_models_are_named_once_and_need_statsforecast(monkeypatch):
    base = ("experiment=auto_forecast", "data.path=x.csv", "data.target=units")
    with pytest.raises(ConfigError, match="each model once"):
        check_config(typed_config(compose_config(*base, "auto.classical=[AutoETS,AutoETS]")))
    with pytest.raises(ConfigError, match="expected one of"):
        compose_config(*base, "auto.classical=[AutoEST]")
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(ConfigError, match=r"\[\] \(rnnlab alone\) without statsforecast"):
        check_config(typed_config(compose_config(*base)))
    check_config(typed_config(compose_config(*base, "auto.classical=[]")))  # rnnlab alone


QUICK = ("experiment=auto_forecast", "data.target=units", "data.season=12", "auto.origins=2",
         "auto.seeds=1", "auto.combine=1", "auto.candidates=[{}]")  # fmt: skip


@pytest.mark.slow
def test_a_series_a_classical_model_fits_exactly_gets_that_model_and_trains_no_final_run(
    run_training, tmp_path
):
    """Trend plus season, no noise: AutoETS and AutoARIMA forecast it to rounding, rnnlab
    after 30 steps does not, so the classical model is chosen and rnnlab is not refitted."""
    path = write_series(tmp_path / "exact.csv", trend_and_season(96))
    report = run_training(*QUICK, f"data.path={path}", "trainer.max_steps=30", "data.hold_back=12")
    auto = report["auto"]
    assert RNNLAB not in auto["choice"]["members"]
    assert set(auto["choice"]["members"]) <= {"AutoETS", "AutoARIMA"}
    assert auto["options"][auto["choice"]["option"]]["backtest_mase"] < 0.01
    assert auto["options"][RNNLAB]["backtest_mase"] > 0.1
    assert report["metrics"]["test/mase"] < 0.01 and auto["per_run_mase"] == []
    # data.hold_back=12 moves every origin a year back: the test year is the series' 7th
    with open(report["test_forecast"]) as stream:
        dates = [row["date"] for row in csv.DictReader(stream)]
    assert dates == [f"2006-{m:02d}" for m in range(1, 13)]
    run_dir = tmp_path / "run0"
    assert not list(run_dir.glob("final*")) and (run_dir / "forecast.png").exists()


@pytest.mark.slow
def test_a_trending_series_gets_rnnlab_over_seasonal_naive(run_training, tmp_path):
    """A steep trend: seasonal naive is a season of trend behind (MASE about 1), rnnlab
    follows it, so rnnlab is chosen and refitted."""
    path = write_series(tmp_path / "trend.csv", trend_and_season(96, noise=1.0))
    report = run_training(*QUICK, f"data.path={path}", "trainer.max_steps=100",
                          "auto.classical=[SeasonalNaive]")  # fmt: skip
    auto = report["auto"]
    assert auto["choice"] == {"option": RNNLAB, "members": [RNNLAB]}
    assert math.isclose(auto["options"]["SeasonalNaive"]["backtest_mase"], 1.0, abs_tol=0.05)
    assert auto["options"][RNNLAB]["backtest_mase"] < 0.6
    assert len(auto["per_run_mase"]) == 1 and report["metrics"]["test/mase"] < 0.6


@pytest.mark.slow
def test_several_series_in_one_file_each_get_the_option_their_own_backtest_favours(
    run_training, tmp_path
):
    """One model across both series for rnnlab's part; the exact series gets a classical
    model, and every series has its origins, choice, interval and test errors."""
    noisy = trend_and_season(96, noise=3.0, seed=1) / 2
    path = tmp_path / "two.csv"
    rows = ["date,exact,noisy"] + [
        f"{2000 + i // 12}-{i % 12 + 1:02d},{e:.6f},{n:.6f}"
        for i, (e, n) in enumerate(zip(trend_and_season(96), noisy, strict=True))
    ]
    path.write_text("\n".join(rows) + "\n")
    report = run_training(*QUICK, f"data.path={path}", "data.target=[exact,noisy]",
                          "trainer.max_steps=30",
                          "auto.classical=[SeasonalNaive,AutoETS]")  # fmt: skip
    series = report["auto"]["series"]
    assert list(series) == ["exact", "noisy"]
    assert series["exact"]["choice"]["option"] == "AutoETS"
    for name, one in series.items():
        assert len(one["options"]["rnnlab"]["per_origin"]) == 2  # auto.origins, this series'
        assert report["series"][name]["test/mase"] >= 0 and len(one["intervals"]["lower"]) == 12
    means = [report["series"][n]["test/mase"] for n in series]
    assert report["metrics"]["test/mase"] == pytest.approx(sum(means) / 2)
    with open(report["test_forecast"]) as stream:
        forecast = list(csv.DictReader(stream))
    assert [row["series"] for row in forecast] == ["exact"] * 12 + ["noisy"] * 12
    assert all(float(r["lower"]) <= float(r["forecast"]) <= float(r["upper"]) for r in forecast)


def test_train_trains_one_run_and_leaves_searches_to_the_layer_above(tmp_path):
    from rnnlab.run import train

    cfg = compose_config("experiment=auto_forecast", "data.path=x.csv", "data.target=units")
    with pytest.raises(ConfigError, match="trains one run"):
        train(cfg, tmp_path / "run")
    assert not (tmp_path / "run").exists()  # refused before anything was written
