"""The LightningModule every task shares: steps, epoch metrics, optimizer, warm-up and
truncated backpropagation through time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import lightning as L
import torch
from torch import nn
from torchmetrics import MeanMetric, Metric, MetricCollection

from rnnlab.config.convert import model_config, plain
from rnnlab.config.run import TrainingConfig
from rnnlab.config.trainer import TrainerConfig
from rnnlab.data.facts import DataFacts
from rnnlab.models import build_model, detach_state
from rnnlab.optim import build_optimizer, build_scheduler

SPLITS = ("train", "val", "test")
Batch = tuple[torch.Tensor, torch.Tensor]


def task_options(training: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The task's `training` options, the schemas' defaults filling what is not given.

    Truncated BPTT optimises by hand, where Lightning refuses its clipping flags, so the
    task also carries the Trainer's clipping settings and applies them itself."""
    defaults = plain(TrainingConfig()) | {
        "gradient_clip_val": TrainerConfig.gradient_clip_val,
        "gradient_clip_algorithm": str(TrainerConfig.gradient_clip_algorithm),
    }
    return defaults | dict(training or {})


class SequenceTask(L.LightningModule):
    """Subclasses define the loss and a MetricCollection; this class runs the loop around them.

    Metrics are torchmetrics objects, one collection per split, computed and logged once per
    epoch as `split/name` (synchronised across processes under DDP). Per step the loss is
    only shown in the progress bar here; logging it with the gradient norm, and the
    divergence check, are the DivergenceMonitor callback's (it reads `last_loss`). The
    training split's metric states go into checkpoints, so a run resumed mid-epoch reports
    the same epoch metrics as one never interrupted.
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
        training = task_options(training)
        # plain dicts only, so checkpoints load with torch.load(weights_only=True);
        # logger=False: the run logs a curated, flat set of hparams with real metrics itself
        hparams = {"model": plain(model), "optimizer": plain(optimizer), "facts": asdict(facts),
                   "training": training}  # fmt: skip
        self.save_hyperparameters(hparams, logger=False)
        self.facts = facts
        self.optimizer_config = optimizer
        self.training_options = training
        self.warmup_steps: int = training["warmup_steps"]
        self.tbptt_steps: int | None = training["tbptt_steps"]
        self.automatic_optimization = self.tbptt_steps is None
        self.model = build_model(model_config(model), facts)
        # keyed "<split>_..." because nn.Module already has an attribute called `train`
        self.split_metrics = nn.ModuleDict({f"{s}_metrics": self.make_metrics() for s in SPLITS})
        self.split_losses = nn.ModuleDict({f"{s}_loss": MeanMetric() for s in SPLITS})
        for metric in self.train_metric_objects():
            metric.persistent(True)  # in the state_dict, so in checkpoints
        self.last_loss: torch.Tensor | None = None  # the loss of the step being taken

    # --- what a subclass provides -------------------------------------------------------
    @classmethod
    def metrics_for(cls, facts: DataFacts) -> MetricCollection:
        """The epoch metrics of one split, for data described by `facts`."""
        raise NotImplementedError

    def make_metrics(self) -> MetricCollection:
        return self.metrics_for(self.facts)

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
        if self.tbptt_steps:
            loss = self._truncated_bptt_step(batch)
        else:
            loss = self._step(batch, "train")
            self.last_loss = loss.detach()
        # shown in the progress bar only: the DivergenceMonitor writes train/loss_step to the
        # loggers with the gradient norm, in one call from the value it syncs anyway
        self.log("train/loss_step", loss, on_step=True, on_epoch=False, prog_bar=True,
                 logger=False)  # fmt: skip
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
            self.last_loss = loss.detach()
            optimizer.zero_grad()
            self.manual_backward(loss)
            optimizer.step()  # on_before_optimizer_step clips, after callbacks saw the norm
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

    def on_before_optimizer_step(self, optimizer: torch.optim.Optimizer) -> None:
        """Truncated BPTT clips by hand with the Trainer's settings (Lightning refuses its
        flags under manual optimisation). Callbacks' hooks ran just before, on the raw norm."""
        if not self.automatic_optimization:
            self.clip_gradients(
                optimizer,
                gradient_clip_val=self.training_options["gradient_clip_val"],
                gradient_clip_algorithm=self.training_options["gradient_clip_algorithm"],
            )

    def _log_epoch(self, split: str) -> None:
        loss_metric = self.split_losses[f"{split}_loss"]
        metrics = self.split_metrics[f"{split}_metrics"]
        if loss_metric.update_count == 0:  # no batch this epoch (e.g. limit_val_batches=0)
            return
        values = {f"{split}/loss": loss_metric.compute()}
        values |= {f"{split}/{k}": v for k, v in metrics.compute().items()}
        # torchmetrics has already synchronised these across DDP ranks; sync_dist only
        # confirms it to Lightning (identical values, one tiny all-reduce per epoch)
        self.log_dict(values, on_epoch=True, prog_bar=split == "val", sync_dist=True)
        loss_metric.reset()
        metrics.reset()

    def on_train_epoch_end(self) -> None:
        self._log_epoch("train")

    def on_validation_epoch_end(self) -> None:
        self._log_epoch("val")

    def on_test_epoch_end(self) -> None:
        self._log_epoch("test")

    def configure_optimizers(self) -> Any:
        """The optimizer, and the learning-rate schedule of conf/scheduler/ if there is one."""
        optimizer = build_optimizer(self.parameters(), self.optimizer_config)
        settings = self.training_options.get("scheduler") or {"name": "none"}
        steps = self.trainer.estimated_stepping_batches if settings["name"] == "cosine" else None
        scheduler = build_scheduler(optimizer, settings, steps)
        return (
            optimizer if scheduler is None else {"optimizer": optimizer, "lr_scheduler": scheduler}
        )

    @classmethod
    def metric_names_for(cls, facts: DataFacts) -> list[str]:
        """The epoch metric names logged per split, e.g. ['loss', 'acc', 'f1'], known from
        the data alone, so monitored metrics are checked before the model is built."""
        return ["loss", *cls.metrics_for(facts).keys()]

    def metric_names(self) -> list[str]:
        return self.metric_names_for(self.facts)

    # --- checkpoints: the training split's partial epoch --------------------------------
    def train_metric_objects(self) -> list[Metric]:
        return [self.split_losses["train_loss"], *self.split_metrics["train_metrics"].values()]

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        """The states are in the state_dict (persistent); how many updates made them is not."""
        counts = [metric.update_count for metric in self.train_metric_objects()]
        checkpoint["train_metric_updates"] = counts

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        counts = checkpoint.get("train_metric_updates", [])
        for metric, count in zip(self.train_metric_objects(), counts, strict=False):
            metric._update_count = count  # torchmetrics keeps it out of the state_dict
