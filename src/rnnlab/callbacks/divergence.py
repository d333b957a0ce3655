"""Every optimizer step watched: its gradient norm logged before clipping, and the run stopped
at the first step whose loss or gradient norm is not finite, or whose loss ran away.

Checked before the optimizer steps, so the weights (and the checkpoints already written)
are still the last good ones when the run stops. A step replayed as one CUDA graph
(tasks/cuda_graph.py) is checked just after it: the run stops there all the same, and the
checkpoints already written are still the last good ones.
"""

from __future__ import annotations

import math
from typing import Any

import lightning as L
import torch

from rnnlab.errors import DivergenceError


class DivergenceMonitor(L.Callback):
    """Logs `train/loss_step` and `train/grad_norm` (the total L2 norm before clipping) at
    every optimizer step, one point each per step (truncated BPTT: per chunk), and raises
    DivergenceError at the first step whose training loss or norm is not finite, or whose
    loss is over `factor` times the first step's (None: only the non-finite check).

    Costs one device sync per step, which also yields the values logged: both go to the
    loggers in one call, not through Lightning's per-step `self.log` path (the task logs the
    loss for the progress bar only)."""

    graph_aware = True  # a CUDA-graphed step is checked after it (see on_train_batch_end)

    def __init__(self, factor: float | None) -> None:
        self.factor = factor
        self.first_loss: float | None = None  # an untrained model's loss: the yardstick
        self.watched: list[torch.nn.Parameter] = []  # the module's, listed once per fit

    def on_train_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        """Walking the module tree (metrics included) every step costs more than the norm."""
        self.watched = [p for p in pl_module.parameters() if p.requires_grad]

    def on_before_optimizer_step(
        self, trainer: L.Trainer, pl_module: L.LightningModule, optimizer: torch.optim.Optimizer
    ) -> None:
        grads = [p.grad for p in self.watched if p.grad is not None]
        loss: torch.Tensor | None = getattr(pl_module, "last_loss", None)
        if not grads or loss is None:
            return
        norm = torch.nn.utils.get_total_norm(grads, norm_type=2.0)
        self.watch(trainer, loss, norm, step=trainer.global_step)  # the step about to be taken

    def on_train_batch_end(
        self, trainer: L.Trainer, pl_module: L.LightningModule, *args: Any
    ) -> None:
        """A CUDA-graphed step (tasks/cuda_graph.py) ran forward to optimizer step in one replay,
        so it is checked after: the run stops all the same, before anything is saved."""
        norm: torch.Tensor | None = getattr(pl_module, "step_grad_norm", None)
        if norm is None or pl_module.last_loss is None:
            return
        pl_module.step_grad_norm = None
        self.watch(trainer, pl_module.last_loss, norm, step=trainer.global_step - 1)

    def watch(self, trainer: L.Trainer, loss: torch.Tensor, norm: torch.Tensor, step: int) -> None:
        """Log loss and norm of optimizer step `step`; stop the run if it diverged."""
        loss_value, norm_value = torch.stack([loss.float(), norm.float()]).tolist()  # one sync
        self.judge(trainer, loss_value, norm_value, step)

    def judge(self, trainer: L.Trainer, loss_value: float, norm_value: float, step: int) -> None:
        """`watch` once the values are on the host (a stacked group syncs all its replicas'
        values at once, then judges each)."""
        if (step + 1) % trainer.log_every_n_steps == 0:
            values = {"train/loss_step": loss_value, "train/grad_norm": norm_value}
            for logger in trainer.loggers:
                logger.log_metrics(values, step=step)
        problem = self.problem(loss_value, norm_value)
        if trainer.strategy.reduce_boolean_decision(problem is not None, all=False):
            epoch = trainer.current_epoch
            raise DivergenceError(
                f"training diverged at step {step} (epoch {epoch}): "
                f"{problem or 'another process diverged'}. Lower optimizer.lr or set "
                "trainer.gradient_clip_val",
                step,
                epoch,
            )
        if self.first_loss is None:
            self.first_loss = loss_value

    def problem(self, loss: float, norm: float) -> str | None:
        if not math.isfinite(loss):
            return f"train/loss is {loss} (train/grad_norm {norm:.4g})"
        if not math.isfinite(norm):
            return f"train/grad_norm is {norm} (train/loss {loss:.4g})"
        first, factor = self.first_loss, self.factor
        if factor is not None and first is not None and loss > factor * first:
            return (
                f"train/loss {loss:.4g} is over training.divergence_factor={factor:g} x the "
                f"first step's {first:.4g}"
            )
        return None

    def state_dict(self) -> dict[str, Any]:
        return {"first_loss": self.first_loss}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.first_loss = state_dict.get("first_loss")
