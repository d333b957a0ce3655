"""LightningModules: one base plus classification and regression/forecasting."""

from __future__ import annotations

from typing import Any

from rnnlab.config.model import ModelConfig
from rnnlab.config.optimizer import OptimizerConfig
from rnnlab.data.facts import DataFacts
from rnnlab.tasks.base import SequenceTask, task_options
from rnnlab.tasks.classification import ClassificationTask, LabelingTask
from rnnlab.tasks.regression import RegressionTask

TASKS: dict[str, type[SequenceTask]] = {
    "classification": ClassificationTask,
    "labeling": LabelingTask,
    "regression": RegressionTask,
    "forecasting": RegressionTask,
}


def build_task(
    model: ModelConfig | dict[str, Any],
    optimizer: OptimizerConfig | dict[str, Any],
    facts: DataFacts,
    training: dict[str, Any] | None = None,
) -> SequenceTask:
    """The task class follows from the kind of data (DataFacts.task)."""
    return TASKS[facts.task](model, optimizer, facts, training)


def metric_names(facts: DataFacts) -> list[str]:
    """What a task on this data logs per split (['loss', 'mse', ...]), before building it."""
    return TASKS[facts.task].metric_names_for(facts)


__all__ = [
    "ClassificationTask",
    "LabelingTask",
    "RegressionTask",
    "SequenceTask",
    "build_task",
    "metric_names",
    "task_options",
]
