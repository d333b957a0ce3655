"""The optimizer's, the training techniques' (warm-up, truncated BPTT, the loss) and the
learning-rate schedule's checks."""

from __future__ import annotations

from rnnlab.config.checks.require import (
    is_number,
    require,
    require_choice_fixed,
    require_fraction,
    require_int,
    require_non_negative,
    require_positive,
)
from rnnlab.config.checks.trainer_checks import validation_batches_off
from rnnlab.config.optimizer import OptimizerConfig, SGDConfig
from rnnlab.config.run_config import RunConfig
from rnnlab.errors import ConfigError


def check_optimizer(optimizer: OptimizerConfig) -> None:
    require_choice_fixed("optimizer.name", optimizer.name, type(optimizer).name, "optimizer")  # type: ignore[attr-defined]
    require_positive("optimizer.lr", optimizer.lr)
    require_non_negative("optimizer.weight_decay", optimizer.weight_decay)
    if isinstance(optimizer, SGDConfig):
        require_fraction("optimizer.momentum", optimizer.momentum)
        if optimizer.nesterov and optimizer.momentum == 0:
            raise ConfigError(
                "optimizer.nesterov",
                True,
                "false with optimizer.momentum=0 (Nesterov needs momentum)",
            )


def check_training(config: RunConfig) -> None:
    """Warm-up and truncated BPTT, and the combinations they cannot serve."""
    training, model = config.training, config.model
    require(
        "training.divergence_factor",
        training.divergence_factor,
        lambda v: v is None or (is_number(v) and v > 1),
        "null (only the non-finite check) or a number > 1",
    )
    warmup, chunk = training.warmup_steps, training.tbptt_steps
    require_int("training.warmup_steps", warmup, 0)
    steps = config.data.window_length()
    if warmup >= steps:
        raise ConfigError(
            "training.warmup_steps", warmup, f"fewer than the {steps} steps of each window"
        )
    if warmup and model.bidirectional:
        raise ConfigError(
            "training.warmup_steps", warmup, "0 for a bidirectional model (no start to warm)"
        )
    if chunk is None:
        return
    require_int("training.tbptt_steps", chunk, 1)
    refusals = {
        "null for a bidirectional model (chunks cut its future)": model.bidirectional,
        "null with a model.baseline (it spans the window)": model.baseline != "none",
        "null with model.head=mean (the mean spans every chunk)": model.head == "mean",
    }
    for allowed, refused in refusals.items():
        if refused:
            raise ConfigError("training.tbptt_steps", chunk, allowed)
    accumulate = getattr(config.trainer, "accumulate_grad_batches", 1)
    if accumulate != 1:
        raise ConfigError(
            "trainer.accumulate_grad_batches",
            accumulate,
            "1 with truncated BPTT (it steps the optimizer per chunk)",
        )


def check_scheduler(config: RunConfig) -> None:
    """Ranges, and what each schedule needs from the rest of the run."""
    scheduler, name = config.scheduler, str(config.scheduler.name)
    if name == "none":
        return
    if config.training.tbptt_steps:
        raise ConfigError("scheduler", name, "none with training.tbptt_steps (truncated BPTT "
                          "steps its optimizer by hand, past Lightning's schedulers)")  # fmt: skip
    if name in ("cosine", "warmup"):
        require_int("scheduler.warmup", scheduler.warmup, 1 if name == "warmup" else 0)
    if name in ("cosine", "plateau"):
        require_non_negative("scheduler.min_lr", scheduler.min_lr)
    if name == "cosine" and config.trainer.max_epochs == -1 and config.trainer.max_steps == -1:
        raise ConfigError("scheduler", name, "a run of known length: trainer.max_epochs or "
                          "trainer.max_steps (cosine anneals over all its steps)")  # fmt: skip
    if name == "step":
        require_int("scheduler.step_size", scheduler.step_size, 1)
        require("scheduler.gamma", scheduler.gamma, lambda v: is_number(v) and 0 < v <= 1,
                "a number in (0, 1]")  # fmt: skip
    if name == "plateau":
        require("scheduler.factor", scheduler.factor, lambda v: is_number(v) and 0 < v < 1,
                "a number in (0, 1)")  # fmt: skip
        require_int("scheduler.patience", scheduler.patience, 0)
        if validation_batches_off(config.trainer):
            raise ConfigError("scheduler", name, "another schedule with "
                              "trainer.limit_val_batches=0 (plateau watches a validation "
                              "metric)")  # fmt: skip
