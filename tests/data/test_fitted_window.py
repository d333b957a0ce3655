"""data=csv's window when none is given (data.window=null): four seasons where the series
allows, fewer whole seasons on a short series (each leaving a season of training windows),
and a one-line refusal, with the periods needed, below one season."""

import csv
import math

import pytest

from rnnlab.config.data import CsvConfig
from rnnlab.data.csv_series import CsvSeriesDataModule
from rnnlab.data.registry import build_datamodule
from rnnlab.errors import DataError


def monthly(path, length, start=0, name="sales"):
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["date", name])
        for i in range(start, start + length):
            value = 100 + 10 * math.sin(math.pi * i / 6) + 0.5 * i
            writer.writerow([f"{2000 + i // 12}-{i % 12 + 1:02d}", round(value, 3)])
    return str(path)


def window_of(path, **options):
    data = CsvSeriesDataModule(CsvConfig(path=path, target="sales", season=12, seed=0, **options))
    return data.window, len(data.splits["train"][0])


@pytest.mark.parametrize(
    ("years", "window", "training_windows"),
    [
        (12, 48, 61),  # 144 months: 120 train, four seasons fit with 61 training windows
        (8, 48, 13),  # 96 months: 72 train; 48 + 12 leave 13 >= 12 windows
        (6, 24, 13),  # 72 months: 48 train; 36 would leave 1 window, 24 leaves 13
        (5, 12, 13),  # 60 months: 36 train; one season of window
    ],
)
def test_the_window_is_the_most_whole_seasons_that_leave_a_season_of_training_windows(
    tmp_path, years, window, training_windows
):
    path = monthly(tmp_path / "s.csv", 12 * years)
    assert window_of(path) == (window, training_windows)
    assert training_windows >= 12  # each calendar month is some training window's target


def test_a_series_too_short_for_one_season_is_refused_saying_what_it_needs(tmp_path):
    path = monthly(tmp_path / "tiny.csv", 46)  # 2 x 12 + 12 - 1 + 12 + 12 = 59 needed
    with pytest.raises(DataError, match=r"tiny.csv, column 'sales': 46 rows are too few: "
                                        r"data.window=null \(fitted to the series\) needs at "
                                        r"least 59: one season \(12\) of window"):  # fmt: skip
        window_of(path)


def test_a_window_given_is_used_as_given_and_refused_when_it_does_not_fit(tmp_path):
    path = monthly(tmp_path / "s.csv", 72)
    assert window_of(path, window=30)[0] == 30
    with pytest.raises(Exception, match=r"data.window=48 is not allowed"):
        window_of(path, window=48)


def test_several_series_share_the_window_their_shortest_allows(tmp_path):
    path = tmp_path / "two.csv"
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["store", "date", "sales"])
        for store, length in (("long", 144), ("short", 72)):
            for i in range(length):
                writer.writerow([store, f"{2000 + i // 12}-{i % 12 + 1:02d}", 100 + i % 12])
    config = CsvConfig(path=str(path), target="sales", id_column="store", season=12, seed=0)
    data = build_datamodule(config)
    assert {member.window for member in data.members.values()} == {24}
    assert data.facts.window == 24
