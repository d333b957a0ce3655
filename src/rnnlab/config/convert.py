"""A composed config as typed dataclasses, and back to plain values for files and checkpoints."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any, TypeVar

from omegaconf import DictConfig, OmegaConf

from rnnlab.config.data import DATA_CONFIGS, DataConfig
from rnnlab.config.keys import refuse_missing_values, refuse_unknown_keys, unknown_key_error
from rnnlab.config.model import MODEL_CONFIGS, ModelConfig
from rnnlab.config.optimizer import OPTIMIZER_CONFIGS, OptimizerConfig
from rnnlab.config.run_config import RunConfig
from rnnlab.errors import ConfigError

Schema = TypeVar("Schema")


def typed_config(cfg: DictConfig) -> RunConfig:
    """The composed config as a RunConfig of dataclasses; a `???` left unset or a key added
    with `+` that no schema declares is a ConfigError."""
    refuse_missing_values(cfg)
    refuse_unknown_keys(cfg)
    config = OmegaConf.to_object(cfg)
    if not isinstance(config, RunConfig):
        raise TypeError(f"conf/train.yaml must extend schema/train, got {type(config).__name__}")
    return config


def resolved(config: Schema) -> Schema:
    """A dataclass made in Python, with the schema's interpolated defaults resolved (a series'
    horizon defaults to `${.season}`, which only OmegaConf evaluates)."""
    values = OmegaConf.to_container(OmegaConf.structured(config), resolve=True)
    return type(config)(**values)  # type: ignore[arg-type]


def plain(value: Any) -> Any:
    """Dataclasses, mappings and lists as built-in dicts and lists, choices as strings: what
    JSON, TensorBoard and `torch.load(weights_only=True)` accept. Keys added to a dataclass
    (a `+trainer.` argument) are kept."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {key: plain(item) for key, item in vars(value).items()}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def from_mapping(schema: type[Schema], values: Mapping[str, Any], group: str) -> Schema:
    """A dataclass from plain values (a checkpoint's, a saved config's); unknown keys refused,
    missing keys take the schema's defaults."""
    known = {field.name for field in dataclasses.fields(schema)}  # type: ignore[arg-type]
    for key, value in values.items():
        if key not in known:
            raise unknown_key_error(f"{group}.{key}", value, schema, known)
    return schema(**values)


def pick(
    registry: Mapping[str, type[Schema]], key: str, values: Mapping[str, Any], group: str
) -> Schema:
    name = values.get(key)
    if name not in registry:
        raise ConfigError(f"{group}.{key}", name, f"one of {', '.join(sorted(registry))}")
    return from_mapping(registry[str(name)], values, group)


def model_config(values: Mapping[str, Any] | ModelConfig) -> ModelConfig:
    if isinstance(values, ModelConfig):
        return values
    if "module" in values:  # a layer of your own: its kind is any name
        return from_mapping(MODEL_CONFIGS["module"], values, "model")
    return pick(MODEL_CONFIGS, "kind", values, "model")


def data_config(values: Mapping[str, Any] | DataConfig) -> DataConfig:
    if isinstance(values, DataConfig):
        return values
    if isinstance(values, DictConfig):
        values = OmegaConf.to_container(values, resolve=True)  # type: ignore[assignment]
    if "module" in values:  # a data set of your own: its name is any name
        return from_mapping(DATA_CONFIGS["module"], values, "data")
    return pick(DATA_CONFIGS, "name", values, "data")


def optimizer_config(values: Mapping[str, Any] | OptimizerConfig) -> OptimizerConfig:
    if isinstance(values, OptimizerConfig):
        return values
    return pick(OPTIMIZER_CONFIGS, "name", values, "optimizer")
