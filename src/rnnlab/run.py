"""One training run, top to bottom: config, data, model, trainer, fit, test, report."""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import lightning as L
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import Logger
from omegaconf import DictConfig
from rich.console import Console

from rnnlab.callbacks import CloseSpawnedRanks, DivergenceMonitor, GracefulInterrupt, ResumeState
from rnnlab.callbacks.configured import configured_callbacks
from rnnlab.callbacks.report_to_trial import trial_callbacks
from rnnlab.callbacks.thread_count import ThreadsForStepSize
from rnnlab.config.checks import check_config, check_metric_names, validation_batches_off
from rnnlab.config.convert import plain, typed_config
from rnnlab.config.run_config import RunConfig
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.registry import build_datamodule
from rnnlab.errors import ConfigError
from rnnlab.loggers import build_loggers
from rnnlab.quiet import silence_lightning_notices
from rnnlab.report import metrics_table
from rnnlab.resume import checkpoint_to_resume, finished_result
from rnnlab.run_folder import LAST_CHECKPOINT
from rnnlab.run_outputs import RunRecord, write_outputs
from rnnlab.tasks import SequenceTask, build_task, metric_names


def route_lightning_logs_to_root() -> None:
    """Under Hydra the root logger already prints and writes train.log; Lightning's own
    console handler would print every message a second time."""
    if not logging.getLogger().handlers:
        return
    for name in ("lightning", "lightning.pytorch"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


def task_training(config: RunConfig) -> dict[str, Any]:
    """The task's `training` options; truncated BPTT optimises by hand, where Lightning refuses
    its clipping flags, so the task receives the clipping settings and applies them itself."""
    options: dict[str, Any] = plain(config.training)
    options["scheduler"] = plain(config.scheduler)  # the optimizer's schedule (conf/scheduler/)
    if config.training.tbptt_steps:
        options["gradient_clip_val"] = config.trainer.gradient_clip_val
        options["gradient_clip_algorithm"] = str(config.trainer.gradient_clip_algorithm)
    return options


def build_trainer(
    config: RunConfig,
    output_dir: Path,
    checkpoint: ModelCheckpoint,
    run_name: str = "",
    multirun: bool = False,
    extra_callbacks: Sequence[L.Callback] = (),
) -> L.Trainer:
    """The Trainer from conf/trainer/, writing logs and checkpoints into this run's folder;
    `extra_callbacks` (a caller's, e.g. a benchmark's clock) run after the run's own."""
    options: dict[str, Any] = plain(config.trainer)
    if config.training.tbptt_steps:  # the task clips (see task_training)
        options.pop("gradient_clip_val", None)
        options.pop("gradient_clip_algorithm", None)
    callbacks = run_callbacks(config, output_dir, checkpoint)
    if config.torch_threads is None:  # chosen from the first batch's size
        callbacks.append(ThreadsForStepSize())
    callbacks += extra_callbacks
    if str(options.get("strategy", "")).startswith(SPAWNING_STRATEGIES):
        callbacks.append(CloseSpawnedRanks())  # last: the group is closed after every hook
    loggers = build_loggers(config, output_dir, run_name, multirun)
    return L.Trainer(
        **options, default_root_dir=str(output_dir), logger=loggers or False, callbacks=callbacks
    )


def run_checkpoint(config: RunConfig, output_dir: Path) -> ModelCheckpoint:
    """The run's best (by checkpoint.monitor) and last checkpoints, in its checkpoints/."""
    return ModelCheckpoint(
        dirpath=output_dir / LAST_CHECKPOINT.parent,
        filename="best-{epoch:03d}",
        monitor=config.checkpoint.monitor,
        mode=str(config.checkpoint.mode),
        save_last=True,
        enable_version_counter=False,  # a resumed run writes its checkpoints in place
    )


def run_callbacks(
    config: RunConfig, output_dir: Path, checkpoint: ModelCheckpoint
) -> list[L.Callback]:
    """The callbacks that make one run what it is (checkpoints, interrupt, divergence, resume
    state, the user's picks, an Optuna trial's report); a stacked replica gets the same."""
    callbacks: list[L.Callback] = [
        checkpoint,
        GracefulInterrupt(output_dir / LAST_CHECKPOINT),  # after `checkpoint`: see its docs
        DivergenceMonitor(config.training.divergence_factor),
        ResumeState(plain(config)),
    ]
    callbacks += configured_callbacks(config, output_dir / LAST_CHECKPOINT.parent)
    return callbacks + trial_callbacks(config.optimized_metric, output_dir)


def build_data_and_task(
    config: RunConfig, datamodule: InMemoryDataModule | None = None
) -> tuple[InMemoryDataModule, SequenceTask]:
    """Seeded, then the data, then the task: the order every random draw of a run follows
    (a stacked sweep's replicas are built by this same function, so their streams are the
    solo runs'). `datamodule`: one a caller built (a benchmark's), instead of config.data's."""
    L.seed_everything(config.seed, workers=True, verbose=False)
    if datamodule is None:
        datamodule = build_datamodule(config.data)  # reads and checks the data, builds tensors
    after_fit = ["mase"] if datamodule.facts.series_names else []  # several series' mean
    check_metric_names(config, metric_names(datamodule.facts), after_fit)
    task = build_task(config.model, config.optimizer, datamodule.facts, task_training(config))
    return datamodule, task


def run_record(
    trainer: L.Trainer, checkpoint: ModelCheckpoint, output_dir: Path, wall_time_s: float
) -> RunRecord:
    """What this fit leaves for the run folder's report."""
    best = checkpoint.best_model_path or None
    # under ddp_spawn only best_model_path comes back from the child processes
    last_file = output_dir / LAST_CHECKPOINT
    last = checkpoint.last_model_path or (str(last_file) if last_file.exists() else None)
    epochs, steps = training_progress(trainer, last)
    return RunRecord(
        best=best,
        last=last,
        epochs=epochs,
        global_step=steps,
        logged_step=trainer.global_step,
        world_size=trainer.world_size,
        device=str(trainer.strategy.root_device),
        loggers=list(trainer.loggers),
        wall_time_s=wall_time_s,
    )


def evaluate_best(
    trainer: L.Trainer,
    task: L.LightningModule,
    datamodule: L.LightningDataModule,
    ckpt: str | None,
    validate: bool = True,
) -> dict[str, float]:
    """Validation (unless there is none) and test metrics of the best checkpoint (the weights
    in hand without one). The re-validation is kept out of the loggers so it adds no point to
    the val curves."""
    metrics: dict[str, float] = {}
    if validate:
        loggers = trainer.loggers
        trainer.loggers = []
        results = trainer.validate(task, datamodule=datamodule, ckpt_path=ckpt, verbose=False)
        trainer.loggers = loggers
        metrics |= results[0] if results else {}
    (test,) = trainer.test(task, datamodule=datamodule, ckpt_path=ckpt, verbose=False)
    return {k: float(v) for k, v in {**metrics, **test}.items()}


def epochs_trained(trainer: L.Trainer) -> float:
    """Passes over the training data: 64.1 when max_steps stopped the 65th epoch after a tenth
    of it (Lightning's current_epoch counts that one as done and would say 65)."""
    batches = trainer.fit_loop.epoch_loop.batch_progress.total.completed
    per_epoch = trainer.num_training_batches
    if not batches or not per_epoch or per_epoch == float("inf"):
        return trainer.current_epoch
    epochs = batches / per_epoch
    return int(epochs) if epochs.is_integer() else round(epochs, 3)


def training_progress(trainer: L.Trainer, last_checkpoint: str | None) -> tuple[float, int]:
    """(epochs, optimizer steps) of the fit. Under ddp_spawn the fit ran in child processes
    and this process's Trainer never counted, so the last checkpoint is the record there
    (elsewhere it can lag: it is written at epoch ends, and max_steps may stop mid-epoch)."""
    if trainer.global_step > 0 or last_checkpoint is None:
        return epochs_trained(trainer), trainer.global_step
    state = torch.load(last_checkpoint, map_location="cpu", weights_only=True)
    return state["epoch"] + 1, state["global_step"]


def train(
    cfg: DictConfig | RunConfig,
    output_dir: Path,
    run_name: str = "",
    multirun: bool = False,
    *,
    datamodule: InMemoryDataModule | None = None,
    callbacks: Sequence[L.Callback] = (),
) -> float:
    """Train and test one configuration; returns `optimized_metric` for sweepers.

    `datamodule` and `callbacks` are for callers that bring their own (benchmarks, tests):
    a data module used instead of config.data's, and callbacks added to the run's own.
    Process-wide settings (torch threads) are put back afterwards, so jobs of a sweep that
    share one process do not inherit each other's.
    """
    threads = torch.get_num_threads()
    try:
        return _train(cfg, output_dir, run_name, multirun, datamodule, callbacks)
    finally:
        torch.set_num_threads(threads)


def _train(
    cfg: DictConfig | RunConfig,
    output_dir: Path,
    run_name: str,
    multirun: bool,
    given_data: InMemoryDataModule | None,
    extra_callbacks: Sequence[L.Callback],
) -> float:
    started = time.perf_counter()
    route_lightning_logs_to_root()
    silence_lightning_notices()
    config = cfg if isinstance(cfg, RunConfig) else typed_config(cfg)
    if config.auto.candidates:  # a search, not one run: rnnlab.configured_run runs those
        raise ConfigError("auto.candidates", "[...]", "empty for rnnlab.run.train, which "
                          "trains one run (a search: rnnlab.configured_run)")  # fmt: skip
    check_config(config, multirun)  # every config check, before anything is built
    if config.torch_threads is not None:  # before any tensor work (train() puts it back)
        torch.set_num_threads(config.torch_threads)
    finished = finished_result(plain(config), output_dir) if config.resume else None
    if finished is not None:  # resume=true on a run that already finished with these settings
        Console().print(metrics_table(finished["metrics"], title="Finished before: metrics"))
        return finished["metrics"][config.optimized_metric]
    resume_from = checkpoint_to_resume(config, plain(config), output_dir, multirun)
    datamodule, task = build_data_and_task(config, given_data)
    checkpoint = run_checkpoint(config, output_dir)
    trainer = build_trainer(config, output_dir, checkpoint, run_name, multirun, extra_callbacks)
    with warnings.catch_warnings():
        if resume_from is not None:  # continuing in its own folder, whose checkpoints exist
            warnings.filterwarnings("ignore", message="Checkpoint directory .* is not empty")
        trainer.fit(task, datamodule=datamodule, ckpt_path=resume_from)

    metrics = fit_and_test_metrics(config, trainer, task, datamodule, checkpoint)
    record = run_record(trainer, checkpoint, output_dir, round(time.perf_counter() - started, 3))
    if trainer.is_global_zero:
        write_outputs(config, output_dir, record, task, datamodule, metrics, multirun)
    return metrics[config.optimized_metric]


SPAWNING_STRATEGIES = ("ddp_spawn", "ddp_fork", "ddp_notebook")


def evaluation_trainer(config: RunConfig, trainer: L.Trainer) -> L.Trainer:
    """The Trainer that evaluates the best checkpoint: the fit's own, except where the fit ran
    in spawned processes. Evaluating there would spawn them twice more (seconds each, and
    each launch is a chance for gloo's occasional abort at process exit); the data are in
    memory and synchronised metrics equal one process's (tests/test_ddp.py), so evaluation
    runs here, on one device, with the fit's logger."""
    if not str(config.trainer.strategy).startswith(SPAWNING_STRATEGIES):
        return trainer
    return single_device_trainer(config, trainer.loggers, trainer.default_root_dir)


def single_device_trainer(config: RunConfig, loggers: list[Logger], root: str | Path) -> L.Trainer:
    """A Trainer that only evaluates, on one device, into these loggers."""
    return L.Trainer(
        accelerator=config.trainer.accelerator,
        devices=1,
        precision=config.trainer.precision,
        logger=loggers or False,
        default_root_dir=str(root),
        enable_progress_bar=config.trainer.enable_progress_bar,
        enable_model_summary=False,
        enable_checkpointing=False,
    )


def train_metrics(values: dict[str, Any], task: SequenceTask) -> dict[str, float]:
    """The last epoch's train/ metrics among a fit's metrics."""
    names = (f"train/{name}" for name in task.metric_names())
    return {name: float(values[name]) for name in names if name in values}


def fit_and_test_metrics(
    config: RunConfig,
    trainer: L.Trainer,
    task: SequenceTask,
    datamodule: InMemoryDataModule,
    checkpoint: ModelCheckpoint,
) -> dict[str, float]:
    """The last epoch's train/ metrics, and val/ and test/ of the best checkpoint."""
    validate = not validation_batches_off(config.trainer)
    best = checkpoint.best_model_path or None
    evaluator = evaluation_trainer(config, trainer)
    fitted = train_metrics(trainer.callback_metrics, task)
    return fitted | evaluate_best(evaluator, task, datamodule, best, validate)
