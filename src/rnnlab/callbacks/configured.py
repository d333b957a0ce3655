"""The callbacks a user picks in conf/callbacks/ (schemas in config/callbacks.py), as
Lightning's own classes: early stopping and the learning-rate monitor from typed settings,
anything else from its class (`_target_`) and arguments, and rich's progress bar and model
summary unless another is picked. rnnlab's own (checkpoint, divergence, interrupt, resume
state) are not a user's choice: run.py adds them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lightning as L
from hydra.utils import get_class, instantiate
from lightning.pytorch.callbacks import (
    EarlyStopping,
    LearningRateMonitor,
    ModelCheckpoint,
    ModelSummary,
    ProgressBar,
    RichModelSummary,
    RichProgressBar,
)

from rnnlab.config.callbacks import TARGET, by_target
from rnnlab.config.convert import plain
from rnnlab.config.run_config import RunConfig


def configured_callbacks(config: RunConfig, checkpoint_dir: Path) -> list[L.Callback]:
    chosen: dict[str, Any] = {name: plain(settings) for name, settings in config.callbacks.items()}
    callbacks = [by_class(settings, checkpoint_dir) for settings in by_target(config).values()]
    if "early_stopping" in chosen:
        callbacks.append(EarlyStopping(**chosen["early_stopping"]))
    monitor_lr = "lr_monitor" in chosen or str(config.scheduler.name) != "none"
    if monitor_lr and config.logger:  # a scheduler's course is worth seeing
        interval = chosen.get("lr_monitor", {}).get("logging_interval", "step")
        callbacks.append(LearningRateMonitor(logging_interval=interval))
    return with_display(callbacks, config)


def by_class(settings: dict[str, Any], checkpoint_dir: Path) -> L.Callback:
    """A callback from its class and arguments; another ModelCheckpoint (every n epochs, say)
    writes into the run's checkpoints/ folder, not Lightning's default, the logger's folder."""
    if issubclass(get_class(settings[TARGET]), ModelCheckpoint) and not settings.get("dirpath"):
        settings = {**settings, "dirpath": str(checkpoint_dir)}
    return instantiate(settings)


def with_display(callbacks: list[L.Callback], config: RunConfig) -> list[L.Callback]:
    """The trainer's enable_progress_bar / enable_model_summary decide whether there is one;
    the callbacks picked decide which (rich's when none is picked)."""
    shown = {"enable_progress_bar": (ProgressBar, RichProgressBar),
             "enable_model_summary": (ModelSummary, RichModelSummary)}  # fmt: skip
    for flag, (kind, default) in shown.items():
        if not getattr(config.trainer, flag):
            callbacks = [c for c in callbacks if not isinstance(c, kind)]
        elif not any(isinstance(c, kind) for c in callbacks):
            callbacks.append(default())
    return callbacks
