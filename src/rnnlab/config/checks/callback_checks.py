"""The callbacks group's checks: names chosen, classes given by target, their settings."""

from __future__ import annotations

from rnnlab.config.callbacks import CALLBACK_CONFIGS, TARGET, TARGET_MEMBERS, by_target
from rnnlab.config.checks.module_checks import importable_class
from rnnlab.config.checks.require import require, require_int, require_non_negative
from rnnlab.config.checks.trainer_checks import validation_batches_off
from rnnlab.config.convert import plain
from rnnlab.config.logger import LOGGER_CONFIGS
from rnnlab.config.run_config import RunConfig
from rnnlab.errors import ConfigError


def check_chosen_names(config: RunConfig) -> None:
    """Only the loggers and callbacks conf/ offers, or callbacks given by class (`_target_`);
    a `+logger.x={}` is no logger."""
    offered = (("logger", [*LOGGER_CONFIGS]), ("callbacks", [*CALLBACK_CONFIGS, *TARGET_MEMBERS]))
    for group, known in offered:
        for name, settings in getattr(config, group).items():
            if name in known or (group == "callbacks" and TARGET in plain(settings)):
                continue
            extra = (
                " or a Lightning callback by its class (_target_)" if group == "callbacks" else ""
            )
            raise ConfigError(f"{group}.{name}", "{...}", f"one of conf/{group}/: "
                              f"{', '.join(sorted(known))}{extra}")  # fmt: skip


def check_callback_targets(config: RunConfig) -> None:
    """Each callback given by class imports, is a Lightning callback, takes its arguments, and
    at most one progress bar and one model summary are picked."""
    import inspect

    import lightning as L
    from hydra.utils import instantiate
    from lightning.pytorch.callbacks import ModelSummary, ProgressBar

    built = []
    for name, settings in by_target(config).items():
        target = settings[TARGET]
        kind = importable_class(f"callbacks.{name}._target_", target)
        if not issubclass(kind, L.Callback):
            raise ConfigError(f"callbacks.{name}._target_", target, "a subclass of "
                              "lightning.pytorch.Callback (import lightning, not "
                              "pytorch_lightning)")  # fmt: skip
        try:
            built.append(instantiate(settings))
        except Exception as error:  # noqa: BLE001 - a wrong argument, or a refused value
            cause = error.__cause__ or error
            raise ConfigError(f"callbacks.{name}", "{...}", f"arguments {kind.__name__} takes "
                              f"{inspect.signature(kind)} ({cause})") from error  # fmt: skip
    for kind, what in ((ProgressBar, "progress bar"), (ModelSummary, "model summary")):
        if sum(isinstance(callback, kind) for callback in built) > 1:
            raise ConfigError("callbacks", "[...]", f"at most one {what}")


def check_callbacks(config: RunConfig) -> None:
    chosen = config.callbacks
    if "early_stopping" in chosen:
        stopping = chosen["early_stopping"]
        require_int("callbacks.early_stopping.patience", stopping.patience, 1)
        require_non_negative("callbacks.early_stopping.min_delta", stopping.min_delta)
        if validation_batches_off(config.trainer):
            allowed = "none with trainer.limit_val_batches=0 (it watches a validation metric)"
            raise ConfigError("callbacks", "early_stopping", allowed)
    if "lr_monitor" in chosen:
        require("callbacks.lr_monitor.logging_interval", chosen["lr_monitor"].logging_interval,
                lambda v: v in ("step", "epoch"), "step or epoch")  # fmt: skip
