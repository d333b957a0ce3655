"""The LightningModule every task shares: steps, epoch metrics, gradient norm, optimizer,
warm-up and truncated backpropagation through time."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import lightning as L
import torch
from torch import nn
from torchmetrics import MeanMetric, MetricCollection

from rnnlab.data.facts import DataFacts
from rnnlab.models import build_model, detach_state
from rnnlab.optim import build_optimizer

SPLITS = ("train", "val", "test")
Batch = tuple[torch.Tensor, torch.Tensor]
TRAINING_DEFAULTS: dict[str, Any] = {
    "warmup_steps": 0,  # burn-in steps per window that only set the state
    "tbptt_steps": None,  # truncated BPTT chunk length; None: full backpropagation
    "divergence_factor": 1000.0,
    # clipping for truncated BPTT, which optimises by hand (the Trainer refuses its flags then)
    "gradient_clip_val": None,
    "gradient_clip_algorithm": "norm",
}


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
        training: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        facts = facts if isinstance(facts, DataFacts) else DataFacts(**facts)
        training = TRAINING_DEFAULTS | (training or {})
        # plain dicts only, so checkpoints load with torch.load(weights_only=True);
        # logger=False: the run logs a curated, flat set of hparams with real metrics itself
        hparams = {"model": model, "optimizer": optimizer, "facts": asdict(facts),
                   "training": training}  # fmt: skip
        self.save_hyperparameters(hparams, logger=False)
        self.facts = facts
        self.optimizer_config = optimizer
        self.training_options = training
        self.warmup_steps: int = training["warmup_steps"]
        self.tbptt_steps: int | None = training["tbptt_steps"]
        self.automatic_optimization = self.tbptt_steps is None
        self.model = build_model(
            model, facts.input_size, facts.output_size, per_step_targets=facts.task == "labeling"
        )
        # keyed "<split>_..." because nn.Module already has an attribute called `train`
        self.split_metrics = nn.ModuleDict({f"{s}_metrics": self.make_metrics() for s in SPLITS})
        self.split_losses = nn.ModuleDict({f"{s}_loss": MeanMetric() for s in SPLITS})
        self.first_loss: torch.Tensor | None = None

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
        """(batch, time, input) -> (batch, out), or (batch, time - warmup, out) per step."""
        return self.model(x, warmup_steps=self.warmup_steps)

    def targets_after_warmup(self, target: torch.Tensor) -> torch.Tensor:
        """Per-step targets of the warm-up steps are dropped: they get no loss, no metric."""
        if self.model.head.per_step and self.warmup_steps > 0:
            return target[:, self.warmup_steps :]  # (batch, time - warmup, ...)
        return target

    def _record(self, split: str, loss: torch.Tensor, prediction: torch.Tensor,
                target: torch.Tensor) -> None:  # fmt: skip
        self.split_losses[f"{split}_loss"].update(loss.detach(), weight=target.shape[0])
        self.update_metrics(self.split_metrics[f"{split}_metrics"], prediction.detach(), target)

    def _step(self, batch: Batch, split: str) -> torch.Tensor:
        x, target = batch
        prediction = self(x)
        target = self.targets_after_warmup(target)
        loss = self.compute_loss(prediction, target)
        self._record(split, loss, prediction, target)
        return loss

    def training_step(self, batch: Batch, batch_idx: int) -> torch.Tensor:
        loss = self._truncated_bptt_step(batch) if self.tbptt_steps else self._step(batch, "train")
        if self.first_loss is None:
            self.first_loss = loss.detach()  # an untrained model's loss: the yardstick
        self.log("train/loss_step", loss, on_step=True, on_epoch=False, prog_bar=True)
        return loss

    def _truncated_bptt_step(self, batch: Batch) -> torch.Tensor:
        """Cut the window into chunks of tbptt_steps; one optimizer step per chunk that has a
        loss, the state carried over detached (Williams & Peng 1990; Sutskever 2013).

        Many-to-one heads have a loss on the last chunk only: the chunks before it just
        advance the state. Lightning 2 dropped truncated_bptt_steps, hence manual optimisation.
        """
        optimizer = self.optimizers()
        x, target = batch
        state = None
        if self.warmup_steps > 0:
            with torch.no_grad():
                _, state = self.model.backbone(x[:, : self.warmup_steps])
            x = x[:, self.warmup_steps :]  # (batch, time - warmup, input)
        target = self.targets_after_warmup(target)
        per_step = self.model.head.per_step
        chunks = x.split(self.tbptt_steps, dim=1)  # chunks of k steps (tensor_split makes k chunks)
        predictions, losses, start = [], [], 0
        for index, chunk in enumerate(chunks):
            stop = start + chunk.shape[1]
            if not per_step and index < len(chunks) - 1:
                with torch.no_grad():
                    _, state = self.model.backbone(chunk, state)
                start = stop
                continue
            prediction, state = self.model.forward_with_state(chunk, state)
            chunk_target = target[:, start:stop] if per_step else target
            loss = self.compute_loss(prediction, chunk_target)
            optimizer.zero_grad()
            self.manual_backward(loss)
            self.log_gradient_norm()
            self.clip_gradients(
                optimizer,
                gradient_clip_val=self.training_options["gradient_clip_val"],
                gradient_clip_algorithm=self.training_options["gradient_clip_algorithm"],
            )
            optimizer.step()
            state = detach_state(state)
            predictions.append(prediction.detach())
            losses.append(loss.detach() * chunk.shape[1])
            start = stop
        prediction = torch.cat(predictions, dim=1) if per_step else predictions[-1]
        steps = sum(c.shape[1] for c in chunks) if per_step else chunks[-1].shape[1]
        loss = torch.stack(losses).sum() / steps  # mean over the steps that had a loss
        self._record("train", loss, prediction, target)
        return loss

    def validation_step(self, batch: Batch, batch_idx: int) -> None:
        self._step(batch, "val")

    def test_step(self, batch: Batch, batch_idx: int) -> None:
        self._step(batch, "test")

    def log_gradient_norm(self) -> None:
        grads = [p.grad for p in self.parameters() if p.grad is not None]
        if grads:
            norm = torch.nn.utils.get_total_norm(grads, norm_type=2.0)
            self.log("train/grad_norm", norm, on_step=True, on_epoch=False)

    def on_before_optimizer_step(self, optimizer: torch.optim.Optimizer) -> None:
        # runs before the Trainer clips, so this is the norm the clipping threshold sees;
        # truncated BPTT logs its own, before it clips by hand
        if self.automatic_optimization:
            self.log_gradient_norm()

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
        factor = self.training_options["divergence_factor"]
        loss_metric = self.split_losses["train_loss"]
        if factor is None or loss_metric.update_count == 0:
            return
        loss = float(loss_metric.compute())
        first = float(self.first_loss) if self.first_loss is not None else float("nan")
        if not math.isfinite(loss) or loss > factor * first:
            raise DivergenceError(
                f"train/loss diverged to {loss:.4g} in epoch {self.current_epoch} (first step: "
                f"{first:.4g}; limit divergence_factor={factor:g} x that). "
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
