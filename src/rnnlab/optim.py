"""Optimizers by name, as chosen in conf/optimizer/ (schemas in rnnlab/config/optimizer.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import torch

from rnnlab.config.convert import optimizer_config, plain
from rnnlab.config.optimizer import OptimizerConfig

OPTIMIZERS: dict[str, type[torch.optim.Optimizer]] = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
}


def build_optimizer(
    parameters: Iterable[torch.nn.Parameter], config: OptimizerConfig | Mapping[str, Any]
) -> torch.optim.Optimizer:
    """Every field but `name` is a keyword of the torch optimizer (the schema admits no other)."""
    options = plain(optimizer_config(config))
    name = options.pop("name")
    return OPTIMIZERS[name](parameters, **options)
