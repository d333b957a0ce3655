"""The `scheduler` group (conf/scheduler/): how the learning rate moves during training.

none (the default) keeps optimizer.lr; the others are torch's schedulers, stepped by
Lightning: per optimizer step (cosine, warmup) or per epoch (step, plateau). Each default
is written here and only here.
"""

from __future__ import annotations

from dataclasses import dataclass

from omegaconf import MISSING

from rnnlab.config.choices import Mode, SchedulerName


@dataclass
class SchedulerConfig:
    name: SchedulerName = MISSING  # which schedule; pick it with scheduler=


@dataclass
class NoSchedulerConfig(SchedulerConfig):
    name: SchedulerName = SchedulerName.none


@dataclass
class CosineConfig(SchedulerConfig):
    """Cosine annealing from optimizer.lr to min_lr over the whole run's optimizer steps
    (Loshchilov & Hutter 2017, without restarts), after `warmup` steps of linear warm-up."""

    name: SchedulerName = SchedulerName.cosine
    # optimizer steps of linear warm-up from lr / warmup up to lr
    # allowed: an integer >= 0
    warmup: int = 0
    # the learning rate at the run's last optimizer step (it anneals over all of them:
    # needs `trainer.max_epochs` or `max_steps`)
    # allowed: a number >= 0
    min_lr: float = 0.0


@dataclass
class StepConfig(SchedulerConfig):
    """The learning rate times gamma every step_size epochs (torch's StepLR)."""

    name: SchedulerName = SchedulerName.step
    # epochs between decays
    # allowed: an integer >= 1
    step_size: int = 10
    # the learning rate's factor at each decay
    # allowed: a number in (0, 1]
    gamma: float = 0.5


@dataclass
class PlateauConfig(SchedulerConfig):
    """The learning rate times factor when `monitor` (a validation metric) has not improved
    for `patience` epochs (torch's ReduceLROnPlateau)."""

    name: SchedulerName = SchedulerName.plateau
    monitor: str = "val/loss"  # the validation metric watched
    mode: Mode = Mode.min  # which end of the monitored metric is better
    # the learning rate's factor at each cut
    # allowed: a number in (0, 1)
    factor: float = 0.5
    # epochs without improvement before a cut
    # allowed: an integer >= 0
    patience: int = 5
    # the floor the cuts stop at
    # allowed: a number >= 0
    min_lr: float = 0.0


@dataclass
class WarmupConfig(SchedulerConfig):
    """Linear warm-up over the first `warmup` optimizer steps, then optimizer.lr."""

    name: SchedulerName = SchedulerName.warmup
    # optimizer steps of linear warm-up, then constant
    # allowed: an integer >= 1
    warmup: int = 100


SCHEDULER_CONFIGS: dict[str, type[SchedulerConfig]] = {
    "none": NoSchedulerConfig,
    "cosine": CosineConfig,
    "step": StepConfig,
    "plateau": PlateauConfig,
    "warmup": WarmupConfig,
}
