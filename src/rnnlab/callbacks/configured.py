"""The callbacks a user picks in conf/callbacks/ (schemas in config/callbacks.py), as
Lightning's own classes."""

from __future__ import annotations

from typing import Any

import lightning as L
from lightning.pytorch.callbacks import EarlyStopping, LearningRateMonitor

from rnnlab.config.convert import plain
from rnnlab.config.run import RunConfig


def configured_callbacks(config: RunConfig) -> list[L.Callback]:
    chosen: dict[str, Any] = {name: plain(settings) for name, settings in config.callbacks.items()}
    callbacks: list[L.Callback] = []
    if "early_stopping" in chosen:
        callbacks.append(EarlyStopping(**chosen["early_stopping"]))
    monitor_lr = "lr_monitor" in chosen or str(config.scheduler.name) != "none"
    if monitor_lr and config.logger:  # a scheduler's course is worth seeing
        interval = chosen.get("lr_monitor", {}).get("logging_interval", "step")
        callbacks.append(LearningRateMonitor(logging_interval=interval))
    return callbacks
