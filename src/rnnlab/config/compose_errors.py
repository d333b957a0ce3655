"""Hydra's composition errors as rnnlab's one-line messages (key, value, what is allowed).

Hydra refuses a mistyped key, a wrong type, an unknown choice or a bad override while it
composes, before rnnlab's code runs; train.py lets those errors through (HYDRA_FULL_ERROR)
and this module turns each into a ConfigError, with the closest valid keys for a typo.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import typing
from typing import Any

import yaml
from hydra.errors import (
    ConfigCompositionException,
    InstantiationException,
    MissingConfigException,
    OverrideParseException,
)
from omegaconf import DictConfig
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, ValidationError

from rnnlab.config.keys import trainer_arguments, unknown_key_error
from rnnlab.errors import BadInput, ConfigError

TYPE_WORDS = {int: "an integer", float: "a number", bool: "true or false", str: "a string"}


def describe_type(annotation: Any) -> str:
    """'an integer', 'one of gru, lstm, rnn', 'a number, or null' for a field's annotation."""
    options = typing.get_args(annotation) if typing.get_origin(annotation) else ()
    optional = type(None) in options
    inner = next((o for o in options if o is not type(None)), annotation)
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        words = "one of " + ", ".join(sorted(member.name for member in inner))
    else:
        words = TYPE_WORDS.get(inner, getattr(inner, "__name__", str(inner)))
    return f"{words}, or null" if optional else words


def field_type(schema: type | None, key: str) -> Any:
    if schema is None or not dataclasses.is_dataclass(schema):
        return None
    return typing.get_type_hints(schema).get(key)


def override_value(error: ConfigCompositionException, full_key: str) -> Any:
    """3 from Hydra's 'Could not override ... use +model.hiden_size=3', read as YAML."""
    found = re.search(rf"{re.escape(full_key)}=(.*)$", str(error), re.MULTILINE)
    if not found:
        return ""
    try:
        return yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        return found.group(1)


def unknown_mapping_key(
    error: ConfigCompositionException, cause: ConfigAttributeError | ConfigKeyError
) -> ConfigError:
    """A key missing from a plain mapping, such as a sweeper's `params`, whose own keys may
    hold dots (`optimizer.lr`): an override cannot reach those one part at a time."""
    parent = cause.parent_node
    keys = [str(key) for key in parent] if isinstance(parent, DictConfig) else []
    where = cause.full_key.rpartition(".")[0]
    return ConfigError(
        cause.full_key,
        override_value(error, cause.full_key),
        f"no such key in {where}: its keys are {', '.join(keys) or 'none'} (a key with dots "
        f"is one key: set it as '{where}={{<key>: <value>}}' or in a config file)",
    )


def as_config_error(error: BaseException) -> BadInput | None:
    """The BadInput a composition error means, or None when it is not one."""
    if isinstance(error, InstantiationException) and isinstance(error.__cause__, BadInput):
        return error.__cause__  # a plugin (the Optuna sweeper) refused its settings
    if isinstance(error, MissingConfigException):
        group, _, choice = (error.missing_cfg_file or "").rpartition("/")
        options = list(error.options or [])
        allowed = f"one of {', '.join(sorted(options))} (conf/{group}/)" if options else "a config"
        return ConfigError(group or "config", choice, allowed)
    if isinstance(error, OverrideParseException):
        return BadInput(f"cannot read the override: {str(error).splitlines()[0]}")
    if not isinstance(error, ConfigCompositionException):
        return None
    cause = error.__cause__
    if isinstance(cause, (ConfigAttributeError, ConfigKeyError)) and cause.full_key:
        schema = cause.object_type
        if schema is not None and not dataclasses.is_dataclass(schema):  # a plain mapping
            return unknown_mapping_key(error, cause)
        known = {f.name for f in dataclasses.fields(schema)} if schema else set()
        if cause.full_key.startswith("trainer."):
            key = cause.full_key.partition(".")[2]
            if key in trainer_arguments():
                return ConfigError(
                    cause.full_key,
                    override_value(error, cause.full_key),
                    f"not set by the trainer preset; add it with +{cause.full_key}=...",
                )
            known |= trainer_arguments()
        value = override_value(error, cause.full_key)
        return unknown_key_error(cause.full_key, value, schema or object, known)
    if isinstance(cause, ValidationError) and cause.full_key:
        key = cause.full_key.rpartition(".")[2]
        annotation = field_type(cause.object_type, key)
        allowed = describe_type(annotation) if annotation is not None else cause.msg
        return ConfigError(cause.full_key, cause.value, allowed)
    first_line, *rest = str(error).strip().splitlines()
    if first_line.startswith("Could not append to config"):
        return BadInput(f"{first_line} {rest[0] if rest else ''}".strip())
    return BadInput(" ".join(line.strip() for line in [first_line, *rest] if line.strip()))
