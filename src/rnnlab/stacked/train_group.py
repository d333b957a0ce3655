"""Train a group of sweep jobs as one stacked model, then leave each job's folder as its solo
run would: checkpoints, loggers, metrics.json (with `stacked`), figures, failure.json.

Each replica is built by the solo run's own code (run.build_data_and_task, run_checkpoint,
run_callbacks, build_loggers), trained in the group (StackedTask, ReplicaHooks), then
evaluated and reported alone (run.evaluate_best, run_outputs.write_outputs).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightning as L
import torch
from hydra.core.hydra_config import HydraConfig
from lightning.pytorch.callbacks import Checkpoint, ModelCheckpoint, ModelSummary, ProgressBar
from omegaconf import DictConfig

from rnnlab.callbacks.configured import with_display
from rnnlab.callbacks.interrupt import GracefulInterrupt
from rnnlab.config.checks import check_config, validation_batches_off
from rnnlab.config.convert import plain, typed_config
from rnnlab.config.run_config import RunConfig
from rnnlab.loggers import build_loggers
from rnnlab.quiet import silence_lightning_notices
from rnnlab.resume import finished_result
from rnnlab.run import (
    epochs_trained,
    evaluate_best,
    route_lightning_logs_to_root,
    run_callbacks,
    run_checkpoint,
    single_device_trainer,
    train_metrics,
)
from rnnlab.run_folder import FAILURE_FILE, LAST_CHECKPOINT
from rnnlab.run_outputs import RunRecord, write_outputs
from rnnlab.stacked.batches import StackedDataModule
from rnnlab.stacked.random_streams import ReplicaStreams
from rnnlab.stacked.replica import build_replica
from rnnlab.stacked.replica_hooks import ReplicaHooks
from rnnlab.stacked.replica_trainer import ReplicaTrainer
from rnnlab.stacked.task import ReplicaSettings, StackedTask
from rnnlab.step_threads import parameters_of, step_size, threads_for_step
from rnnlab.sweep.job import record_failure, worst_value

log = logging.getLogger(__name__)
GROUP_LEVEL = (GracefulInterrupt, ProgressBar, ModelSummary)  # the group's, not a replica's


@dataclass
class GroupJob:
    """One job of the group: its config, folder, TensorBoard run name, job number, and its
    whole config with hydra.* when a launcher runs it (an Optuna trial's job finds its
    trial there)."""

    cfg: DictConfig
    output_dir: Path
    run_name: str
    number: int
    hydra_config: DictConfig | None = None


@dataclass
class Replica:
    job: GroupJob
    config: RunConfig
    view: ReplicaTrainer
    checkpoint: ModelCheckpoint
    settings: ReplicaSettings
    failed: bool = False


def train_group(jobs: Sequence[GroupJob], multirun: bool = True) -> list[float]:
    """Each job's optimized metric, in order (the worst value for a job that failed)."""
    threads = torch.get_num_threads()
    try:
        return _train_group(jobs, multirun)
    finally:
        torch.set_num_threads(threads)


def _train_group(jobs: Sequence[GroupJob], multirun: bool) -> list[float]:
    started = time.perf_counter()
    route_lightning_logs_to_root()
    silence_lightning_notices()
    results = [worst_value(job.cfg) for job in jobs]
    replicas, streams = [], ReplicaStreams()
    for position, job in enumerate(jobs):
        (job.output_dir / FAILURE_FILE).unlink(missing_ok=True)  # an earlier attempt's
        try:
            config = typed_config(job.cfg)
            check_config(config, multirun)
            finished = finished_result(plain(config), job.output_dir) if config.resume else None
            if finished is not None:  # resume=true: this job finished before
                results[position] = finished["metrics"][config.optimized_metric]
                continue
            if config.resume:  # a group is not continued mid-way: it trains again, the same
                shutil.rmtree(job.output_dir / LAST_CHECKPOINT.parent, ignore_errors=True)
            replicas.append((position, build(job, config, streams, multirun)))
        except Exception as error:  # noqa: BLE001 - one job's bad input is its own
            record_failure(job.output_dir, error, time.perf_counter() - started)
    if not replicas:
        return results
    values = fit_group([r for _, r in replicas], streams, started, multirun)
    for (position, _), value in zip(replicas, values, strict=True):
        results[position] = value
    return results


def build(job: GroupJob, config: RunConfig, streams: ReplicaStreams, multirun: bool) -> Replica:
    """The replica as its solo run builds itself, and its callbacks' view of the group."""
    if job.hydra_config is not None:  # what run_callbacks reads as "this job's" Hydra config
        HydraConfig.instance().set_config(job.hydra_config)
    datamodule, task, settings = build_replica(config, streams)
    checkpoint = run_checkpoint(config, job.output_dir)
    callbacks = [c for c in run_callbacks(config, job.output_dir, checkpoint)
                 if not isinstance(c, GROUP_LEVEL)]  # fmt: skip
    callbacks.sort(key=lambda c: isinstance(c, Checkpoint))  # Lightning's: checkpoints last
    loggers = build_loggers(config, job.output_dir, job.run_name, multirun)
    view = ReplicaTrainer(len(streams.states) - 1, task, datamodule, callbacks, loggers, streams)
    return Replica(job, config, view, checkpoint, settings)


class GroupInterrupt(GracefulInterrupt):
    """SIGINT/SIGTERM: each training replica's last.ckpt written (a solo checkpoint), then
    the sweep stops; `resume=true` trains the unfinished group again from its start."""

    def __init__(self, replicas: Sequence[Replica]) -> None:
        super().__init__(replicas[0].job.output_dir / LAST_CHECKPOINT)
        self.replicas = list(replicas)

    def save(self, trainer: L.Trainer) -> str:
        group: StackedTask = trainer.lightning_module  # type: ignore[assignment]
        for replica in self.replicas:
            if group.active[replica.view.index]:
                replica.view.save_checkpoint(replica.job.output_dir / LAST_CHECKPOINT)
        return str(self.replicas[0].job.output_dir.parent)


def group_trainer(replicas: Sequence[Replica], hooks: ReplicaHooks) -> L.Trainer:
    """The Trainer of the group: the jobs' shared trainer settings, no loggers or checkpoints
    of its own (each replica has its own), clipping per replica (StackedTask)."""
    config = replicas[0].config
    options: dict[str, Any] = plain(config.trainer)
    options.pop("gradient_clip_val", None)
    options.pop("gradient_clip_algorithm", None)
    options["enable_model_summary"] = False
    callbacks = with_display([hooks, GroupInterrupt(replicas)], config)
    # ReplicaHooks and GroupInterrupt are Checkpoints: Lightning then adds no checkpoint of its own
    return L.Trainer(**options, logger=False, callbacks=callbacks,
                     default_root_dir=str(replicas[0].job.output_dir))  # fmt: skip


def solo_threads(replica: Replica) -> int:
    """The torch thread count each job would train with alone (ThreadsForStepSize's rule,
    from its first batch's size): the same kernels' split, so the same bits."""
    if replica.config.torch_threads is not None:
        return replica.config.torch_threads
    loader = replica.view.datamodule.train_dataloader()
    length = loader.x.shape[1] if loader.x.dim() > 1 else 1  # x: (N, T, F)
    work = step_size(loader.batch_size, length, parameters_of(replica.view.lightning_module))
    return threads_for_step(work, torch.get_num_threads())


def fit_group(
    replicas: list[Replica], streams: ReplicaStreams, started: float, multirun: bool
) -> list[float]:
    """Train the group, then evaluate and report each replica alone."""
    tasks = [r.view.lightning_module for r in replicas]
    group = StackedTask(tasks, [r.settings for r in replicas], streams)

    def failed(index: int, error: BaseException) -> None:
        replicas[index].failed = True
        record_failure(replicas[index].job.output_dir, error, time.perf_counter() - started)

    hooks = ReplicaHooks([r.view for r in replicas], failed)
    trainer = group_trainer(replicas, hooks)
    torch.set_num_threads(solo_threads(replicas[0]))
    datamodule = StackedDataModule([r.view.datamodule for r in replicas])
    numbers = [r.job.number for r in replicas]
    log.info("training jobs %s stacked as one model (%d replicas)",
             ",".join(f"#{n}" for n in numbers), len(replicas))  # fmt: skip
    trainer.fit(group, datamodule=datamodule)
    wall = time.perf_counter() - started
    values = []
    for replica in replicas:
        if replica.failed:
            values.append(worst_value(replica.job.cfg))
            continue
        epochs, steps = hooks.progress[replica.view.index] or (
            epochs_trained(trainer), trainer.global_step)  # fmt: skip
        stacked = {"group": numbers, "replicas": len(replicas),
                   "group_wall_time_s": round(wall, 3)}  # fmt: skip
        try:
            values.append(report(replica, group, epochs, steps, stacked, multirun, started))
        except Exception as error:  # noqa: BLE001 - one job's evaluation failing is its own
            failed(replica.view.index, error)
            values.append(worst_value(replica.job.cfg))
    return values


def report(
    replica: Replica,
    group: StackedTask,
    epochs: float,
    steps: int,
    stacked: dict[str, Any],
    multirun: bool,
    started: float,
) -> float:
    """Evaluate the replica's best checkpoint alone and write its folder; -> its value."""
    config, view, output_dir = replica.config, replica.view, replica.job.output_dir
    task, datamodule = view.lightning_module, view.datamodule
    evaluator = single_device_trainer(config, view.loggers, output_dir)
    evaluator.fit_loop.epoch_loop._batches_that_stepped = steps  # test metrics at its last step
    best = replica.checkpoint.best_model_path or None
    validate = not validation_batches_off(config.trainer)
    fitted = train_metrics(group.epoch_values[view.index], task)
    metrics = fitted | evaluate_best(evaluator, task, datamodule, best, validate)
    last = output_dir / LAST_CHECKPOINT
    record = RunRecord(
        best=best,
        last=str(last) if last.exists() else None,
        epochs=epochs,
        global_step=steps,
        logged_step=steps,
        world_size=1,
        device=str(evaluator.strategy.root_device),
        loggers=list(view.loggers),
        wall_time_s=round((time.perf_counter() - started) / stacked["replicas"], 3),
        stacked=stacked,
    )
    write_outputs(config, output_dir, record, task, datamodule, metrics, multirun)
    return metrics[config.optimized_metric]
