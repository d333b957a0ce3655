"""Gradient clipping is the Trainer's own flags, and the logged norm is the one before clipping,
one point per optimizer step (truncated BPTT: per chunk)."""

import lightning as L
import pytest
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import FIT_ONLY, compose_config
from rnnlab.config.convert import typed_config
from rnnlab.data.registry import build_datamodule
from rnnlab.run import build_trainer, task_training
from rnnlab.tasks import build_task


def flat_parameters(module: torch.nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().flatten().clone() for p in module.parameters()])


class ParameterSnapshots(L.Callback):
    """The parameters before every optimizer step, and once training ends."""

    def __init__(self) -> None:
        self.snapshots: list[torch.Tensor] = []

    def on_before_optimizer_step(self, trainer, pl_module, optimizer) -> None:
        self.snapshots.append(flat_parameters(pl_module))

    def on_train_end(self, trainer, pl_module) -> None:
        self.snapshots.append(flat_parameters(pl_module))


def sgd_batch(tmp_path, clip: float | None, *extra: str) -> tuple[list[float], list[float]]:
    """One batch of plain SGD with lr 1 -> (logged gradient norm per optimizer step, norm of
    each step's parameter update)."""
    cfg = compose_config(
        *extra,
        "optimizer=sgd",
        "optimizer.lr=1.0",
        "optimizer.momentum=0.0",
        f"trainer.gradient_clip_val={'null' if clip is None else clip}",
        "trainer.max_steps=1",
        *FIT_ONLY,
    )
    config = typed_config(cfg)
    torch.manual_seed(0)
    datamodule = build_datamodule(config.data)
    task = build_task(config.model, config.optimizer, datamodule.facts, task_training(config))
    trainer = build_trainer(config, tmp_path, ModelCheckpoint(dirpath=tmp_path / "checkpoints"))
    snapshots = ParameterSnapshots()
    trainer.callbacks.append(snapshots)
    trainer.fit(task, datamodule=datamodule)
    events = EventAccumulator(str(tmp_path / "tensorboard"), size_guidance={"scalars": 0})
    events.Reload()
    logged = [event.value for event in events.Scalars("train/grad_norm")]
    shots = snapshots.snapshots
    updates = [
        float((after - before).norm()) for before, after in zip(shots, shots[1:], strict=False)
    ]
    return logged, updates


def test_norm_clipping_bounds_the_update_and_the_log_shows_the_unclipped_norm(tmp_path):
    (logged,), (update,) = sgd_batch(tmp_path / "clipped", 0.01, "data=sine")
    assert logged > 0.05  # the raw gradient is far larger than the threshold
    assert update == pytest.approx(0.01, rel=1e-3)  # lr 1 x clipped norm


def test_without_clipping_the_update_is_the_whole_gradient(tmp_path):
    (logged,), (update,) = sgd_batch(tmp_path / "free", None, "data=sine")
    assert update == pytest.approx(logged, rel=1e-4)


def test_truncated_bptt_clips_every_chunk_and_logs_every_chunk_norm(tmp_path):
    """Lightning refuses gradient_clip_val under manual optimisation; the task applies it to
    each chunk's step, and each chunk's raw norm gets its own point in TensorBoard."""
    echo = ("data=echo", "data.length=12", "training.tbptt_steps=4")  # 3 chunks per batch
    logged, updates = sgd_batch(tmp_path / "tbptt", 0.01, *echo)
    assert len(logged) == len(updates) == 3
    assert all(norm > 0.01 for norm in logged) and len(set(logged)) == 3  # each bit the clip
    assert updates == pytest.approx([0.01] * 3, rel=1e-3)
