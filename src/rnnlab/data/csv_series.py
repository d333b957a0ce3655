"""A user's own series from a CSV file: `data=csv data.path=... data.target=...`, one
series, or several (an id column, or a list of target columns) with one model for all."""

from __future__ import annotations

from rnnlab.config.data import CsvConfig
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.series_file import SeriesValues, read_series_csv, read_several_series
from rnnlab.data.several_series import SeveralSeriesDataModule


def read_csv_series(config: CsvConfig) -> SeriesValues:
    """The one series data=csv names, whole (before data.hold_back)."""
    return read_series_csv(config.path, config.target, config.date_column, config.covariates)


class CsvSeriesDataModule(SeriesDataModule):
    """The same windows, splits, scaling and metrics as passengers, on the user's series."""

    def __init__(self, config: CsvConfig) -> None:
        super().__init__(read_csv_series(config), config)


def read_csv_several(config: CsvConfig) -> dict[str, SeriesValues]:
    """The several series data=csv names, by name, whole (before data.hold_back)."""
    targets = [str(name) for name in config.target_columns() or [config.target]]
    return read_several_series(config.path, targets, config.date_column, config.covariates,
                               config.id_column)  # fmt: skip


def csv_datamodule(config: CsvConfig) -> InMemoryDataModule:
    """One series (CsvSeriesDataModule), or several with one model (SeveralSeriesDataModule)."""
    if not config.several_series():
        return CsvSeriesDataModule(config)
    return SeveralSeriesDataModule(read_csv_several(config), config)
