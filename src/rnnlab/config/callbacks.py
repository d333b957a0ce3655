"""Optional Lightning callbacks (conf/callbacks/): early stopping and a learning-rate
monitor, combinable (`callbacks=[early_stopping,lr_monitor]`). The checkpoint is always
there (`checkpoint.*`), and so are rnnlab's own (divergence, interrupt, resume state);
the progress bar and model summary follow `trainer.enable_progress_bar` and
`trainer.enable_model_summary`."""

from __future__ import annotations

from dataclasses import dataclass

from rnnlab.config.choices import Mode


@dataclass
class EarlyStoppingConfig:
    """Stop when `monitor` (a validation metric) has not improved by min_delta for
    `patience` validation epochs (Lightning's EarlyStopping)."""

    monitor: str = "val/loss"
    mode: Mode = Mode.min
    patience: int = 10
    min_delta: float = 0.0


@dataclass
class LrMonitorConfig:
    """The learning rate of each optimizer as a scalar (Lightning's LearningRateMonitor; on
    by itself, per step, whenever a scheduler is set)."""

    logging_interval: str = "step"  # step or epoch


CALLBACK_CONFIGS: dict[str, type] = {
    "early_stopping": EarlyStoppingConfig,
    "lr_monitor": LrMonitorConfig,
}
