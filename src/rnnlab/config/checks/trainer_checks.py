"""The trainer group's checks, and whether validation runs at all."""

from __future__ import annotations

import os

from rnnlab.config.checks.require import is_int, is_number, require, require_int
from rnnlab.config.data import (
    SeriesConfig,
)
from rnnlab.config.run_config import RunConfig
from rnnlab.config.trainer import TrainerConfig
from rnnlab.errors import ConfigError


def check_trainer(trainer: TrainerConfig, multirun: bool = False) -> None:
    require(
        "trainer.gradient_clip_val",
        trainer.gradient_clip_val,
        lambda v: v is None or (is_number(v) and v >= 0),
        "null (no clipping) or a number >= 0",
    )
    require(
        "trainer.max_epochs",
        trainer.max_epochs,
        lambda v: v is None or v == -1 or (is_int(v) and v >= 1),
        "an integer >= 1, or -1 for no limit",
    )
    require(
        "trainer.max_steps",
        trainer.max_steps,
        lambda v: v == -1 or (is_int(v) and v >= 1),
        "an integer >= 1, or -1 for no limit",
    )
    require_int("trainer.log_every_n_steps", trainer.log_every_n_steps, 1)
    accumulate = getattr(trainer, "accumulate_grad_batches", 1)
    require_int("trainer.accumulate_grad_batches", accumulate, 1)
    if multirun:
        refuse_relaunching_ddp_in_multirun(trainer)


def refuse_relaunching_ddp_in_multirun(trainer: TrainerConfig) -> None:
    """Lightning's `ddp` starts extra ranks by re-running the command line, `-m` and the sweep
    lists included, so each rank would run the whole sweep again. SLURM-made ranks are fine."""
    strategy, devices = str(trainer.strategy), trainer.devices
    several = devices == -1 or (is_int(devices) and devices > 1)
    under_slurm = int(os.environ.get("SLURM_NTASKS", "1")) > 1
    relaunches = strategy.startswith("ddp") and strategy != "ddp_spawn" and not under_slurm
    if relaunches and several:
        raise ConfigError(
            "trainer.strategy",
            strategy,
            "in a multirun, multi-device trials need trainer.strategy=ddp_spawn (e.g. "
            "trainer=ddp_cpu), or hydra/launcher=submitit_slurm with "
            "hydra.launcher.tasks_per_node equal to the GPUs so SLURM makes the ranks; "
            "plain ddp would re-run the whole sweep in every extra rank",
        )


def validation_batches_off(trainer: TrainerConfig) -> bool:
    limit = getattr(trainer, "limit_val_batches", None)
    return limit is not None and is_number(limit) and limit == 0


def check_validation(config: RunConfig) -> None:
    """What needs validation must have it, and in-sample validation must not pick epochs."""
    monitor = config.checkpoint.monitor
    if validation_batches_off(config.trainer):
        if monitor is not None:
            raise ConfigError(
                "checkpoint.monitor",
                monitor,
                "null with trainer.limit_val_batches=0 (no validation to "
                "monitor; the last epoch is kept)",
            )
        if config.optimized_metric.startswith("val/"):
            raise ConfigError(
                "optimized_metric",
                config.optimized_metric,
                "a test/ metric with trainer.limit_val_batches=0 (there is no validation)",
            )
    data = config.data
    if isinstance(data, SeriesConfig) and data.train_through_val and monitor is not None:
        raise ConfigError(
            "checkpoint.monitor",
            monitor,
            "null with data.train_through_val=true (validation is then training "
            "data; the last epoch is kept)",
        )
