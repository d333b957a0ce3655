"""Sequence classification (one label per sequence) and sequence labeling (one per step):
cross-entropy, accuracy and macro F1."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torchmetrics import MetricCollection
from torchmetrics.classification import MulticlassAccuracy, MulticlassF1Score

from rnnlab.data.facts import DataFacts
from rnnlab.tasks.base import SequenceTask
from rnnlab.tasks.shapes import check_classification_shapes, check_labeling_shapes


class ClassificationTask(SequenceTask):
    @classmethod
    def metrics_for(cls, facts: DataFacts) -> MetricCollection:
        classes = facts.output_size
        return MetricCollection(
            {
                "acc": MulticlassAccuracy(num_classes=classes, average="micro"),
                "f1": MulticlassF1Score(num_classes=classes, average="macro"),
            }
        )

    def compute_loss(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        check_classification_shapes(prediction, target, self.facts.output_size)
        return F.cross_entropy(prediction, target)  # (batch, classes) vs (batch,)


class LabelingTask(ClassificationTask):
    """Every step is a classification; metrics count steps, not sequences."""

    def compute_loss(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        check_labeling_shapes(prediction, target, self.facts.output_size)
        # (batch, time, classes) vs (batch, time) -> flattened over batch and time
        return F.cross_entropy(prediction.flatten(0, 1), target.flatten())

    def update_metrics(
        self, metrics: MetricCollection, prediction: torch.Tensor, target: torch.Tensor
    ) -> None:
        metrics.update(prediction.flatten(0, 1), target.flatten())
