"""Optimizers by name, as chosen in conf/optimizer/."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import torch

from rnnlab.config_errors import (
    require_bool,
    require_choice,
    require_fraction,
    require_non_negative,
    require_positive,
)

OPTIMIZERS: dict[str, type[torch.optim.Optimizer]] = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
}


def validate_optimizer_config(cfg: Mapping[str, Any]) -> None:
    require_choice("optimizer.name", cfg.get("name"), OPTIMIZERS)
    require_positive("optimizer.lr", cfg.get("lr"))
    require_non_negative("optimizer.weight_decay", cfg.get("weight_decay", 0.0))
    if cfg["name"] == "sgd":
        require_fraction("optimizer.momentum", cfg.get("momentum", 0.0))
        require_bool("optimizer.nesterov", cfg.get("nesterov", False))


def build_optimizer(
    parameters: Iterable[torch.nn.Parameter], cfg: Mapping[str, Any]
) -> torch.optim.Optimizer:
    """Every key but `name` is passed to the torch optimizer as a keyword."""
    validate_optimizer_config(cfg)
    options = {key: value for key, value in cfg.items() if key != "name"}
    return OPTIMIZERS[cfg["name"]](parameters, **options)
