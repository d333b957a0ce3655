"""Stacked replicas after at least 20 steps (whole epochs) equal their solo runs (float64, CPU).

The solo side is rnnlab's own run (rnnlab.run.train, checkpoints/last.ckpt); the stacked
side trains the replicas together in one Lightning Trainer. 1e-8 relative, per issue: in
float64 the only differences allowed are summation order, and here there are none (each
replica runs its own kernels), so the weights agree to the last bit in practice.
"""

from __future__ import annotations

import math
from pathlib import Path

import lightning as L
import pytest
import torch

from conftest import compose_config
from rnnlab.config.convert import typed_config
from rnnlab.run import train
from rnnlab.stacked.batches import StackedDataModule
from rnnlab.stacked.random_streams import ReplicaStreams
from rnnlab.stacked.replica import build_replica
from rnnlab.stacked.task import StackedTask

COMMON = ("trainer.precision=64", "plots=false", "~logger", "checkpoint.monitor=null",
          "trainer.enable_progress_bar=false", "trainer.enable_model_summary=false",
          "torch_threads=1")  # fmt: skip
STEPS = 20
REPLICAS = (("seed=0", "optimizer.lr=0.003"), ("seed=1", "optimizer.lr=0.01"))
CASES = {
    "lstm": (),
    "gru 2 layers bidirectional, dropout": (
        "model=gru",
        "model.num_layers=2",
        "model.bidirectional=true",
        "model.dropout=0.3",
        "model.head_dropout=0.2",
    ),  # fmt: skip
    "relu rnn, norm clipping": (
        "model=rnn",
        "model.nonlinearity=relu",
        "trainer.gradient_clip_val=0.05",
    ),  # fmt: skip
    "scratch lstm, value clipping, sgd": (
        "model=scratch_lstm",
        "optimizer=sgd",
        "trainer.gradient_clip_val=0.01",
        "trainer.gradient_clip_algorithm=value",
    ),  # fmt: skip
    "adamw with weight decay, warm-up": (
        "optimizer=adamw",
        "optimizer.weight_decay=0.1",
        "scheduler=warmup",
    ),  # fmt: skip
    "classification": ("data=synthetic",),
    "labeling": ("data=echo",),
    "forecasting": ("data=passengers",),
}


def solo_weights(
    tmp_path: Path, overrides: tuple[str, ...], epochs: int
) -> dict[str, torch.Tensor]:
    """Weights at the end of `epochs`. checkpoint.monitor=null: with a monitored metric,
    Lightning 2.6 writes last.ckpt only in epochs that also write a new best one."""
    folder = tmp_path / "_".join(o.replace("=", "-") for o in overrides)
    train(compose_config(*COMMON, f"trainer.max_epochs={epochs}", *overrides), folder)
    state = torch.load(folder / "checkpoints" / "last.ckpt", weights_only=True)["state_dict"]
    return {k: v for k, v in state.items() if k.startswith("model.")}


def stacked(overrides: list[tuple[str, ...]]) -> tuple[StackedTask, int]:
    """The group trained for the whole epochs that hold at least 20 steps; -> (group, epochs)."""
    streams, datamodules, tasks, settings = ReplicaStreams(), [], [], []
    for replica in overrides:
        datamodule, task, replica_settings = build_replica(
            typed_config(compose_config(*COMMON, *replica)), streams
        )
        datamodules.append(datamodule)
        tasks.append(task)
        settings.append(replica_settings)
    group = StackedTask(tasks, settings, streams)
    epochs = math.ceil(STEPS / len(datamodules[0].train_dataloader()))
    precision = "32-true" if "trainer.precision=32" in overrides[0] else "64-true"
    trainer = L.Trainer(max_epochs=epochs, precision=precision, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False,
                        enable_model_summary=False)  # fmt: skip
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the solo runs' torch_threads=1: the same kernels' split
    try:
        trainer.fit(group, datamodule=StackedDataModule(datamodules))
    finally:
        torch.set_num_threads(threads)
    assert trainer.global_step >= STEPS
    return group, epochs


@pytest.mark.slow
@pytest.mark.parametrize("case", [*CASES, "float32"])
def test_replicas_after_20_steps_equal_their_solo_runs(tmp_path: Path, case: str) -> None:
    """float32: the same tolerance holds (and the bits agree in practice), since each
    replica runs exactly its solo run's kernels, in its order, on the same thread count;
    only a batched computation over replicas would change summation order (then float32
    would need ~1e-5 relative)."""
    float32 = ("trainer.precision=32", "model=gru", "model.dropout=0.3", "model.num_layers=2")
    overrides = [(*CASES.get(case, float32), *replica) for replica in REPLICAS]
    group, epochs = stacked(overrides)
    for task, replica in zip(group.replica_tasks(), overrides, strict=True):
        expected = solo_weights(tmp_path, replica, epochs)
        weights = {k: v for k, v in task.state_dict().items() if k.startswith("model.")}
        assert weights.keys() == expected.keys()
        for name, value in weights.items():
            torch.testing.assert_close(value, expected[name], rtol=1e-8, atol=0, msg=name)
