"""The group's Trainer as one replica's callbacks see it: its own module, optimizer, schedule,
callbacks, metrics, loggers and stop flag, and everything else (epoch, step, loops, strategy)
the group's.

Lightning's own ModelCheckpoint, EarlyStopping and LearningRateMonitor, and rnnlab's
DivergenceMonitor and ReportToTrial, then run per replica unchanged; and a replica's
checkpoint is written by Lightning's own checkpoint code over this view, so it is a solo
run's checkpoint, loadable by `ckpt_path=` and scripts/forecast.py like any other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lightning as L
import torch
from lightning.pytorch.callbacks import Checkpoint
from lightning.pytorch.loggers import Logger
from lightning.pytorch.loops.progress import _SchedulerProgress
from lightning.pytorch.trainer.connectors.checkpoint_connector import _CheckpointConnector
from lightning.pytorch.utilities.types import LRSchedulerConfig

from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.stacked.random_streams import ReplicaStreams
from rnnlab.tasks import SequenceTask


class _ReplicaCheckpointConnector(_CheckpointConnector):
    def _get_lightning_module_state_dict(self) -> dict[str, torch.Tensor]:
        return self.trainer.lightning_module.state_dict()  # the strategy's is the group's


class ReplicaTrainer:
    """Attributes not set here are the group trainer's (`__getattr__`)."""

    def __init__(
        self,
        index: int,
        task: SequenceTask,
        datamodule: InMemoryDataModule,
        callbacks: list[L.Callback],
        loggers: list[Logger],
        streams: ReplicaStreams,
    ) -> None:
        self.index, self.lightning_module, self.datamodule = index, task, datamodule
        self.callbacks, self.loggers, self.streams = callbacks, loggers, streams
        self.callback_metrics: dict[str, torch.Tensor] = {}
        self.should_stop = False
        self.optimizers: list[torch.optim.Optimizer] = []
        self.lr_scheduler_configs: list[LRSchedulerConfig] = []
        # Lightning counts a solo run's schedule steps in its loops; the group's loops know
        # no replica's schedule, so each replica counts its own (stacked/replica_hooks.py)
        self.scheduler_progress = _SchedulerProgress()
        self.group: L.Trainer | None = None

    def __getattr__(self, name: str) -> Any:  # only called for names not set above
        if name == "group" or self.group is None:
            raise AttributeError(name)
        return getattr(self.group, name)

    @property
    def model(self) -> SequenceTask:
        return self.lightning_module

    @property
    def logger(self) -> Logger | None:
        return self.loggers[0] if self.loggers else None

    @property
    def checkpoint_callbacks(self) -> list[Checkpoint]:
        return [c for c in self.callbacks if isinstance(c, Checkpoint)]

    @property
    def checkpoint_callback(self) -> Checkpoint | None:
        return next(iter(self.checkpoint_callbacks), None)

    def checkpoint(self, weights_only: bool = False) -> dict[str, Any]:
        """Lightning's checkpoint dict of this replica: its weights, optimizer and schedule
        states, callbacks' states, hyperparameters and data state, the group's loops with
        this replica's own loader position, and its random stream as the torch generator."""
        with self.streams.of(self.index, host=True):  # ResumeState saves "the" generators
            connector = _ReplicaCheckpointConnector(self)  # type: ignore[arg-type]
            checkpoint = connector.dump_checkpoint(weights_only)
        fit_loop = checkpoint["loops"]["fit_loop"]
        fit_loop["epoch_loop.scheduler_progress"] = self.scheduler_progress.state_dict()
        loaders = fit_loop["state_dict"].get("combined_loader")
        if loaders:  # [StackedBatches' state] -> [this replica's loader's state]
            own = [loaders[0][self.index]]
            fit_loop["state_dict"] = {**fit_loop["state_dict"], "combined_loader": own}
        return checkpoint

    def save_checkpoint(
        self, filepath: str | Path, weights_only: bool = False, storage_options: Any = None
    ) -> None:
        """What Trainer.save_checkpoint does, with this replica's checkpoint."""
        checkpoint = self.checkpoint(weights_only)
        self.strategy.save_checkpoint(checkpoint, filepath, storage_options=storage_options)
        self.strategy.barrier("ReplicaTrainer.save_checkpoint")
