"""Data modules by config class, as chosen in conf/data/ (schemas in rnnlab/config/data.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rnnlab.config.convert import data_config, plain
from rnnlab.config.data import (
    AddingConfig,
    CopyMemoryConfig,
    CsvConfig,
    DataConfig,
    EchoConfig,
    ModuleDataConfig,
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
from rnnlab.errors import ConfigError

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
    if isinstance(config, ModuleDataConfig):
        return own_datamodule(config)
    return DATA_MODULES[type(config)](config)  # type: ignore[call-arg]


def own_datamodule(config: ModuleDataConfig) -> InMemoryDataModule:
    """A data set of your own (`data.module`, checked to import and take its arguments):
    refused unless it is an InMemoryDataModule whose facts and tensors are what its config
    says, before any model is built on them."""
    from hydra.utils import get_class

    built = get_class(config.module)(batch_size=config.batch_size, seed=config.seed,
                                     **plain(config.settings))  # fmt: skip
    if not isinstance(built, InMemoryDataModule):
        allowed = "a subclass of rnnlab.data.in_memory.InMemoryDataModule (it fills splits, facts)"
        raise ConfigError("data.module", config.module, allowed)
    if built.facts.task != config.task:
        raise ConfigError("data.task", config.task, f"{built.facts.task}, as {config.module} "
                          "says in its facts")  # fmt: skip
    lengths = {name: x.shape[1] for name, (x, _) in built.splits.items()}  # x (batch, time, input)
    if set(lengths.values()) != {config.length}:
        raise ConfigError("data.length", config.length, f"the steps {config.module}'s "
                          f"sequences have: {lengths}")  # fmt: skip
    return built
