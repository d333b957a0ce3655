"""The LightningModule every task shares: steps, epoch metrics, optimizer, warm-up, and
where truncated backpropagation through time (tasks/truncated_bptt.py) and the CUDA-graph
step (tasks/cuda_graph.py) enter Lightning's loop."""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import lightning as L
import torch
from lightning.pytorch.utilities.enums import GradClipAlgorithmType
from torch import nn
from torchmetrics import MeanMetric, Metric, MetricCollection

from rnnlab.config.convert import model_config, plain
from rnnlab.config.run_config import TrainingConfig
from rnnlab.config.trainer import TrainerConfig
from rnnlab.data.facts import DataFacts
from rnnlab.models import build_model
from rnnlab.optim import build_optimizer, build_scheduler
from rnnlab.tasks.cuda_graph import GraphedTrainingStep, graph_blockers, plain_optimizer_state
from rnnlab.tasks.truncated_bptt import truncated_bptt

SPLITS = ("train", "val", "test")
# Lightning's note on a training_step that returns None, which a graphed step does on purpose
GRAPHED_STEP_RETURNS_NONE = "`training_step` returned `None`"
log = logging.getLogger(__name__)
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

    PROGRESS_SECONDS = 0.1  # the progress bar's loss is refreshed at most this often

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
            # updated every step: their input checks each wait for the device (a GPU sync);
            # the DivergenceMonitor stops at a non-finite loss, validation still checks labels
            if isinstance(metric, MeanMetric):
                metric.nan_strategy = "disable"
            if hasattr(metric, "validate_args"):
                metric.validate_args = False
        self.last_loss: torch.Tensor | None = None  # the loss of the step being taken
        self._loss_shown_at = -math.inf  # when the progress bar last got the step's loss
        # on CUDA the whole step replays as one graph (tasks/cuda_graph.py); chosen per fit
        self.graphed_step: GraphedTrainingStep | None = None
        self.step_grad_norm: torch.Tensor | None = None  # a graphed step's norm, pre-clipping
        self.cuda_graph_status = "off (not fitted yet)"

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

    def training_step(self, batch: Batch, batch_idx: int) -> torch.Tensor | None:
        if self.graphed_step is not None:
            return self._graphed_training_step(batch)
        if self.tbptt_steps:
            loss = self._truncated_bptt_step(batch)
        else:
            loss = self._step(batch, "train")
            self.last_loss = loss.detach()
        self._show_loss(loss)
        return loss

    def _show_loss(self, loss: torch.Tensor) -> None:
        """The step's loss in the progress bar, at most every PROGRESS_SECONDS: Lightning's
        self.log costs more per step than a small model's step (measured by hand), and a person
        reads a few values a second. The DivergenceMonitor writes every step's loss to the
        loggers, with the gradient norm, from the value it syncs anyway."""
        now = time.monotonic()
        if now - self._loss_shown_at < self.PROGRESS_SECONDS:
            return
        self._loss_shown_at = now
        self.log("train/loss_step", loss, on_step=True, on_epoch=False, prog_bar=True,
                 logger=False)  # fmt: skip

    def _graphed_training_step(self, batch: Batch) -> None:
        """The whole step taken here (a graph replay, or eager); None tells Lightning there is
        nothing left to backpropagate, and optimizer_step below does not step again."""
        assert self.graphed_step is not None
        x, target = batch
        result = self.graphed_step.step(x, target)
        self.last_loss, self.step_grad_norm = result.loss, result.grad_norm
        self._record("train", result.loss, result.prediction, self.targets_after_warmup(target))
        self._show_loss(result.loss)
        return None

    # --- the CUDA graph's place in Lightning's loop ---------------------------------------
    def on_train_start(self) -> None:
        """Chosen once per fit, when device, strategy, precision, optimizer and callbacks
        are known: a graphed step on CUDA unless one of them rules it out (said once)."""
        self.graphed_step = None
        blockers = graph_blockers(self.trainer, self)
        on_cuda = self.trainer.strategy.root_device.type == "cuda"
        if blockers:
            self.cuda_graph_status = f"off ({'; '.join(blockers)})"
            if on_cuda:
                log.info("CUDA graph %s: the training step runs eagerly", self.cuda_graph_status)
            return
        optimizer = self.trainer.optimizers[0]
        clip_val = self.trainer.gradient_clip_val
        algorithm = GradClipAlgorithmType(self.trainer.gradient_clip_algorithm or "norm").value
        self.graphed_step = GraphedTrainingStep(self, optimizer, clip_val, algorithm)
        warnings.filterwarnings("ignore", message=GRAPHED_STEP_RETURNS_NONE)
        self.cuda_graph_status = self.graphed_step.status

    def on_train_end(self) -> None:
        """The graph (and its memory pool) goes with the fit: a graph kept into the next fit
        would replay into the freed state of that fit's rebuilt optimizer."""
        if self.graphed_step is not None:
            self.cuda_graph_status = self.graphed_step.status
        self.graphed_step = None

    def optimizer_step(self, epoch: int, batch_idx: int, optimizer: Any,
                       optimizer_closure: Any = None) -> None:  # fmt: skip
        if self.graphed_step is None:
            return super().optimizer_step(epoch, batch_idx, optimizer, optimizer_closure)
        optimizer_closure()  # training_step: the graphed step has already updated the weights

    def optimizer_zero_grad(self, epoch: int, batch_idx: int, optimizer: Any) -> None:
        """A graph's gradients live in its memory pool: zeroed inside each step, never freed."""
        if self.graphed_step is None:
            super().optimizer_zero_grad(epoch, batch_idx, optimizer)

    def _truncated_bptt_step(self, batch: Batch) -> torch.Tensor:
        """Manual optimisation, one step per chunk (tasks/truncated_bptt.py)."""
        optimizer = self.optimizers()

        def optimise(loss: torch.Tensor) -> None:
            self.last_loss = loss.detach()
            optimizer.zero_grad()
            self.manual_backward(loss)
            optimizer.step()  # on_before_optimizer_step clips, after callbacks saw the norm

        x, target = batch
        target = self.targets_after_warmup(target)
        chunks, warmup = self.tbptt_steps, self.warmup_steps
        loss, prediction = truncated_bptt(
            self.model, x, target, chunks, warmup, self.compute_loss, optimise
        )
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

    def epoch_values(self, split: str) -> dict[str, torch.Tensor]:
        """The split's epoch metrics ({'val/loss': ..., 'val/mse': ...}), its accumulators then
        reset; {} when no batch was seen (e.g. limit_val_batches=0). A stacked group reads
        its replicas' values through this, where they cannot self.log."""
        loss_metric = self.split_losses[f"{split}_loss"]
        metrics = self.split_metrics[f"{split}_metrics"]
        if loss_metric.update_count == 0:
            return {}
        values = {f"{split}/loss": loss_metric.compute()}
        values |= {f"{split}/{k}": v for k, v in metrics.compute().items()}
        loss_metric.reset()
        metrics.reset()
        return values

    def _log_epoch(self, split: str) -> None:
        values = self.epoch_values(split)
        if values:
            # torchmetrics has already synchronised these across DDP ranks; sync_dist only
            # confirms it to Lightning (identical values, one tiny all-reduce per epoch)
            self.log_dict(values, on_epoch=True, prog_bar=split == "val", sync_dist=True)

    def on_train_epoch_end(self) -> None:
        self._log_epoch("train")

    def on_validation_epoch_end(self) -> None:
        self._log_epoch("val")

    def on_test_epoch_end(self) -> None:
        self._log_epoch("test")

    def configure_optimizers(self) -> Any:
        """The optimizer, and the learning-rate schedule of conf/scheduler/ if there is one."""
        self.graphed_step = None  # it captured the optimizer this replaces
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
        for state in checkpoint.get("optimizer_states", []):
            plain_optimizer_state(state)  # a graphed run's checkpoint resumes anywhere

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        counts = checkpoint.get("train_metric_updates", [])
        for metric, count in zip(self.train_metric_objects(), counts, strict=False):
            metric._update_count = count  # torchmetrics keeps it out of the state_dict
