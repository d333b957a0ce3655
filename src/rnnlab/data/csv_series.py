"""A user's own series from a CSV file: `data=csv data.path=... data.target=...`, one
series, or several (an id column, or a list of target columns) with one model for all."""

from __future__ import annotations

from omegaconf import OmegaConf

from rnnlab.config.data import CsvConfig
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.series_file import read_series_csv, read_several_series
from rnnlab.data.several_series import SeveralSeriesDataModule


def several_targets(config: CsvConfig) -> list[str] | None:
    """The target columns when data.target lists several, else None."""
    target = config.target
    if OmegaConf.is_list(target) or isinstance(target, (list, tuple)):
        return [str(name) for name in target]
    return None


class CsvSeriesDataModule(SeriesDataModule):
    """The same windows, splits, scaling and metrics as passengers, on the user's series."""

    def __init__(self, config: CsvConfig) -> None:
        series = read_series_csv(config.path, config.target, config.date_column,
                                 config.covariates)  # fmt: skip
        super().__init__(series, config)


def csv_datamodule(config: CsvConfig) -> InMemoryDataModule:
    """One series (CsvSeriesDataModule), or several with one model (SeveralSeriesDataModule)."""
    targets = several_targets(config)
    if targets is None and config.id_column is None:
        return CsvSeriesDataModule(config)
    several = read_several_series(config.path, targets or [config.target], config.date_column,
                                  config.covariates, config.id_column)  # fmt: skip
    return SeveralSeriesDataModule(several, config)
