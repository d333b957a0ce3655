"""A trained task's predictions on the test split, in the units its metrics use."""

from __future__ import annotations

import torch

from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.tasks.base import SequenceTask


@torch.no_grad()
def predict(task: SequenceTask, x: torch.Tensor) -> torch.Tensor:
    """The model's outputs for inputs x (n, time, channels), on the CPU, in eval mode; float
    inputs in the weights' dtype (a trainer.precision=64 run's model is float64)."""
    task.eval()
    weight = next(task.parameters())
    dtype = weight.dtype if x.is_floating_point() else x.dtype
    return torch.cat([task(batch.to(weight.device, dtype)).cpu() for batch in x.split(256)])


@torch.no_grad()
def predict_test_split(
    task: SequenceTask, datamodule: InMemoryDataModule
) -> tuple[torch.Tensor, torch.Tensor]:
    """The model's test-split outputs and targets, on the CPU: logits for classes, data units
    for values. Targets of warm-up steps are dropped as in training."""
    x, target = datamodule.splits["test"]
    prediction, target = predict(task, x), task.targets_after_warmup(target)
    if task.facts.task in ("regression", "forecasting"):
        to_units = task.to_data_units  # type: ignore[attr-defined]
        return to_units(prediction), to_units(target)
    return prediction, target
