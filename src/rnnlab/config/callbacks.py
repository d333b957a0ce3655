"""Lightning callbacks a user picks (conf/callbacks/), combinable
(`callbacks=[early_stopping,tqdm_progress_bar]`): early stopping and a learning-rate monitor
with typed settings here; any other callback by its class (`_target_`) and arguments, as
conf/callbacks/tqdm_progress_bar.yaml gives one. The checkpoint is always there
(`checkpoint.*`), and so are rnnlab's own (divergence, interrupt, resume state); whether a
progress bar and model summary show follows `trainer.enable_progress_bar` and
`trainer.enable_model_summary` (rich's unless another is picked)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rnnlab.config.choices import Mode

TARGET = "_target_"


@dataclass
class EarlyStoppingConfig:
    """Stop when `monitor` (a validation metric) has not improved by min_delta for
    `patience` validation epochs (Lightning's EarlyStopping)."""

    monitor: str = "val/loss"  # the validation metric watched
    mode: Mode = Mode.min  # which end of it is better
    # stop after this many validation epochs without an improvement of more than min_delta
    # (its count is in the checkpoint, so a resumed run keeps counting)
    # allowed: an integer >= 1
    patience: int = 10
    # the least change that counts as an improvement
    # allowed: a number >= 0
    min_delta: float = 0.0


@dataclass
class LrMonitorConfig:
    """The learning rate of each optimizer as a scalar (Lightning's LearningRateMonitor; on
    by itself, per step, whenever a scheduler is set)."""

    # the learning rate as a scalar `lr-<optimizer>`, per `step` or `epoch`
    # allowed: step, epoch
    logging_interval: str = "step"


# conf/callbacks/ members given by class (_target_): Lightning's own, with their arguments
TARGET_MEMBERS = ("model_summary", "rich_progress_bar", "tqdm_progress_bar")

CALLBACK_CONFIGS: dict[str, type] = {
    "early_stopping": EarlyStoppingConfig,
    "lr_monitor": LrMonitorConfig,
}


def by_target(config: Any) -> dict[str, dict[str, Any]]:
    """{name: settings} of the callbacks given by class (`_target_`), in the order picked."""
    from rnnlab.config.convert import plain  # convert imports the run schema, which imports this

    chosen = {name: plain(settings) for name, settings in config.callbacks.items()}
    return {name: settings for name, settings in chosen.items() if TARGET in settings}
