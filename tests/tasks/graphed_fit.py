"""A few optimizer steps through rnnlab's own trainer, with and without the graphed training
step (tasks/cuda_graph.py), for the CPU tests of its place in Lightning's loop and the GPU
tests of the captured graph itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lightning as L
import torch
from lightning.pytorch.callbacks import ModelCheckpoint
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import FIT_ONLY, compose_config
from rnnlab.config.convert import typed_config
from rnnlab.data.registry import build_datamodule
from rnnlab.run import build_trainer, task_training
from rnnlab.tasks import SequenceTask, build_task


@dataclass
class Fit:
    task: SequenceTask
    trainer: L.Trainer
    datamodule: L.LightningDataModule
    weights: torch.Tensor  # all parameters, flattened, on the CPU
    grad_norms: list[float]  # train/grad_norm as logged, one per step
    lrs: list[float]  # the learning rate after the fit, per parameter group


def fit(folder: Path, *overrides: str) -> Fit:
    """Seeded, so two calls differ only in what `overrides` change."""
    config = typed_config(compose_config(*FIT_ONLY, *overrides))
    L.seed_everything(0, workers=True, verbose=False)
    datamodule = build_datamodule(config.data)
    task = build_task(config.model, config.optimizer, datamodule.facts, task_training(config))
    trainer = build_trainer(config, folder, ModelCheckpoint(dirpath=folder / "checkpoints"))
    trainer.fit(task, datamodule=datamodule)
    weights = torch.cat([p.detach().flatten().cpu() for p in task.parameters()])
    events = EventAccumulator(str(folder / "tensorboard"), size_guidance={"scalars": 0})
    events.Reload()
    norms = [event.value for event in events.Scalars("train/grad_norm")]
    lrs = [float(group["lr"]) for group in trainer.optimizers[0].param_groups]
    return Fit(task, trainer, datamodule, weights, norms, lrs)
