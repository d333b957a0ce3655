"""Checks of a model or data set of your own (`module:` in its conf/ file): the class
imports, is the kind of class asked for, and takes the arguments it will be built with."""

from __future__ import annotations

import inspect
import logging
from typing import Any

from rnnlab.config.checks.require import require_int
from rnnlab.config.convert import plain
from rnnlab.config.data import TASKS, ModuleDataConfig
from rnnlab.config.model import ModuleModelConfig
from rnnlab.errors import ConfigError

# what rnnlab passes a layer of your own besides its settings (nn.GRU takes them all)
LAYER_ARGUMENTS = ("input_size", "hidden_size", "num_layers", "dropout", "bidirectional",
                   "batch_first")  # fmt: skip
DATA_ARGUMENTS = ("batch_size", "seed")


def importable_class(key: str, path: str) -> type:
    """The class `path` names (package.module.Class), found by Hydra's own lookup, whose
    error log is held back: the refusal is the one line."""
    from hydra.utils import get_class

    hydra_log = logging.getLogger("hydra.utils")
    was_disabled, hydra_log.disabled = hydra_log.disabled, True
    try:
        return get_class(path)
    except Exception as error:  # noqa: BLE001 - Hydra wraps import errors in its own
        cause = error.__cause__ or error
        allowed = f"an importable class, package.module.Class ({cause})"
        raise ConfigError(key, path, allowed) from error
    finally:
        hydra_log.disabled = was_disabled


def own_class(key: str, path: str, base: type, what: str) -> type:
    """The class `path` names, refused unless it imports and is a subclass of `base`."""
    found = importable_class(key, path)
    if not issubclass(found, base):
        raise ConfigError(key, path, f"a subclass of {what}")
    return found


def require_arguments(key: str, found: type, passed: tuple[str, ...], settings: dict) -> None:
    """found(<passed>=..., **settings) must bind to the class's signature."""
    given = dict.fromkeys(passed) | dict(settings)
    try:
        inspect.signature(found).bind(**given)
    except TypeError as error:
        raise ConfigError(key, dict(settings), f"arguments {found.__name__} takes: "
                          f"{inspect.signature(found)} ({error})") from error  # fmt: skip
    clashes = sorted(set(settings) & set(passed))
    if clashes:
        raise ConfigError(key, dict(settings), f"none of {', '.join(clashes)}: rnnlab passes "
                          "them from the config's own keys")  # fmt: skip


def check_model_module(model: ModuleModelConfig) -> None:
    """The layer is built once on torch's meta device (shapes only, no memory): what its
    signature cannot say (nn.GRU takes **kwargs) it refuses there."""
    import torch
    from torch import nn

    if model.implementation != "torch":
        allowed = "torch for a layer of your own (the scratch layers are rnnlab's three cells)"
        raise ConfigError("model.implementation", str(model.implementation), allowed)
    found = own_class("model.module", model.module, nn.Module, "torch.nn.Module")
    settings = plain_settings(model.settings)
    require_arguments("model.settings", found, LAYER_ARGUMENTS, settings)
    sizes = {"input_size": 1, "hidden_size": model.hidden_size, "num_layers": model.num_layers,
             "dropout": model.dropout, "bidirectional": model.bidirectional,
             "batch_first": True}  # fmt: skip
    try:
        with torch.device("meta"):
            found(**sizes, **settings)
    except (TypeError, ValueError) as error:
        raise ConfigError("model.settings", settings, f"arguments {found.__name__} takes with "
                          f"these model.* sizes ({error})") from error  # fmt: skip


def check_data_module(data: ModuleDataConfig) -> None:
    import lightning as L

    if data.task not in TASKS:
        raise ConfigError("data.task", data.task, ", ".join(TASKS))
    require_int("data.length", data.length, 1)
    found = own_class("data.module", data.module, L.LightningDataModule,
                      "rnnlab.data.in_memory.InMemoryDataModule")  # fmt: skip
    require_arguments("data.settings", found, DATA_ARGUMENTS, plain_settings(data.settings))


def plain_settings(settings: Any) -> dict[str, Any]:
    return plain(settings)
