"""Regression and forecasting: MSE on the scaled targets, metrics in the data's own units."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torchmetrics import MetricCollection
from torchmetrics.regression import (
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
)

from rnnlab.data.facts import DataFacts
from rnnlab.tasks.base import SequenceTask
from rnnlab.tasks.shapes import check_same_shape

LOSSES = {"mse": F.mse_loss, "mae": F.l1_loss, "huber": F.huber_loss}


class MeanAbsolutePercentageErrorInPercent(MeanAbsolutePercentageError):
    """torchmetrics' MAPE is a fraction; tables and the literature quote percent."""

    def compute(self) -> torch.Tensor:
        return 100.0 * super().compute()


class MeanAbsoluteScaledError(MeanAbsoluteError):
    """MASE (Hyndman & Koehler 2006): MAE over the seasonal naive forecast's in-sample MAE."""

    def __init__(self, scale: float) -> None:
        super().__init__()
        self.scale = scale

    def compute(self) -> torch.Tensor:
        return super().compute() / self.scale


class TargetScaler(nn.Module):
    """Undoes the data module's target transform: z -> z * std + mean, then exp if logged."""

    def __init__(self, facts: DataFacts) -> None:
        super().__init__()
        self.mean, self.std, self.log = facts.target_mean, facts.target_std, facts.target_log

    def forward(self, scaled: torch.Tensor) -> torch.Tensor:
        values = scaled * self.std + self.mean
        return values.exp() if self.log else values


class RegressionTask(SequenceTask):
    def __init__(
        self, model: dict, optimizer: dict, facts: DataFacts | dict, training: dict | None = None
    ) -> None:
        super().__init__(model, optimizer, facts, training)
        self.to_data_units = TargetScaler(self.facts)

    @classmethod
    def metrics_for(cls, facts: DataFacts) -> MetricCollection:
        metrics = {
            "mse": MeanSquaredError(),
            "mae": MeanAbsoluteError(),
            "rmse": MeanSquaredError(squared=False),
        }
        if facts.percentage_errors:
            metrics["mape"] = MeanAbsolutePercentageErrorInPercent()
        if facts.mase_scale:
            metrics["mase"] = MeanAbsoluteScaledError(facts.mase_scale)
        return MetricCollection(metrics)

    def compute_loss(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        check_same_shape(prediction, target)
        loss = LOSSES[str(self.training_options["loss"])]
        return loss(prediction, target)  # (batch, outputs) vs (batch, outputs)

    def update_metrics(
        self, metrics: MetricCollection, prediction: torch.Tensor, target: torch.Tensor
    ) -> None:
        metrics.update(self.to_data_units(prediction), self.to_data_units(target))
