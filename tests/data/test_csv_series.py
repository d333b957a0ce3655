"""Users' own series from CSV: the same windows, splits and scaling as passengers, and every
bad file refused with its file, line and column named."""

import csv
import subprocess
import sys

import pytest
import torch

from conftest import ROOT
from rnnlab.config.data import CsvConfig, PassengersConfig
from rnnlab.data import PassengersDataModule
from rnnlab.data.csv_series import CsvSeriesDataModule
from rnnlab.data.passengers import load_passengers
from rnnlab.errors import ConfigError, DataError

SMALL = {"window": 6, "horizon": 2, "val_periods": 4, "test_periods": 4}


def write_series(path, rows, header=("date", "sales")):
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def months(n, start=1990):
    return [f"{start + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def csv_data(path, **options):
    return CsvSeriesDataModule(CsvConfig(path=path, target="sales", seed=0, **options))


@pytest.fixture
def passengers_csv(tmp_path):
    series = load_passengers()
    return write_series(
        tmp_path / "air.csv", zip(series.labels, series.values.tolist(), strict=True)
    )


def test_a_csv_copy_of_passengers_gives_the_same_splits_and_scaling(passengers_csv):
    mine = csv_data(passengers_csv, log_transform=True, season=12, window=24)
    shipped = PassengersDataModule(PassengersConfig(seed=0))
    assert mine.facts == shipped.facts
    for split in ("train", "val", "test"):
        for a, b in zip(mine.splits[split], shipped.splits[split], strict=True):
            torch.testing.assert_close(a, b)


def test_missing_file_and_misnamed_columns_name_the_key_and_the_close_names(passengers_csv):
    with pytest.raises(ConfigError, match="data.path='nope.csv'.*an existing CSV file"):
        csv_data("nope.csv")
    with pytest.raises(ConfigError, match="data.target='Sales'.*did you mean sales"):
        CsvSeriesDataModule(CsvConfig(path=passengers_csv, target="Sales", seed=0))
    with pytest.raises(
        ConfigError, match="data.target='units'.*columns of the file are date, sales"
    ):
        CsvSeriesDataModule(CsvConfig(path=passengers_csv, target="units", seed=0))
    with pytest.raises(ConfigError, match="data.date_column='month'"):
        csv_data(passengers_csv, date_column="month")


GOOD = [(m, 100 + i) for i, m in enumerate(months(30))]


@pytest.mark.parametrize(
    ("row", "cell", "message"),
    [
        (3, "n/a", "line 5, column 'sales': 'n/a' is not a number"),
        (7, "nan", "line 9, column 'sales': 'nan' is not a finite number"),
        (7, "-inf", "line 9, column 'sales': '-inf' is not a finite number"),
        (0, "", "line 2, column 'sales': is empty"),
    ],
)
def test_values_that_are_not_finite_numbers_are_named_by_line_and_column(
    tmp_path, row, cell, message
):
    rows = [list(r) for r in GOOD]
    rows[row][1] = cell
    with pytest.raises(DataError, match=message):
        csv_data(write_series(tmp_path / "bad.csv", rows), **SMALL)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda rows: rows.append(rows[9]),
            r"line 32, column 'date': '1990-10' repeats '1990-10' on line 11",
        ),
        (lambda rows: rows.insert(5, rows[2]), r"line 7, column 'date': '1990-03' repeats"),
        (
            lambda rows: rows.reverse(),
            r"line 3, column 'date': '1992-05' goes back before '1992-06'",
        ),
        (
            lambda rows: rows.__setitem__(4, ("May 1990", 1)),
            r"line 6, column 'date': 'May 1990' is not a date",
        ),
        (lambda rows: rows.__setitem__(4, ("", 1)), r"line 6, column 'date': is empty"),
    ],
)
def test_repeated_unordered_or_unreadable_dates_are_refused(tmp_path, change, message):
    rows = list(GOOD)
    change(rows)
    with pytest.raises(DataError, match=message):
        csv_data(write_series(tmp_path / "dates.csv", rows), **SMALL)


@pytest.mark.parametrize(
    "dates",
    [
        [str(1900 + i) for i in range(30)],  # years as numbers
        [f"{1990 + i // 4}-Q{i % 4 + 1}" for i in range(30)],  # quarters
        [f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}" for i in range(30)],  # ISO days
        [f"2020-01-01 {i // 2:02d}:{30 * (i % 2):02d}" for i in range(30)],  # half-hours
    ],
)
def test_the_date_forms_a_series_may_use(tmp_path, dates):
    rows = [(d, 100 + i) for i, d in enumerate(dates)]
    assert len(csv_data(write_series(tmp_path / "ok.csv", rows), **SMALL).values) == 30


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolons_and_tabs_are_read_as_the_file_writes_them(tmp_path, delimiter):
    text = "date;sales\n" + "".join(f"{m};{100 + i}\n" for i, m in enumerate(months(30)))
    path = tmp_path / "other.csv"
    path.write_text(text.replace(";", delimiter))
    data = csv_data(str(path), **SMALL)
    assert data.values[-1].item() == 129 and data.labels[0] == "1990-01"


def test_date_column_null_takes_the_rows_in_file_order(tmp_path):
    rows = [("whenever", 100 + i) for i in range(30)]
    data = csv_data(write_series(tmp_path / "free.csv", rows), date_column=None, **SMALL)
    assert data.labels[0] == "row 1" and len(data.values) == 30


def test_empty_files_and_too_few_rows_are_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match="empty.csv: the file is empty"):
        csv_data(str(empty), **SMALL)
    with pytest.raises(DataError, match="head.csv, line 2: has a header but no rows"):
        csv_data(write_series(tmp_path / "head.csv", []), **SMALL)
    short = write_series(tmp_path / "short.csv", GOOD[:10])
    with pytest.raises(DataError, match=r"short.csv, column 'sales': 10 rows are too few for "
                                        r"window \(6\) \+ horizon \(2\) \+ val_periods \(4\) \+ "
                                        r"test_periods \(4\) = 16"):  # fmt: skip
        csv_data(short, **SMALL)
    with pytest.raises(ConfigError, match=r"data.window=6.*4 training periods.*window <= 2"):
        csv_data(write_series(tmp_path / "mid.csv", GOOD[:12]), **SMALL)


def test_a_log_needs_positive_values_named_by_line(tmp_path):
    rows = [(m, i - 5) for i, m in enumerate(months(60))]
    signed = write_series(tmp_path / "s.csv", rows)
    with pytest.raises(DataError, match=r"s.csv, line 2, column 'sales': holds -5 \(1990-01\), "
                                        r"not > 0, and data.log_transform=true"):  # fmt: skip
        csv_data(signed, log_transform=True)
    data = csv_data(signed, **SMALL)
    assert not data.facts.percentage_errors  # values cross zero: no MAPE


def test_csv_trains_end_to_end_and_requires_its_path(run_training, passengers_csv):
    report = run_training("data=csv", f"data.path={passengers_csv}", "data.target=sales",
                          "data.log_transform=true", "trainer=debug")  # fmt: skip
    assert "test/mape" in report["metrics"]
    with pytest.raises(ConfigError, match=r"data.path='\?\?\?'.*required"):
        run_training("data=csv", "data.target=sales", "trainer=debug")


@pytest.mark.slow
def test_a_bad_file_on_the_command_line_is_one_line_exit_2_and_leaves_no_results(tmp_path):
    rows = [*GOOD, GOOD[9]]  # a date that repeats, at the end
    bad = write_series(tmp_path / "dup.csv", rows)
    run = tmp_path / "run"
    settings = [f"data.{key}={value}" for key, value in SMALL.items()]
    args = [sys.executable, "train.py", "data=csv", f"data.path={bad}", "data.target=sales",
            *settings, f"hydra.run.dir={run}"]  # fmt: skip
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr + result.stdout
    assert lines[0] == (f"rnnlab: bad data: dup.csv, line 32, column 'date': '1990-10' repeats "
                        f"'1990-10' on line 11; each date once, oldest first ({bad})")  # fmt: skip
    assert not (run / "metrics.json").exists() and not (run / "checkpoints").exists()
