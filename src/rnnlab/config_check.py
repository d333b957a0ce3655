"""Checks the composed config before anything heavy is built.

Data settings are checked by the data module itself, which is built next and knows its
series (a window longer than the series, say).
"""

from __future__ import annotations

from typing import Any

from omegaconf import DictConfig

from rnnlab.config_errors import (
    ConfigError,
    require,
    require_choice,
    require_int,
    require_non_negative,
)
from rnnlab.models import validate_model_config
from rnnlab.optim import validate_optimizer_config


def validate_trainer_config(trainer: DictConfig) -> None:
    require(
        "trainer.gradient_clip_val",
        trainer.get("gradient_clip_val"),
        lambda v: v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0),
        "null (no clipping) or a number >= 0",
    )
    if trainer.get("gradient_clip_algorithm") is not None:
        require_choice(
            "trainer.gradient_clip_algorithm", trainer.gradient_clip_algorithm, ("norm", "value")
        )
    require(
        "trainer.max_epochs",
        trainer.get("max_epochs"),
        lambda v: v is None or v == -1 or (isinstance(v, int) and v >= 1),
        "an integer >= 1, or -1 for no limit",
    )


def validate_config(cfg: DictConfig) -> None:
    """Raise ConfigError for the first bad value, naming its key."""
    require_int("seed", cfg.get("seed"), 0)
    threads: Any = cfg.get("torch_threads")
    if threads is not None:
        require_int("torch_threads", threads, 1)
    require_choice("optimized_mode", cfg.get("optimized_mode"), ("min", "max"))
    require_non_negative("trainer.log_every_n_steps", cfg.trainer.get("log_every_n_steps", 1))
    validate_model_config(cfg.model)
    validate_optimizer_config(cfg.optimizer)
    validate_trainer_config(cfg.trainer)
    validate_training_config(cfg)


def validate_training_config(cfg: DictConfig) -> None:
    """Warm-up and truncated BPTT, and the combinations they cannot serve."""
    training = cfg.training
    require(
        "training.divergence_factor",
        training.get("divergence_factor"),
        lambda v: v is None or (isinstance(v, (int, float)) and v > 1),
        "null (never stop) or a number > 1",
    )
    warmup, chunk = training.get("warmup_steps", 0), training.get("tbptt_steps")
    require_int("training.warmup_steps", warmup, 0)
    if chunk is not None:
        require_int("training.tbptt_steps", chunk, 1)
    bidirectional = cfg.model.get("bidirectional", False)
    if warmup and bidirectional:
        raise ConfigError(
            "training.warmup_steps", warmup, "0 for a bidirectional model (no start to warm)"
        )
    if chunk is None:
        return
    if bidirectional:
        raise ConfigError(
            "training.tbptt_steps", chunk, "null for a bidirectional model (chunks cut its future)"
        )
    if cfg.model.get("baseline", "none") != "none":
        raise ConfigError(
            "training.tbptt_steps", chunk, "null with a model.baseline (it spans the window)"
        )
    if cfg.model.get("head", "auto") == "mean":
        raise ConfigError("training.tbptt_steps", chunk,
                          "null with model.head=mean (the mean spans every chunk)")  # fmt: skip
    if cfg.trainer.get("accumulate_grad_batches", 1) != 1:
        raise ConfigError("trainer.accumulate_grad_batches", cfg.trainer.accumulate_grad_batches,
                          "1 with truncated BPTT (it steps the optimizer per chunk)")  # fmt: skip
