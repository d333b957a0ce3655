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
    name: SchedulerName = MISSING  # set by the scheduler= choice


@dataclass
class NoSchedulerConfig(SchedulerConfig):
    name: SchedulerName = SchedulerName.none


@dataclass
class CosineConfig(SchedulerConfig):
    """Cosine annealing from optimizer.lr to min_lr over the whole run's optimizer steps
    (Loshchilov & Hutter 2017, without restarts), after `warmup` steps of linear warm-up."""

    name: SchedulerName = SchedulerName.cosine
    warmup: int = 0  # optimizer steps of linear warm-up from lr / warmup to lr
    min_lr: float = 0.0  # the learning rate at the last step


@dataclass
class StepConfig(SchedulerConfig):
    """The learning rate times gamma every step_size epochs (torch's StepLR)."""

    name: SchedulerName = SchedulerName.step
    step_size: int = 10  # epochs between decays
    gamma: float = 0.5  # in (0, 1]


@dataclass
class PlateauConfig(SchedulerConfig):
    """The learning rate times factor when `monitor` (a validation metric) has not improved
    for `patience` epochs (torch's ReduceLROnPlateau)."""

    name: SchedulerName = SchedulerName.plateau
    monitor: str = "val/loss"
    mode: Mode = Mode.min
    factor: float = 0.5  # in (0, 1)
    patience: int = 5  # epochs without improvement before a cut
    min_lr: float = 0.0


@dataclass
class WarmupConfig(SchedulerConfig):
    """Linear warm-up over the first `warmup` optimizer steps, then optimizer.lr."""

    name: SchedulerName = SchedulerName.warmup
    warmup: int = 100


SCHEDULER_CONFIGS: dict[str, type[SchedulerConfig]] = {
    "none": NoSchedulerConfig,
    "cosine": CosineConfig,
    "step": StepConfig,
    "plateau": PlateauConfig,
    "warmup": WarmupConfig,
}
