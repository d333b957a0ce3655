"""Every range and cross-field check of a run's config, in one place, run before any data,
model or Trainer is built.

Types, choices and key names are already enforced by the schemas when Hydra composes; this
module checks what a type cannot say (ranges, and settings that do not go together). Each
failure is a ConfigError naming the key, the value and what is allowed. The one check that
needs the data itself (which metrics the task logs) is `check_metric_names`, run once the
data module has been built and before the model.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rnnlab.config.callbacks import CALLBACK_CONFIGS, TARGET, TARGET_MEMBERS, by_target
from rnnlab.config.convert import plain
from rnnlab.config.data import (
    CsvConfig,
    DataConfig,
    EchoConfig,
    GeneratedConfig,
    SeriesConfig,
    SineConfig,
)
from rnnlab.config.logger import LOGGER_CONFIGS
from rnnlab.config.model import ModelConfig
from rnnlab.config.optimizer import OptimizerConfig, SGDConfig
from rnnlab.config.run_config import RunConfig
from rnnlab.config.trainer import TrainerConfig
from rnnlab.errors import ConfigError

# --- the small checks -------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def require(key: str, value: Any, ok: Callable[[Any], bool], allowed: str) -> None:
    """Raise ConfigError unless ok(value); a failing predicate (TypeError) counts as not ok."""
    try:
        passed = bool(ok(value))
    except (TypeError, ValueError):
        passed = False
    if not passed:
        raise ConfigError(key, value, allowed)


def require_int(key: str, value: Any, minimum: int) -> None:
    require(key, value, lambda v: _is_int(v) and v >= minimum, f"an integer >= {minimum}")


def require_positive(key: str, value: Any) -> None:
    require(key, value, lambda v: _is_number(v) and v > 0, "a number > 0")


def require_non_negative(key: str, value: Any) -> None:
    require(key, value, lambda v: _is_number(v) and v >= 0, "a number >= 0")


def require_fraction(key: str, value: Any) -> None:
    """A probability-like value in [0, 1): dropout, momentum."""
    require(key, value, lambda v: _is_number(v) and 0 <= v < 1, "a number in [0, 1)")


def require_choice_fixed(key: str, value: Any, fixed: Any, group: str) -> None:
    """`model.kind`, `data.name`, `optimizer.name` follow from the group file picked."""
    fixed = str(fixed)
    if str(value) != fixed:
        raise ConfigError(
            key, str(value), f"{fixed!r}, as set by {group}=...; pick another {group}= file instead"
        )


# --- the whole config -------------------------------------------------------------------


def check_config(config: RunConfig, multirun: bool = False) -> None:
    """Raise ConfigError for the first bad value, naming its key."""
    require_int("seed", config.seed, 0)
    if config.torch_threads is not None:
        require_int("torch_threads", config.torch_threads, 1)
    check_model(config.model)
    check_optimizer(config.optimizer)
    check_trainer(config.trainer, multirun)
    check_data(config.data)
    check_training(config)
    check_model_fits_data(config.model, config.data)
    check_validation(config)
    check_resume(config)
    check_auto(config)
    check_chosen_names(config)
    check_callbacks(config)
    check_callback_targets(config)
    check_scheduler(config)


def check_model(model: ModelConfig) -> None:
    require_choice_fixed("model.kind", model.kind, type(model).kind, "model")  # type: ignore[attr-defined]
    require_int("model.hidden_size", model.hidden_size, 1)
    require_int("model.num_layers", model.num_layers, 1)
    require_fraction("model.dropout", model.dropout)
    require_fraction("model.head_dropout", model.head_dropout)
    if model.init == "identity" and model.kind != "rnn":
        allowed = "identity (IRNN) is for model=rnn; use orthogonal"
        raise ConfigError("model.init", "identity", allowed)


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


def check_trainer(trainer: TrainerConfig, multirun: bool = False) -> None:
    require(
        "trainer.gradient_clip_val",
        trainer.gradient_clip_val,
        lambda v: v is None or (_is_number(v) and v >= 0),
        "null (no clipping) or a number >= 0",
    )
    require(
        "trainer.max_epochs",
        trainer.max_epochs,
        lambda v: v is None or v == -1 or (_is_int(v) and v >= 1),
        "an integer >= 1, or -1 for no limit",
    )
    require(
        "trainer.max_steps",
        trainer.max_steps,
        lambda v: v == -1 or (_is_int(v) and v >= 1),
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
    several = devices == -1 or (_is_int(devices) and devices > 1)
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


def check_data(data: DataConfig) -> None:
    require_choice_fixed("data.name", data.name, type(data).name, "data")  # type: ignore[attr-defined]
    require_int("data.batch_size", data.batch_size, 1)
    require_int("data.seed", data.seed, 0)
    if isinstance(data, SineConfig):
        require_int("data.num_points", data.num_points, 3)
        require_int("data.tau", data.tau, 1)
        require_non_negative("data.noise_std", data.noise_std)
        if not data.tau < data.train_end < data.val_end < data.num_points:
            raise ConfigError(
                "data.train_end/val_end",
                (data.train_end, data.val_end),
                f"need tau ({data.tau}) < train_end < val_end < num_points ({data.num_points})",
            )
    elif isinstance(data, GeneratedConfig):
        require_int("data.length", data.length, type(data).min_length)
        for split in ("train", "val", "test"):
            require_int(f"data.num_{split}", getattr(data, f"num_{split}"), 1)
        if isinstance(data, EchoConfig):
            require_int("data.symbols", data.symbols, 2)
            require_int("data.delay", data.delay, 0)
            if data.delay >= data.length:
                allowed = f"less than data.length ({data.length})"
                raise ConfigError("data.delay", data.delay, allowed)
    elif isinstance(data, SeriesConfig):
        for key in ("window", "horizon", "val_periods", "test_periods", "season"):
            if key != "window" or data.window is not None:  # null: fitted to the series
                require_int(f"data.{key}", getattr(data, key), 1)
        require_int("data.hold_back", data.hold_back, 0)
        if data.calendar and data.season < 2:
            raise ConfigError("data.calendar", True, "false without a season (data.season > 1 "
                              "says where each period falls in it)")  # fmt: skip
        require("data.log_transform", data.log_transform, lambda v: v in (True, False, "auto"),
                "true, false or auto")  # fmt: skip
        if isinstance(data, CsvConfig):
            check_csv_series(data)
        if data.horizon > min(data.val_periods, data.test_periods):
            allowed = f"at most val_periods/test_periods ({data.val_periods}/{data.test_periods})"
            raise ConfigError("data.horizon", data.horizon, allowed)


def check_csv_series(data: CsvConfig) -> None:
    """One target column, or several (one series each); an id column with one target."""
    target, names = data.target, data.target_columns()
    if names is not None:
        ok = bool(names) and all(isinstance(n, str) and n for n in names)
        if not ok or len(set(names)) != len(names):
            raise ConfigError("data.target", names, "a column name, or a list of distinct "
                              "column names (one series each)")  # fmt: skip
        if data.id_column is not None:
            allowed = "null with several target columns (long format has one value column)"
            raise ConfigError("data.id_column", data.id_column, allowed)
    elif not isinstance(target, str) or not target:
        raise ConfigError("data.target", target, "a column name, or a list of column names")
    if data.series_id and not data.several_series():
        raise ConfigError("data.series_id", True, "false for one series (identity is for "
                          "several: data.id_column or a list of data.target columns)")  # fmt: skip


def check_training(config: RunConfig) -> None:
    """Warm-up and truncated BPTT, and the combinations they cannot serve."""
    training, model = config.training, config.model
    require(
        "training.divergence_factor",
        training.divergence_factor,
        lambda v: v is None or (_is_number(v) and v > 1),
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


def check_model_fits_data(model: ModelConfig, data: DataConfig) -> None:
    """The head must suit the task; a forecast baseline needs one series and its season."""
    per_step = data.task == "labeling"
    if model.head != "auto" and (model.head == "per_step") != per_step:
        wanted = "per_step (or auto)" if per_step else "last or mean (or auto)"
        raise ConfigError("model.head", str(model.head), f"data={data.name} needs head {wanted}")
    covariates = (getattr(data, "calendar", False) or getattr(data, "covariates", [])
                  or getattr(data, "series_id", False))  # fmt: skip
    if model.decoder == "recursive" and covariates:
        raise ConfigError("model.decoder", "recursive", "direct with covariates, calendar "
                          "features or series identity (the recursion would need their "
                          "future values)")  # fmt: skip
    if model.decoder == "recursive" and data.forecast_horizon() is None:
        raise ConfigError("model.decoder", "recursive", f"direct for data={data.name}: the "
                          "recursive strategy is for one series forecast from itself")  # fmt: skip
    if model.autoregressive and data.forecast_horizon() is None:
        raise ConfigError("model.autoregressive", True, f"false for data={data.name}: the "
                          "linear path is for one series forecast from itself")  # fmt: skip
    if model.baseline == "none":
        return
    horizon = data.forecast_horizon()
    if horizon is None:
        raise ConfigError(
            "model.baseline",
            str(model.baseline),
            f"none for data={data.name}: a baseline is for one series forecast "
            "from itself (sine, passengers, csv)",
        )
    if model.baseline in ("seasonal_naive", "seasonal_mean"):
        season, window = data.seasonal_period(), data.window_length()
        kind = str(model.baseline)
        if season is None:
            allowed = (
                f"window_mean or none: {kind} needs a seasonal series "
                f"(data.season of passengers or csv); data={data.name} has no season"
            )
            raise ConfigError("model.baseline", kind, allowed)
        if not season <= window:
            allowed = (
                f"window_mean or none here: {kind} needs data.season ({season}) <= "
                f"the window ({window})"
            )
            raise ConfigError("model.baseline", kind, allowed)


def validation_batches_off(trainer: TrainerConfig) -> bool:
    limit = getattr(trainer, "limit_val_batches", None)
    return limit is not None and _is_number(limit) and limit == 0


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
        require("scheduler.gamma", scheduler.gamma, lambda v: _is_number(v) and 0 < v <= 1,
                "a number in (0, 1]")  # fmt: skip
    if name == "plateau":
        require("scheduler.factor", scheduler.factor, lambda v: _is_number(v) and 0 < v < 1,
                "a number in (0, 1)")  # fmt: skip
        require_int("scheduler.patience", scheduler.patience, 0)
        if validation_batches_off(config.trainer):
            raise ConfigError("scheduler", name, "another schedule with "
                              "trainer.limit_val_batches=0 (plateau watches a validation "
                              "metric)")  # fmt: skip


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
    from hydra.utils import get_class, instantiate
    from lightning.pytorch.callbacks import ModelSummary, ProgressBar

    built = []
    for name, settings in by_target(config).items():
        target = settings[TARGET]
        try:
            kind = get_class(target)
        except Exception as error:  # noqa: BLE001 - Hydra wraps import errors in its own
            raise ConfigError(f"callbacks.{name}._target_", target,
                              "an importable class (module.Class)") from error  # fmt: skip
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
    require("auto.combine", auto.combine, lambda v: _is_int(v) and 1 <= v <= len(auto.candidates),
            f"an integer from 1 to the {len(auto.candidates)} candidates")  # fmt: skip
    require("auto.alpha", auto.alpha, lambda v: _is_number(v) and 0 < v < 1, "a number in (0, 1)")
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
