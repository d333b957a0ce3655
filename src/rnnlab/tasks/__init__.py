"""LightningModules: one base plus classification and regression/forecasting."""

from __future__ import annotations

from typing import Any

from rnnlab.data.facts import DataFacts
from rnnlab.tasks.base import DivergenceError, SequenceTask
from rnnlab.tasks.classification import ClassificationTask, LabelingTask
from rnnlab.tasks.regression import RegressionTask

TASKS: dict[str, type[SequenceTask]] = {
    "classification": ClassificationTask,
    "labeling": LabelingTask,
    "regression": RegressionTask,
    "forecasting": RegressionTask,
}


def build_task(
    model: dict[str, Any],
    optimizer: dict[str, Any],
    facts: DataFacts,
    training: dict[str, Any] | None = None,
) -> SequenceTask:
    """The task class follows from the kind of data (DataFacts.task)."""
    return TASKS[facts.task](model, optimizer, facts, training)


__all__ = [
    "ClassificationTask",
    "DivergenceError",
    "LabelingTask",
    "RegressionTask",
    "SequenceTask",
    "build_task",
]
