"""A replica built exactly as its solo run builds itself: seeded, then data, then task."""

from __future__ import annotations

from rnnlab.config.convert import plain
from rnnlab.config.run_config import RunConfig
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.run import build_data_and_task
from rnnlab.stacked.random_streams import ReplicaStreams
from rnnlab.stacked.task import ReplicaSettings
from rnnlab.tasks import SequenceTask


def build_replica(
    config: RunConfig, streams: ReplicaStreams
) -> tuple[InMemoryDataModule, SequenceTask, ReplicaSettings]:
    """The solo run's own build (run.build_data_and_task), its random stream then recorded."""
    datamodule, task = build_data_and_task(config)
    streams.add_current()
    settings = ReplicaSettings(
        optimizer=plain(config.optimizer),
        scheduler=plain(config.scheduler),
        gradient_clip_val=config.trainer.gradient_clip_val,
        gradient_clip_algorithm=str(config.trainer.gradient_clip_algorithm),
    )
    return datamodule, task, settings
