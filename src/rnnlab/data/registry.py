"""Data modules by name, as chosen in conf/data/."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from omegaconf import DictConfig, OmegaConf

from rnnlab.config_errors import ConfigError, require_choice
from rnnlab.data.adding import AddingDataModule
from rnnlab.data.copy_memory import CopyMemoryDataModule
from rnnlab.data.csv_series import CsvSeriesDataModule
from rnnlab.data.echo import EchoDataModule
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.passengers import PassengersDataModule
from rnnlab.data.sine import SineDataModule
from rnnlab.data.synthetic import TemporalOrderDataModule

DATA_MODULES: dict[str, type[InMemoryDataModule]] = {
    "synthetic": TemporalOrderDataModule,
    "sine": SineDataModule,
    "passengers": PassengersDataModule,
    "echo": EchoDataModule,
    "adding": AddingDataModule,
    "copy_memory": CopyMemoryDataModule,
    "csv": CsvSeriesDataModule,
}


def build_datamodule(cfg: DictConfig | Mapping[str, Any]) -> InMemoryDataModule:
    """Every key but `name` is a constructor argument; an unknown key is a ConfigError."""
    require_choice("data.name", cfg.get("name"), DATA_MODULES)
    data_class = DATA_MODULES[cfg["name"]]
    cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.create(dict(cfg))
    for key in cfg:
        if OmegaConf.is_missing(cfg, key):
            raise ConfigError(f"data.{key}", "???", f"required by data={cfg['name']}: set it")
    options = {key: value for key, value in cfg.items() if key != "name"}
    accepted = set(inspect.signature(data_class.__init__).parameters) - {"self"}
    for key in options:
        if key not in accepted:
            raise ConfigError(
                f"data.{key}", options[key], f"data={cfg['name']} takes {sorted(accepted)}"
            )
    return data_class(**options)
