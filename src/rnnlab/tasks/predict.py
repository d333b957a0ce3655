"""A trained task's predictions on the test split, in the units its metrics use."""

from __future__ import annotations

import torch

from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.tasks.base import SequenceTask


@torch.no_grad()
def test_predictions(
    task: SequenceTask, datamodule: InMemoryDataModule
) -> tuple[torch.Tensor, torch.Tensor]:
    """The model's test-split outputs and targets, on the CPU: logits for classes, data units
    for values. Targets of warm-up steps are dropped as in training."""
    task.eval()
    x, target = datamodule.splits["test"]
    device = next(task.parameters()).device
    outputs = [task(batch.to(device)).cpu() for batch in x.split(256)]
    prediction, target = torch.cat(outputs), task.targets_after_warmup(target)
    if task.facts.task in ("regression", "forecasting"):
        to_units = task.to_data_units  # type: ignore[attr-defined]
        return to_units(prediction), to_units(target)
    return prediction, target
