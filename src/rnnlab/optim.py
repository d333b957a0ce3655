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


def build_scheduler(
    optimizer: torch.optim.Optimizer, settings: Mapping[str, Any], total_steps: int | None = None
) -> dict[str, Any] | None:
    """Lightning's lr_scheduler entry for conf/scheduler/ settings (None for `none`).

    total_steps (the run's optimizer steps, from the Trainer) is what cosine anneals over.
    """
    name = str(settings.get("name", "none"))
    sched = torch.optim.lr_scheduler
    if name == "warmup":
        warmup = int(settings["warmup"])
        scheduler = sched.LinearLR(optimizer, start_factor=1 / warmup, total_iters=warmup)
        return {"scheduler": scheduler, "interval": "step"}
    if name == "cosine":
        warmup, steps = int(settings["warmup"]), int(total_steps or 1)
        cosine = sched.CosineAnnealingLR(optimizer, T_max=max(1, steps - warmup),
                                         eta_min=float(settings["min_lr"]))  # fmt: skip
        if warmup == 0:
            return {"scheduler": cosine, "interval": "step"}
        ramp = sched.LinearLR(optimizer, start_factor=1 / warmup, total_iters=warmup)
        both = sched.SequentialLR(optimizer, [ramp, cosine], milestones=[warmup])
        return {"scheduler": both, "interval": "step"}
    if name == "step":
        scheduler = sched.StepLR(optimizer, int(settings["step_size"]), float(settings["gamma"]))
        return {"scheduler": scheduler, "interval": "epoch"}
    if name == "plateau":
        scheduler = sched.ReduceLROnPlateau(
            optimizer, mode=str(settings["mode"]), factor=float(settings["factor"]),
            patience=int(settings["patience"]), min_lr=float(settings["min_lr"]),
        )  # fmt: skip
        return {"scheduler": scheduler, "interval": "epoch", "monitor": settings["monitor"]}
    return None
