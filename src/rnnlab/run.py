"""One training run, top to bottom: check, seed, data, model, trainer, fit, test, report."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import lightning as L
import torch
from lightning.pytorch.callbacks import ModelCheckpoint, RichModelSummary, RichProgressBar
from lightning.pytorch.loggers import TensorBoardLogger
from omegaconf import DictConfig, OmegaConf
from rich.console import Console

from rnnlab.config_check import validate_config
from rnnlab.config_errors import ConfigError
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.registry import build_datamodule
from rnnlab.hparams import flat_hyperparameters, log_hparams_with_metrics
from rnnlab.quiet import silence_lightning_notices
from rnnlab.report import metrics_table, package_versions, write_json_atomically
from rnnlab.tasks import SequenceTask, build_task

HPARAM_GROUPS = ("model", "data", "optimizer", "trainer", "training", "seed")


def route_lightning_logs_to_root() -> None:
    """Under Hydra the root logger already prints and writes train.log; Lightning's own
    console handler would print every message a second time."""
    if not logging.getLogger().handlers:
        return
    for name in ("lightning", "lightning.pytorch"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


def training_options(cfg: DictConfig) -> dict[str, Any]:
    """The task's `training` options; truncated BPTT optimises by hand, where Lightning refuses
    its clipping flags, so the task receives the clipping settings and applies them itself."""
    options: dict[str, Any] = OmegaConf.to_container(cfg.training, resolve=True)  # type: ignore[assignment]
    if options.get("tbptt_steps"):
        options["gradient_clip_val"] = cfg.trainer.get("gradient_clip_val")
        options["gradient_clip_algorithm"] = cfg.trainer.get("gradient_clip_algorithm") or "norm"
    return options


def check_warmup_fits(warmup_steps: int, datamodule: InMemoryDataModule) -> None:
    length = datamodule.splits["train"][0].shape[1]
    if warmup_steps >= length:
        allowed = f"fewer than the {length} steps of each window"
        raise ConfigError("training.warmup_steps", warmup_steps, allowed)


def check_metric_names(cfg: DictConfig, task: SequenceTask) -> None:
    """The monitored and optimized metrics must be ones this task logs, before training."""
    names = [f"{split}/{name}" for split in ("val", "test") for name in task.metric_names()]
    validation = [name for name in names if name.startswith("val/")]
    if cfg.checkpoint.monitor is not None and cfg.checkpoint.monitor not in validation:
        allowed = f"one of {validation}, or null to keep the last epoch"
        raise ConfigError("checkpoint.monitor", cfg.checkpoint.monitor, allowed)
    if cfg.optimized_metric not in names:
        raise ConfigError("optimized_metric", cfg.optimized_metric, f"one of {names}")


def check_in_sample_validation(cfg: DictConfig, datamodule: InMemoryDataModule) -> None:
    """Choosing a checkpoint by validation metrics the model trained on would pick the most
    overfitted epoch, so a fit through the validation period must keep its last epoch."""
    if getattr(datamodule, "train_through_val", False) and cfg.checkpoint.monitor is not None:
        raise ConfigError(
            "checkpoint.monitor",
            cfg.checkpoint.monitor,
            "null with data.train_through_val=true (validation is then training data; "
            "the last epoch is kept)",
        )


def build_trainer(
    cfg: DictConfig, output_dir: Path, checkpoint: ModelCheckpoint, run_name: str = ""
) -> L.Trainer:
    """The Trainer from conf/trainer/, writing logs and checkpoints into this run's folder.

    run_name names the TensorBoard run inside the folder (a sweep job's overrides), so a
    TensorBoard pointed at a whole sweep lists runs by what differs between them.
    """
    options: dict[str, Any] = OmegaConf.to_container(cfg.trainer, resolve=True)  # type: ignore[assignment]
    if cfg.training.get("tbptt_steps"):  # the task clips (see training_options)
        options.pop("gradient_clip_val", None)
        options.pop("gradient_clip_algorithm", None)
    callbacks: list[L.Callback] = [checkpoint]
    if options.get("enable_progress_bar", True):
        callbacks.append(RichProgressBar())
    if options.get("enable_model_summary", True):
        callbacks.append(RichModelSummary())
    logger = TensorBoardLogger(
        save_dir=str(output_dir), name="tensorboard", version=run_name, default_hp_metric=False
    )
    return L.Trainer(
        **options, default_root_dir=str(output_dir), logger=logger, callbacks=callbacks
    )


def evaluate_best(
    trainer: L.Trainer, task: L.LightningModule, datamodule: L.LightningDataModule, ckpt: str | None
) -> dict[str, float]:
    """Validation and test metrics of the best checkpoint (the weights in hand without one).

    The re-validation is kept out of the loggers so it adds no point to the val curves.
    """
    loggers = trainer.loggers
    trainer.loggers = []
    (val,) = trainer.validate(task, datamodule=datamodule, ckpt_path=ckpt, verbose=False)
    trainer.loggers = loggers
    (test,) = trainer.test(task, datamodule=datamodule, ckpt_path=ckpt, verbose=False)
    return {k: float(v) for k, v in {**val, **test}.items()}


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


def draw_figures(
    task: SequenceTask,
    datamodule: InMemoryDataModule,
    trainer: L.Trainer,
    output_dir: Path,
    best: str | None,
) -> Path:
    """The test figure from the best checkpoint's weights (loaded explicitly: under ddp_spawn
    the test ran in child processes and this process's task never saw them)."""
    from rnnlab.plots import save_test_figure  # matplotlib loads only here

    if best is not None:
        task.load_state_dict(torch.load(best, map_location="cpu", weights_only=True)["state_dict"])
    logger = trainer.logger if isinstance(trainer.logger, TensorBoardLogger) else None
    return save_test_figure(task, datamodule, output_dir, logger, trainer.global_step)


def train(cfg: DictConfig, output_dir: Path, run_name: str = "") -> float:
    """Train and test one configuration; returns `cfg.optimized_metric` for sweepers.

    Process-wide settings (torch threads) are put back afterwards, so jobs of a sweep that
    share one process do not inherit each other's.
    """
    threads = torch.get_num_threads()
    try:
        return _train(cfg, output_dir, run_name)
    finally:
        torch.set_num_threads(threads)


def _train(cfg: DictConfig, output_dir: Path, run_name: str) -> float:
    started = time.perf_counter()
    route_lightning_logs_to_root()
    silence_lightning_notices()
    validate_config(cfg)
    if cfg.torch_threads is not None:
        torch.set_num_threads(cfg.torch_threads)
    L.seed_everything(cfg.seed, workers=True, verbose=False)

    datamodule = build_datamodule(cfg.data)  # checks the data settings, builds the tensors
    check_warmup_fits(cfg.training.warmup_steps, datamodule)
    check_in_sample_validation(cfg, datamodule)
    task = build_task(
        OmegaConf.to_container(cfg.model, resolve=True),  # type: ignore[arg-type]
        OmegaConf.to_container(cfg.optimizer, resolve=True),  # type: ignore[arg-type]
        datamodule.facts,
        training_options(cfg),
    )
    check_metric_names(cfg, task)
    checkpoint = ModelCheckpoint(
        dirpath=output_dir / "checkpoints",
        filename="best-{epoch:03d}",
        monitor=cfg.checkpoint.monitor,
        mode=cfg.checkpoint.mode,
        save_last=True,
    )
    trainer = build_trainer(cfg, output_dir, checkpoint, run_name)

    trainer.fit(task, datamodule=datamodule)
    train_metrics = {
        f"train/{name}": float(trainer.callback_metrics[f"train/{name}"])
        for name in task.metric_names()
        if f"train/{name}" in trainer.callback_metrics
    }
    best = checkpoint.best_model_path or None
    metrics = train_metrics | evaluate_best(trainer, task, datamodule, best)

    # under ddp_spawn only best_model_path comes back from the child processes
    last_file = Path(checkpoint.dirpath or output_dir) / f"{checkpoint.CHECKPOINT_NAME_LAST}.ckpt"
    last = checkpoint.last_model_path or (str(last_file) if last_file.exists() else None)
    epochs, steps = training_progress(trainer, last)
    report = {
        "metrics": metrics,
        "best_checkpoint": best,
        "last_checkpoint": last,
        "epochs": epochs,
        "global_step": steps,
        "world_size": trainer.world_size,
        "num_parameters": sum(p.numel() for p in task.model.parameters()),
        "split_sizes": datamodule.split_sizes(),
        "device": str(trainer.strategy.root_device),
        "torch_threads": torch.get_num_threads(),
        "wall_time_s": round(time.perf_counter() - started, 3),
        "versions": package_versions(),
    }
    if trainer.is_global_zero:
        if cfg.plots:
            report["figure"] = str(draw_figures(task, datamodule, trainer, output_dir, best))
        write_json_atomically(output_dir / "metrics.json", report)
        if isinstance(trainer.logger, TensorBoardLogger):
            plain = OmegaConf.to_container(cfg, resolve=True)
            log_hparams_with_metrics(
                trainer.logger,
                flat_hyperparameters(plain, HPARAM_GROUPS),
                metrics,  # type: ignore[arg-type]
            )
        console = Console()
        console.print(metrics_table(metrics))
        console.print(f"Run folder: {output_dir}")
    return metrics[cfg.optimized_metric]
