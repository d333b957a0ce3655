"""The benchmark's series as the packages ship them: each set loads without a download, the
second set shares no series with the first, and every series is long enough for a window of
three seasons, a validation year and a test year."""

import pytest

pytest.importorskip("statsmodels", reason="the benchmark extra is not installed")

from rnnlab_benchmarks.forecast.benchmark_series import FRESH_SERIES, SERIES  # noqa: E402


@pytest.mark.parametrize("item", FRESH_SERIES, ids=lambda s: s.name)
def test_each_fresh_series_loads_in_date_order_with_enough_values(item):
    rows = item.load()
    labels = [label for label, _ in rows]
    assert len(rows) >= 200 and labels == sorted(labels) and len(set(labels)) == len(labels)
    assert all(value == value for _, value in rows)  # no NaN left (co2's gaps interpolated)


def test_the_second_set_shares_no_series_with_the_first():
    first = {item.name for item in SERIES} | {item.load()[-1][1] for item in SERIES}
    second = {item.name for item in FRESH_SERIES} | {item.load()[-1][1] for item in FRESH_SERIES}
    assert not first & second  # neither a name nor a last value in common
