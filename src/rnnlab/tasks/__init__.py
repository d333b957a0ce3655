"""LightningModules: one base plus classification and regression/forecasting."""

from __future__ import annotations

from typing import Any

from rnnlab.data.facts import DataFacts
from rnnlab.tasks.base import DivergenceError, SequenceTask
from rnnlab.tasks.classification import ClassificationTask
from rnnlab.tasks.regression import RegressionTask


def build_task(
    model: dict[str, Any],
    optimizer: dict[str, Any],
    facts: DataFacts,
    divergence_factor: float | None = 1000.0,
) -> SequenceTask:
    """The task class follows from the data: classification, or regression/forecasting."""
    task_class = ClassificationTask if facts.task == "classification" else RegressionTask
    return task_class(model, optimizer, facts, divergence_factor)


__all__ = ["ClassificationTask", "DivergenceError", "RegressionTask", "SequenceTask", "build_task"]
