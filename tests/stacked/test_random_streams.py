"""Replicas stepped in turn, each in its own stream, draw the dropout masks of their solo runs."""

from __future__ import annotations

import lightning as L
import pytest
import torch

from conftest import compose_config
from rnnlab.config.convert import typed_config
from rnnlab.data.registry import build_datamodule
from rnnlab.optim import build_optimizer
from rnnlab.run import task_training
from rnnlab.stacked.random_streams import ReplicaStreams
from rnnlab.tasks import SequenceTask, build_task

DROPOUT = ("model.num_layers=2", "model.dropout=0.3", "model.head_dropout=0.2")


def build(seed: int, *overrides: str) -> tuple[SequenceTask, list]:
    """What a solo run builds, in its order, from its seed."""
    config = typed_config(compose_config(f"seed={seed}", *DROPOUT, *overrides))
    L.seed_everything(config.seed, verbose=False)
    datamodule = build_datamodule(config.data)
    task = build_task(config.model, config.optimizer, datamodule.facts, task_training(config))
    return task.double(), list(datamodule.train_dataloader())[:6]


def take_step(task: SequenceTask, optimizer: torch.optim.Optimizer, batch: tuple) -> None:
    optimizer.zero_grad()
    x, y = batch
    task.compute_loss(task(x.double()), y.double()).backward()
    optimizer.step()


def solo(seed: int, *overrides: str) -> dict[str, torch.Tensor]:
    task, batches = build(seed, *overrides)
    optimizer = build_optimizer(task.parameters(), {"name": "adam", "lr": 0.01})
    for batch in batches:
        take_step(task.train(), optimizer, batch)
    return task.state_dict()


@pytest.mark.parametrize("model", ["lstm", "gru", "scratch_lstm"])
def test_interleaved_replicas_equal_their_solo_runs(model: str) -> None:
    streams, built = ReplicaStreams(), []
    for seed in (0, 1):
        built.append(build(seed, f"model={model}"))
        streams.add_current()
    optimizers = [build_optimizer(t.parameters(), {"name": "adam", "lr": 0.01}) for t, _ in built]
    for step in range(6):
        for replica, (task, batches) in enumerate(built):
            with streams.of(replica):
                take_step(task.train(), optimizers[replica], batches[step])
    for seed, (task, _) in zip((0, 1), built, strict=True):
        expected = solo(seed, f"model={model}")
        for name, value in task.state_dict().items():
            torch.testing.assert_close(value, expected[name], rtol=0, atol=0, msg=name)


def test_without_streams_the_masks_differ() -> None:
    """The check above can fail: sharing one stream changes what replica 1 draws."""
    built = [build(seed) for seed in (0, 1)]
    optimizers = [build_optimizer(t.parameters(), {"name": "adam", "lr": 0.01}) for t, _ in built]
    for step in range(6):
        for replica, (task, batches) in enumerate(built):
            take_step(task.train(), optimizers[replica], batches[step])
    expected = solo(1)
    weights = built[1][0].state_dict()
    assert any(not torch.equal(weights[name], expected[name]) for name in expected)
