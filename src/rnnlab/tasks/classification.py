"""Sequence classification: cross-entropy, accuracy and macro F1."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torchmetrics import MetricCollection
from torchmetrics.classification import MulticlassAccuracy, MulticlassF1Score

from rnnlab.tasks.base import SequenceTask
from rnnlab.tasks.shapes import check_classification_shapes


class ClassificationTask(SequenceTask):
    def make_metrics(self) -> MetricCollection:
        classes = self.facts.output_size
        return MetricCollection(
            {
                "acc": MulticlassAccuracy(num_classes=classes, average="micro"),
                "f1": MulticlassF1Score(num_classes=classes, average="macro"),
            }
        )

    def compute_loss(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        check_classification_shapes(prediction, target, self.facts.output_size)
        return F.cross_entropy(prediction, target)  # (batch, classes) vs (batch,)
