"""Data modules by config class, as chosen in conf/data/ (schemas in rnnlab/config/data.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rnnlab.config.convert import data_config
from rnnlab.config.data import (
    AddingConfig,
    CopyMemoryConfig,
    CsvConfig,
    DataConfig,
    EchoConfig,
    PassengersConfig,
    SineConfig,
    TemporalOrderConfig,
)
from rnnlab.data.adding import AddingDataModule
from rnnlab.data.copy_memory import CopyMemoryDataModule
from rnnlab.data.csv_series import csv_datamodule, read_csv_series, read_csv_several
from rnnlab.data.echo import EchoDataModule
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.passengers import PassengersDataModule, load_passengers
from rnnlab.data.series_file import SeriesValues
from rnnlab.data.sine import SineDataModule
from rnnlab.data.synthetic import TemporalOrderDataModule

DATA_MODULES: dict[type[DataConfig], Callable[..., InMemoryDataModule]] = {
    TemporalOrderConfig: TemporalOrderDataModule,
    SineConfig: SineDataModule,
    PassengersConfig: PassengersDataModule,
    EchoConfig: EchoDataModule,
    AddingConfig: AddingDataModule,
    CopyMemoryConfig: CopyMemoryDataModule,
    CsvConfig: csv_datamodule,
}


def series_values(config: CsvConfig | PassengersConfig) -> dict[str, SeriesValues]:
    """The series as read, whole (before `data.hold_back`), by name ("" for a file of one
    series): what classical models fit on."""
    if isinstance(config, PassengersConfig):
        return {"": load_passengers()}
    if not config.several_series():
        return {"": read_csv_series(config)}
    return read_csv_several(config)


def build_datamodule(config: DataConfig | Mapping[str, Any]) -> InMemoryDataModule:
    """The data module of a checked data config (or of a saved run's plain data config).

    Reading a file checks it row by row (DataError names file, line and column)."""
    config = data_config(config)
    return DATA_MODULES[type(config)](config)  # type: ignore[call-arg]
