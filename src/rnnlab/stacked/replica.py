"""A replica built exactly as its solo run builds itself: seeded, then data, then task."""

from __future__ import annotations

import lightning as L

from rnnlab.config.convert import plain
from rnnlab.config.run import RunConfig
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.registry import build_datamodule
from rnnlab.run import task_training
from rnnlab.stacked.random_streams import ReplicaStreams
from rnnlab.stacked.task import ReplicaSettings
from rnnlab.tasks import SequenceTask, build_task


def build_replica(
    config: RunConfig, streams: ReplicaStreams
) -> tuple[InMemoryDataModule, SequenceTask, ReplicaSettings]:
    """The solo run's build order (run._train), its random stream then recorded."""
    L.seed_everything(config.seed, workers=True, verbose=False)
    datamodule = build_datamodule(config.data)
    task = build_task(config.model, config.optimizer, datamodule.facts, task_training(config))
    streams.add_current()
    settings = ReplicaSettings(
        optimizer=plain(config.optimizer),
        scheduler=plain(config.scheduler),
        gradient_clip_val=config.trainer.gradient_clip_val,
        gradient_clip_algorithm=str(config.trainer.gradient_clip_algorithm),
    )
    return datamodule, task, settings
