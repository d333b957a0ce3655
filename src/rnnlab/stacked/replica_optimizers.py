"""The one optimizer Lightning steps for a stacked group: R real torch optimizers behind it.

Each replica keeps its own optimizer class, hyperparameters, state and step-interval
schedule, so its update is the one a solo run makes, bit for bit, and its state_dict is a
solo checkpoint's. A replica that stopped (diverged, early-stopped, pruned) is no longer
stepped. Lightning needs only its Optimizable protocol: param_groups, defaults, state, step,
zero_grad, state_dict and load_state_dict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.optim.lr_scheduler import LRScheduler


class StackedOptimizer:
    def __init__(
        self,
        optimizers: Sequence[torch.optim.Optimizer],
        step_schedulers: Sequence[LRScheduler | None] | None = None,
    ) -> None:
        self.optimizers = list(optimizers)
        self.step_schedulers = list(step_schedulers or [None] * len(self.optimizers))
        if len(self.step_schedulers) != len(self.optimizers):
            raise ValueError("one step scheduler (or None) per replica's optimizer")
        self.active = [True] * len(self.optimizers)
        self.defaults: dict[str, Any] = {}

    @property
    def param_groups(self) -> list[dict[str, Any]]:
        """Every replica's groups, the very dicts its optimizer and schedulers change."""
        return [group for optimizer in self.optimizers for group in optimizer.param_groups]

    @property
    def state(self) -> dict[Any, Any]:
        return {p: s for optimizer in self.optimizers for p, s in optimizer.state.items()}

    def stop(self, replica: int) -> None:
        """No further updates for this replica; its weights stay as they are."""
        self.active[replica] = False

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """The closure (forward and backward of all replicas) once, then each active
        replica's own update and, for a per-step schedule, its scheduler's step."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for optimizer, scheduler, active in zip(
            self.optimizers, self.step_schedulers, self.active, strict=True
        ):
            if active:
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
        return loss

    def zero_grad(self, set_to_none: bool = True) -> None:
        for optimizer in self.optimizers:
            optimizer.zero_grad(set_to_none=set_to_none)

    def state_dict(self) -> dict[str, Any]:
        """Each replica's solo state_dict, and its step scheduler's, in replica order."""
        return {
            "replicas": [optimizer.state_dict() for optimizer in self.optimizers],
            "step_schedulers": [s.state_dict() if s else None for s in self.step_schedulers],
            "active": list(self.active),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for optimizer, saved in zip(self.optimizers, state["replicas"], strict=True):
            optimizer.load_state_dict(saved)
        for scheduler, saved in zip(self.step_schedulers, state["step_schedulers"], strict=True):
            if scheduler is not None and saved is not None:
                scheduler.load_state_dict(saved)
        self.active = list(state["active"])
