"""A user's own univariate series from a CSV file: `data=csv data.path=... data.target=...`."""

from __future__ import annotations

from rnnlab.config.data import CsvConfig
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.series_file import read_series_csv


class CsvSeriesDataModule(SeriesDataModule):
    """The same windows, splits, scaling and metrics as passengers, on the user's series."""

    def __init__(self, config: CsvConfig) -> None:
        series = read_series_csv(config.path, config.target, config.date_column,
                                 config.covariates)  # fmt: skip
        super().__init__(series, config)
