"""Checks of the run as a whole: automatic forecasting, resuming, and the metric names a
run may monitor (known once the data module is built)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from rnnlab.config.checks.require import is_int, is_number, require, require_int
from rnnlab.config.data import (
    SeriesConfig,
)
from rnnlab.config.run_config import RunConfig
from rnnlab.errors import ConfigError


def check_classical(names: list[str]) -> None:
    require("auto.classical", names, lambda v: len(set(v)) == len(v), "each model once")
    if names and importlib.util.find_spec("statsforecast") is None:
        install = 'pip install -e ".[forecast]"'
        raise ConfigError("auto.classical", names, f"[] (rnnlab alone) without statsforecast: "
                          f"{install} installs it")  # fmt: skip


def check_auto(config: RunConfig) -> None:
    auto = config.auto
    if not auto.candidates:
        return
    if not isinstance(config.data, SeriesConfig):
        raise ConfigError("auto.candidates", "[...]", f"empty for data={config.data.name}: "
                          "automatic forecasting is for a series (csv, passengers)")  # fmt: skip
    require_int("auto.origins", auto.origins, 1)
    require_int("auto.seeds", auto.seeds, 1)
    require("auto.combine", auto.combine, lambda v: is_int(v) and 1 <= v <= len(auto.candidates),
            f"an integer from 1 to the {len(auto.candidates)} candidates")  # fmt: skip
    require("auto.alpha", auto.alpha, lambda v: is_number(v) and 0 < v < 1, "a number in (0, 1)")
    check_classical([str(name) for name in auto.classical])
    if config.resume or config.ckpt_path is not None:
        raise ConfigError("resume", config.resume, "false with automatic forecasting (its "
                          "runs start afresh; resume one of them in its own folder)")  # fmt: skip


def check_resume(config: RunConfig) -> None:
    if config.ckpt_path is None:
        return
    if config.resume:
        raise ConfigError(
            "ckpt_path",
            config.ckpt_path,
            "null with resume=true (resume continues the run folder's own "
            "last checkpoint; ckpt_path starts a new run from another)",
        )
    if not Path(config.ckpt_path).expanduser().is_file():
        raise ConfigError("ckpt_path", config.ckpt_path, "an existing checkpoint file")


def check_metric_names(config: RunConfig, names: list[str], after_fit: list[str] = ()) -> None:
    """The monitored and optimized metrics must be ones the task logs (names depend on the
    data: MAPE only where every value is > 0), checked once the data is built. `after_fit`:
    names computed once training ended (several series' mean MASE), to optimize, not monitor."""
    logged = [f"{split}/{name}" for split in ("val", "test") for name in names]
    validation = [name for name in logged if name.startswith("val/")]
    monitor = config.checkpoint.monitor
    if monitor is not None and monitor not in validation:
        raise ConfigError(
            "checkpoint.monitor", monitor, f"one of {validation}, or null to keep the last epoch"
        )
    if str(config.scheduler.name) == "plateau" and config.scheduler.monitor not in validation:
        raise ConfigError("scheduler.monitor", config.scheduler.monitor, f"one of {validation}")
    stopping = config.callbacks.get("early_stopping")
    if stopping is not None and stopping.monitor not in validation:
        raise ConfigError("callbacks.early_stopping.monitor", stopping.monitor,
                          f"one of {validation}")  # fmt: skip
    logged += [f"{split}/{name}" for split in ("val", "test") for name in after_fit]
    if config.optimized_metric not in logged:
        raise ConfigError("optimized_metric", config.optimized_metric, f"one of {logged}")
