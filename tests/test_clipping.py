"""Gradient clipping is the Trainer's own flags, and the logged norm is the one before clipping."""

import pytest
import torch
from lightning.pytorch.callbacks import ModelCheckpoint

from conftest import compose_config
from rnnlab.data.registry import build_datamodule
from rnnlab.run import build_trainer, training_options
from rnnlab.tasks import build_task


def one_sgd_step(tmp_path, clip: float | None, *extra: str) -> tuple[float, float]:
    """-> (logged gradient norm, norm of the parameter update) after one plain SGD step, lr 1."""
    cfg = compose_config(
        *extra,
        "optimizer=sgd",
        "optimizer.lr=1.0",
        "optimizer.momentum=0.0",
        f"trainer.gradient_clip_val={'null' if clip is None else clip}",
        "trainer.max_steps=1",
        "trainer.enable_progress_bar=false",
        "trainer.enable_model_summary=false",
        "+trainer.num_sanity_val_steps=0",
        "+trainer.limit_val_batches=0",
    )
    torch.manual_seed(0)
    datamodule = build_datamodule(cfg.data)
    options = training_options(cfg)
    task = build_task(dict(cfg.model), dict(cfg.optimizer), datamodule.facts, options)
    before = torch.cat([p.detach().flatten().clone() for p in task.parameters()])
    trainer = build_trainer(cfg, tmp_path, ModelCheckpoint(dirpath=tmp_path / "checkpoints"))
    trainer.fit(task, datamodule=datamodule)
    after = torch.cat([p.detach().flatten() for p in task.parameters()])
    return float(trainer.callback_metrics["train/grad_norm"]), float((after - before).norm())


def test_norm_clipping_bounds_the_update_and_the_log_shows_the_unclipped_norm(tmp_path):
    logged, update = one_sgd_step(tmp_path / "clipped", 0.01, "data=sine")
    assert logged > 0.05  # the raw gradient is far larger than the threshold
    assert update == pytest.approx(0.01, rel=1e-3)  # lr 1 x clipped norm


def test_without_clipping_the_update_is_the_whole_gradient(tmp_path):
    logged, update = one_sgd_step(tmp_path / "free", None, "data=sine")
    assert update == pytest.approx(logged, rel=1e-4)


def test_truncated_bptt_clips_by_hand_with_the_trainer_flags(tmp_path):
    """Lightning refuses gradient_clip_val under manual optimisation; the task applies it."""
    echo = ("data=echo", "data.length=6", "training.tbptt_steps=10")
    logged, update = one_sgd_step(tmp_path / "tbptt", 0.01, *echo)
    assert logged > 0.05
    assert update == pytest.approx(0.01, rel=1e-3)
