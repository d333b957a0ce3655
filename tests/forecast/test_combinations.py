"""Combinations and the per-series choice, scored from saved forecasts (combinations.py)."""

import pytest

from rnnlab_benchmarks.forecast.benchmark import Results, Score, load, save
from rnnlab_benchmarks.forecast.combinations import (
    DEFAULT,
    ETS,
    NAIVE,
    choices,
    combinations_markdown,
    combined,
)

TRUTH = [10.0, 20.0]


def results(stage: str, rnnlab: list[list[float]], ets: list[float]) -> Results:
    """One series 'a' at one origin; seasonal naive misses by 4 everywhere (MASE 2, scale 2)."""
    return Results(stage, {
        DEFAULT: {"a": [Score(rnnlab, TRUTH, 2.0)]},
        ETS: {"a": [Score([ets], TRUTH, 2.0)]},
        "ARIMA (auto_arima)": {"a": [Score([[10.0, 20.0]], TRUTH, 2.0)]},
        NAIVE: {"a": [Score([[14.0, 24.0]], TRUTH, 2.0)]},
    })  # fmt: skip


def test_a_combination_averages_the_seeds_first_then_the_methods():
    run = results("test", rnnlab=[[12.0, 22.0], [14.0, 24.0]], ets=[8.0, 18.0])
    (score,) = combined(run, (DEFAULT, ETS))["a"]
    assert score.forecasts == [[10.5, 20.5]]  # mean(13, 8), mean(23, 18)
    assert score.mae(score.forecasts[0]) == pytest.approx(0.5)


def test_the_choice_follows_the_validation_years_not_the_scored_ones():
    validation = results("validation", rnnlab=[[10.0, 20.0]], ets=[15.0, 25.0])
    assert choices(validation) == {"a": DEFAULT}
    validation = results("validation", rnnlab=[[15.0, 25.0]], ets=[10.0, 20.0])
    assert choices(validation) == {"a": ETS}


def test_saved_forecasts_load_back_as_they_were(tmp_path):
    run = results("test", rnnlab=[[12.0, 22.0], [14.0, 24.0]], ets=[8.0, 18.0])
    save(run, tmp_path / "test.json")
    again = load(tmp_path / "test.json")
    assert again.stage == "test"
    assert again.mase(DEFAULT, "a") == run.mase(DEFAULT, "a") == pytest.approx(1.5)


def test_the_table_counts_the_series_where_seasonal_naive_is_beaten():
    validation = results("validation", rnnlab=[[10.0, 20.0]], ets=[15.0, 25.0])
    test = results("test", rnnlab=[[11.0, 21.0]], ets=[16.0, 26.0])  # ETS worse than naive
    text = combinations_markdown({"validation": validation, "test": test}, validation, "cmd")
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines()}
    assert rows[ETS].endswith("| 0 of 1 |")
    assert rows["rnnlab default (its seeds' mean)"].endswith("| **0.500** | 1 of 1 |")
    chosen = rows["per series, rnnlab or ETS, whichever did better on validation"]
    assert chosen.endswith("| **0.500** | 1 of 1 |")  # rnnlab, chosen on validation
    assert "a rnnlab default" in text
