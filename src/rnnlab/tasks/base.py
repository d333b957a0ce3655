"""The LightningModule every task shares: steps, epoch metrics, gradient norm, optimizer."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import lightning as L
import torch
from torch import nn
from torchmetrics import MeanMetric, MetricCollection

from rnnlab.data.facts import DataFacts
from rnnlab.models import build_model
from rnnlab.optim import build_optimizer

SPLITS = ("train", "val", "test")


class DivergenceError(RuntimeError):
    """Training blew up: the loss became non-finite or grew far beyond where it started."""


class SequenceTask(L.LightningModule):
    """Subclasses define the loss and a MetricCollection; this class runs the loop around them.

    Metrics are torchmetrics objects, one collection per split, computed and logged once per
    epoch as `split/name` (synchronised across processes under DDP). Per step only the
    training loss and the total gradient norm (before clipping) are logged.
    """

    def __init__(
        self,
        model: dict[str, Any],
        optimizer: dict[str, Any],
        facts: DataFacts | dict[str, Any],
        divergence_factor: float | None = 1000.0,
    ) -> None:
        super().__init__()
        facts = facts if isinstance(facts, DataFacts) else DataFacts(**facts)
        # plain dicts only, so checkpoints load with torch.load(weights_only=True);
        # logger=False: the run logs a curated, flat set of hparams with real metrics itself
        hparams = {"model": model, "optimizer": optimizer, "facts": asdict(facts)}
        self.save_hyperparameters(hparams, logger=False)
        self.facts = facts
        self.divergence_factor = divergence_factor
        self.first_loss: torch.Tensor | None = None
        self.optimizer_config = optimizer
        self.model = build_model(model, facts.input_size, facts.output_size)
        # keyed "<split>_..." because nn.Module already has an attribute called `train`
        self.split_metrics = nn.ModuleDict({f"{s}_metrics": self.make_metrics() for s in SPLITS})
        self.split_losses = nn.ModuleDict({f"{s}_loss": MeanMetric() for s in SPLITS})

    # --- what a subclass provides -------------------------------------------------------
    def make_metrics(self) -> MetricCollection:
        raise NotImplementedError

    def compute_loss(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def update_metrics(
        self, metrics: MetricCollection, prediction: torch.Tensor, target: torch.Tensor
    ) -> None:
        metrics.update(prediction, target)

    # --- the loop -----------------------------------------------------------------------
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)  # (batch, time, input) -> (batch, out)

    def _step(self, batch: tuple[torch.Tensor, torch.Tensor], split: str) -> torch.Tensor:
        x, target = batch
        prediction = self(x)
        loss = self.compute_loss(prediction, target)
        self.split_losses[f"{split}_loss"].update(loss.detach(), weight=x.shape[0])
        self.update_metrics(self.split_metrics[f"{split}_metrics"], prediction.detach(), target)
        return loss

    def training_step(
        self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int
    ) -> torch.Tensor:
        loss = self._step(batch, "train")
        if self.first_loss is None:
            self.first_loss = loss.detach()  # an untrained model's loss: the yardstick
        self.log("train/loss_step", loss, on_step=True, on_epoch=False, prog_bar=True)
        return loss

    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> None:
        self._step(batch, "val")

    def test_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> None:
        self._step(batch, "test")

    def on_before_optimizer_step(self, optimizer: torch.optim.Optimizer) -> None:
        # runs before the Trainer clips, so this is the norm the clipping threshold sees
        grads = [p.grad for p in self.parameters() if p.grad is not None]
        if grads:
            norm = torch.nn.utils.get_total_norm(grads, norm_type=2.0)
            self.log("train/grad_norm", norm, on_step=True, on_epoch=False)

    def _log_epoch(self, split: str) -> None:
        loss_metric = self.split_losses[f"{split}_loss"]
        metrics = self.split_metrics[f"{split}_metrics"]
        if loss_metric.update_count == 0:  # e.g. a resumed fit that ran no step
            return
        values = {f"{split}/loss": loss_metric.compute()}
        values |= {f"{split}/{k}": v for k, v in metrics.compute().items()}
        # torchmetrics has already synchronised these across DDP ranks; sync_dist only
        # confirms it to Lightning (identical values, one tiny all-reduce per epoch)
        self.log_dict(values, on_epoch=True, prog_bar=split == "val", sync_dist=True)
        loss_metric.reset()
        metrics.reset()

    def on_train_epoch_end(self) -> None:
        self.check_divergence()
        self._log_epoch("train")

    def check_divergence(self) -> None:
        """Stop a run whose epoch loss is non-finite or `divergence_factor` x its first loss.

        Checked once per epoch (one device sync), so a sweep marks the job failed instead
        of reporting numbers like 1e26 as results.
        """
        loss_metric = self.split_losses["train_loss"]
        if self.divergence_factor is None or loss_metric.update_count == 0:
            return
        loss = float(loss_metric.compute())
        first = float(self.first_loss) if self.first_loss is not None else float("nan")
        if not math.isfinite(loss) or loss > self.divergence_factor * first:
            raise DivergenceError(
                f"train/loss diverged to {loss:.4g} in epoch {self.current_epoch} (first step: "
                f"{first:.4g}; limit divergence_factor={self.divergence_factor:g} x that). "
                "Lower optimizer.lr or set trainer.gradient_clip_val."
            )

    def on_validation_epoch_end(self) -> None:
        self._log_epoch("val")

    def on_test_epoch_end(self) -> None:
        self._log_epoch("test")

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return build_optimizer(self.parameters(), self.optimizer_config)

    def metric_names(self) -> list[str]:
        """The epoch metric names this task logs per split, e.g. ['loss', 'acc', 'f1']."""
        return ["loss", *self.split_metrics["val_metrics"].keys()]
