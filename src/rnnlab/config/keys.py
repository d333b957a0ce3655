"""Keys a schema does not have, and values left unset, named with the keys meant instead.

Hydra refuses `model.hiden_size=64` while composing (see compose_errors.py), but lets
`+model.foo=1` add a key to any node; this catches those, and `???` values left unset.
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
from collections.abc import Iterable

from omegaconf import DictConfig, OmegaConf

from rnnlab.config.data import DATA_CONFIGS
from rnnlab.config.model import MODEL_CONFIGS
from rnnlab.config.optimizer import OPTIMIZER_CONFIGS
from rnnlab.errors import ConfigError

EXTENSIBLE = {"trainer"}  # groups whose extra keys are arguments of a class (lightning.Trainer)


def closest(word: str, candidates: Iterable[str]) -> list[str]:
    return difflib.get_close_matches(word, sorted(candidates), n=3, cutoff=0.6)


def trainer_arguments() -> set[str]:
    """Every keyword lightning.Trainer takes (Lightning is imported only here)."""
    import lightning

    return set(inspect.signature(lightning.Trainer.__init__).parameters) - {"self"}


OWN_MODULE = "module"  # the schema of a class of your own, not a conf/ file to pick
GROUP_MEMBERS: dict[str, dict[str, type]] = {
    "model": MODEL_CONFIGS,  # type: ignore[dict-item]
    "data": DATA_CONFIGS,  # type: ignore[dict-item]
    "optimizer": OPTIMIZER_CONFIGS,  # type: ignore[dict-item]
}


def members_with(group: str, key: str) -> list[str]:
    """The group's files whose schema has `key` (forget_bias: ['lstm'])."""
    members = GROUP_MEMBERS.get(group, {})
    return [name for name, schema in members.items()
            if key in fields_of(schema) and name != OWN_MODULE]  # fmt: skip


def fields_of(schema: type) -> set[str]:
    return {field.name for field in dataclasses.fields(schema)}


def unknown_key_error(full_key: str, value: object, schema: type, known: set[str]) -> ConfigError:
    group, _, key = full_key.rpartition(".")
    prefix = f"{group}." if group else ""
    matches = closest(key, known)
    source = "src/" + schema.__module__.replace(".", "/") + ".py"
    where = f"{group or 'the top level'} ({schema.__name__}, {source})"
    owners = members_with(group, key)
    if owners:
        choices = " or ".join(f"{group}={name}" for name in owners)
        return ConfigError(full_key, value, f"no such key in {where}; it is a key of {choices}")
    if matches:
        meant = " or ".join(prefix + match for match in matches)
        return ConfigError(full_key, value, f"no such key in {where}; did you mean {meant}?")
    return ConfigError(
        full_key, value, f"no such key in {where}: its keys are {', '.join(sorted(known))}"
    )


def refuse_unknown_keys(node: DictConfig, path: str = "") -> None:
    """Raise ConfigError for the first key no schema declares, with the closest valid keys.

    A trainer key beyond the schema is accepted when lightning.Trainer takes it."""
    schema = OmegaConf.get_type(node)
    if dataclasses.is_dataclass(schema):
        fields = fields_of(schema)
        extensible = path in EXTENSIBLE
        for key in node:
            if key in fields or (extensible and key in trainer_arguments()):
                continue
            known = fields | (trainer_arguments() if extensible else set())
            raise unknown_key_error(_join(path, key), node[key], schema, known)
    for key in node:
        if isinstance(node[key], DictConfig):
            refuse_unknown_keys(node[key], _join(path, key))


def refuse_missing_values(node: DictConfig, path: str = "") -> None:
    """`???` (required, e.g. data.path for data=csv) left unset is refused by name."""
    for key in node:
        if OmegaConf.is_missing(node, key):
            owner = path or "the config"
            if path == "data" and not OmegaConf.is_missing(node, "name"):
                owner = f"data={node.name}"
            raise ConfigError(_join(path, key), "???", f"required by {owner}: set it")
        if isinstance(node[key], DictConfig):
            refuse_missing_values(node[key], _join(path, key))


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
