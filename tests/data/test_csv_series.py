"""Users' own series from CSV: the same windows, splits and scaling as passengers."""

import csv

import pytest
import torch

from rnnlab.config_errors import ConfigError
from rnnlab.data import PassengersDataModule
from rnnlab.data.csv_series import CsvSeriesDataModule
from rnnlab.data.passengers import load_passengers


def write_series(path, rows, header=("date", "sales")):
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


@pytest.fixture
def passengers_csv(tmp_path):
    months, values = load_passengers()
    return write_series(tmp_path / "air.csv", zip(months, values.tolist(), strict=True))


def test_a_csv_copy_of_passengers_gives_the_same_splits_and_scaling(passengers_csv):
    mine = CsvSeriesDataModule(passengers_csv, target="sales", log_transform=True, season=12)
    shipped = PassengersDataModule()
    assert mine.facts == shipped.facts
    for split in ("train", "val", "test"):
        for a, b in zip(mine.splits[split], shipped.splits[split], strict=True):
            torch.testing.assert_close(a, b)


def test_errors_name_the_key_and_what_is_wrong(tmp_path, passengers_csv):
    with pytest.raises(ConfigError, match="data.path='nope.csv'.*an existing CSV file"):
        CsvSeriesDataModule("nope.csv", target="sales")
    with pytest.raises(ConfigError, match="data.target='units'.*date, sales"):
        CsvSeriesDataModule(passengers_csv, target="units")
    with pytest.raises(ConfigError, match="data.date_column='month'"):
        CsvSeriesDataModule(passengers_csv, target="sales", date_column="month")
    broken = write_series(tmp_path / "b.csv", [("2020-01", 3), ("2020-02", "n/a"), ("2020-03", 4)])
    with pytest.raises(ConfigError, match=r"line 3 of b.csv holds 'n/a'"):
        CsvSeriesDataModule(broken, target="sales")
    rows = [(f"t{i}", i - 5) for i in range(60)]
    signed = write_series(tmp_path / "s.csv", rows)
    with pytest.raises(ConfigError, match="data.log_transform=True.*value -5 at t0"):
        CsvSeriesDataModule(signed, target="sales", log_transform=True)
    data = CsvSeriesDataModule(signed, target="sales", window=6, horizon=2, val_periods=4,
                               test_periods=4)  # fmt: skip
    assert not data.facts.percentage_errors  # values cross zero: no MAPE


def test_csv_trains_end_to_end_and_requires_its_path(run_training, passengers_csv):
    report = run_training("data=csv", f"data.path={passengers_csv}", "data.target=sales",
                          "data.log_transform=true", "trainer=debug")  # fmt: skip
    assert "test/mape" in report["metrics"]
    with pytest.raises(ConfigError, match=r"data.path='\?\?\?'.*required"):
        run_training("data=csv", "data.target=sales", "trainer=debug")
