"""One LightningModule for a stacked group: R solo tasks trained side by side.

Each step runs every active replica's own `SequenceTask._step` on its own batch, in its own
random stream, and returns the sum of their losses; one backward then gives each replica's
parameters exactly the gradient of its own loss. Clipping and the update are per replica
(its own threshold, optimizer and schedule), so each replica's weights follow its solo
run's. Metrics stay in each replica's own torchmetrics objects, read per epoch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import lightning as L
import torch
from lightning.pytorch.utilities.types import LRSchedulerConfig
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau

from rnnlab.optim import build_optimizer, build_scheduler
from rnnlab.stacked.random_streams import ReplicaStreams
from rnnlab.stacked.replica_optimizers import StackedOptimizer
from rnnlab.tasks import SequenceTask

ReplicaBatch = Sequence[tuple[torch.Tensor, torch.Tensor]]  # R x ((B, T, F), (B, ...))


@dataclass
class ReplicaSettings:
    """What a replica keeps for itself of the loop around its task."""

    optimizer: dict[str, Any]
    scheduler: dict[str, Any]
    gradient_clip_val: float | None = None
    gradient_clip_algorithm: str = "norm"


class StackedTask(L.LightningModule):
    def __init__(
        self,
        tasks: Sequence[SequenceTask],
        settings: Sequence[ReplicaSettings],
        streams: ReplicaStreams,
    ) -> None:
        super().__init__()
        if not len(tasks) == len(settings) == len(streams.states):
            raise ValueError("one setting and one random stream per replica's task")
        self.replicas = nn.ModuleList(tasks)
        self.settings, self.streams = list(settings), streams
        self.active = [True] * len(tasks)
        # each replica's latest epoch values of every split (its callback_metrics), and
        # the split just read (what its loggers get at this epoch's end)
        self.epoch_values: list[dict[str, torch.Tensor]] = [{} for _ in tasks]
        self.fresh_values: list[dict[str, torch.Tensor]] = [{} for _ in tasks]
        self.scheduler_configs: list[list[LRSchedulerConfig]] = [[] for _ in tasks]
        self.optimizers_of: list[torch.optim.Optimizer] = []

    def on_fit_start(self) -> None:
        for task in self.replica_tasks():  # what each job's metrics.json says of its step
            task.cuda_graph_status = "off (trained in a stacked group, eagerly)"

    def replica_tasks(self) -> list[SequenceTask]:
        return list(self.replicas)  # type: ignore[arg-type]

    def stop(self, replica: int) -> None:
        """No more steps, updates or validation for this replica; the others go on."""
        self.active[replica] = False
        if self._trainer is not None and self.trainer.optimizers:
            self.trainer.optimizers[0].stop(replica)

    def training_step(self, batch: ReplicaBatch, batch_idx: int) -> torch.Tensor | None:
        losses = []
        for index, (task, replica_batch) in enumerate(zip(self.replicas, batch, strict=True)):
            if not self.active[index]:
                continue
            with self.streams.of(index):
                loss = task._step(replica_batch, "train")
            task.last_loss = loss.detach()
            losses.append(loss)
        return torch.stack(losses).sum() if losses else None  # None: Lightning skips the step

    def validation_step(self, batch: ReplicaBatch, batch_idx: int) -> None:
        for index, (task, replica_batch) in enumerate(zip(self.replicas, batch, strict=True)):
            if self.active[index]:
                task._step(replica_batch, "val")

    def test_step(self, batch: ReplicaBatch, batch_idx: int) -> None:
        for task, replica_batch in zip(self.replicas, batch, strict=True):
            task._step(replica_batch, "test")

    def _read_epoch(self, split: str) -> None:
        for index, task in enumerate(self.replica_tasks()):
            self.fresh_values[index] = task.epoch_values(split)
            self.epoch_values[index] |= self.fresh_values[index]

    def on_train_epoch_end(self) -> None:
        self._read_epoch("train")

    def on_validation_epoch_end(self) -> None:
        self._read_epoch("val")

    def on_test_epoch_end(self) -> None:
        self._read_epoch("test")

    def configure_optimizers(self) -> StackedOptimizer:
        """Each replica's optimizer and schedule built as its solo run builds them; per-step
        schedules are stepped by the StackedOptimizer, per-epoch ones by the replica hooks
        (stacked/replica_hooks.py), each where Lightning steps a solo run's."""
        optimizers, step_schedulers = [], []
        for index, (task, settings) in enumerate(zip(self.replicas, self.settings, strict=True)):
            optimizer = build_optimizer(task.parameters(), settings.optimizer)
            cosine = settings.scheduler.get("name") == "cosine"
            steps = self.trainer.estimated_stepping_batches if cosine else None
            entry = build_scheduler(optimizer, settings.scheduler, steps)
            configs = [] if entry is None else [scheduler_config(entry)]
            self.scheduler_configs[index] = configs
            per_step = [c.scheduler for c in configs if c.interval == "step"]
            step_schedulers.append(per_step[0] if per_step else None)
            optimizers.append(optimizer)
        self.optimizers_of = optimizers
        return StackedOptimizer(optimizers, step_schedulers)

    def configure_gradient_clipping(
        self,
        optimizer: StackedOptimizer,
        gradient_clip_val: float | None = None,
        gradient_clip_algorithm: str | None = None,
    ) -> None:
        """Each active replica clipped by its own settings, over its own parameters (the
        calls Lightning's precision plugin makes for a solo run)."""
        for index, replica_optimizer in enumerate(optimizer.optimizers):
            settings = self.settings[index]
            if not self.active[index] or not settings.gradient_clip_val:
                continue
            params = [p for group in replica_optimizer.param_groups for p in group["params"]]
            if settings.gradient_clip_algorithm == "value":
                torch.nn.utils.clip_grad_value_(params, clip_value=settings.gradient_clip_val)
            else:
                torch.nn.utils.clip_grad_norm_(params, settings.gradient_clip_val)


def scheduler_config(entry: dict[str, Any]) -> LRSchedulerConfig:
    """Lightning's record of a schedule, as it makes it for a solo run's."""
    plateau = isinstance(entry["scheduler"], ReduceLROnPlateau)
    return LRSchedulerConfig(**entry, reduce_on_plateau=plateau)
