"""Each replica's own callbacks, called where Lightning calls a solo run's, through its view.

A Checkpoint subclass, so Lightning calls its epoch-end hook with the monitoring callbacks,
after the group's module has read every replica's train metrics: the order a solo run's
ModelCheckpoint and EarlyStopping see. A replica whose callback raises (DivergenceMonitor's
DivergenceError, above all) fails alone: its updates stop, `on_failure` records it, and the
others train on. A replica that asks to stop (early stopping, Optuna pruning) stops at that
epoch's end, as its solo run would. The group stops when no replica is left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import lightning as L
import torch
from lightning.pytorch.callbacks import Checkpoint, EarlyStopping

from rnnlab.callbacks.divergence import DivergenceMonitor
from rnnlab.stacked.replica_trainer import ReplicaTrainer
from rnnlab.stacked.task import StackedTask

log = logging.getLogger(__name__)
Failure = Callable[[int, BaseException], None]


def overrides(callback: L.Callback, hook: str) -> bool:
    """Whether the callback does anything at `hook` (most do nothing at most hooks)."""
    return getattr(type(callback), hook) is not getattr(L.Callback, hook)


def is_monitoring(callback: L.Callback) -> bool:
    """Lightning's split: these see the module's epoch-end metrics (its fit_loop)."""
    return isinstance(callback, EarlyStopping | Checkpoint)


class ReplicaHooks(Checkpoint):
    def __init__(self, views: Sequence[ReplicaTrainer], on_failure: Failure) -> None:
        self.views, self.on_failure = list(views), on_failure
        self.progress: list[tuple[float, int] | None] = [None] * len(self.views)  # at stop

    # --- dispatch ----------------------------------------------------------------------
    def _each(
        self, group: StackedTask, hook: str, *args: Any, only: Callable[[L.Callback], bool]
        | None = None, per_replica: Callable[[int], tuple[Any, ...]] | None = None
    ) -> None:  # fmt: skip
        """`hook` of every active replica's callbacks (those `only` keeps)."""
        for view in self.views:
            if not group.active[view.index]:
                continue
            extra = per_replica(view.index) if per_replica else args
            try:
                for callback in view.callbacks:
                    if overrides(callback, hook) and (only is None or only(callback)):
                        getattr(callback, hook)(view, view.lightning_module, *extra)
            except Exception as error:  # noqa: BLE001 - one replica's failure is its own
                self._fail(group, view.index, error)

    def _fail(self, group: StackedTask, index: int, error: BaseException) -> None:
        group.stop(index)
        self.on_failure(index, error)
        self._stop_group_if_done(group)

    def _stop_group_if_done(self, group: StackedTask) -> None:
        if not any(group.active):
            group.trainer.should_stop = True

    # --- the hooks ---------------------------------------------------------------------
    def setup(self, trainer: L.Trainer, pl_module: StackedTask, stage: str) -> None:
        for view in self.views:
            view.group = trainer
        self._each(pl_module, "setup", stage)

    def on_fit_start(self, trainer: L.Trainer, pl_module: StackedTask) -> None:
        for view in self.views:
            view.optimizers = [pl_module.optimizers_of[view.index]]
            view.lr_scheduler_configs = pl_module.scheduler_configs[view.index]
            view.callback_metrics = pl_module.epoch_values[view.index]
        self._each(pl_module, "on_fit_start")

    def on_train_start(self, trainer: L.Trainer, pl_module: StackedTask) -> None:
        self._each(pl_module, "on_train_start")

    def on_train_epoch_start(self, trainer: L.Trainer, pl_module: StackedTask) -> None:
        for view in self.views:
            view.scheduler_progress.reset_on_run()
        self._each(pl_module, "on_train_epoch_start")

    def on_train_batch_start(
        self, trainer: L.Trainer, pl_module: StackedTask, batch: Any, batch_idx: int
    ) -> None:
        self._each(pl_module, "on_train_batch_start",
                   per_replica=lambda r: (batch[r], batch_idx))  # fmt: skip

    def on_before_optimizer_step(
        self, trainer: L.Trainer, pl_module: StackedTask, optimizer: Any
    ) -> None:
        """Before the StackedOptimizer updates: a replica failing here is not updated. The
        replicas' divergence checks share one host sync (each alone would sync once)."""
        self._watch_divergence(pl_module)
        self._each(pl_module, "on_before_optimizer_step",
                   only=lambda c: not isinstance(c, DivergenceMonitor),
                   per_replica=lambda r: (optimizer.optimizers[r],))  # fmt: skip

    def _watch_divergence(self, group: StackedTask) -> None:
        """DivergenceMonitor.on_before_optimizer_step for every active replica at once: the
        same per-tensor norms (one _foreach_norm over all replicas' gradients), each
        replica's total norm and loss, one sync, then each monitor's own judgement."""
        watched = []  # (view, its monitor, its gradients)
        for view in self.views:
            monitors = [c for c in view.callbacks if isinstance(c, DivergenceMonitor)]
            if group.active[view.index] and monitors:
                grads = [p.grad for p in monitors[0].watched if p.grad is not None]
                if grads:
                    watched.append((view, monitors[0], grads))
        if not watched:
            return
        norms = iter(torch._foreach_norm([g for _, _, grads in watched for g in grads], 2.0))
        totals = [torch.linalg.vector_norm(torch.stack([next(norms) for _ in grads]), 2.0)
                  for _, _, grads in watched]  # fmt: skip
        losses = [view.lightning_module.last_loss.float() for view, _, _ in watched]
        values = torch.stack([torch.stack(losses), torch.stack(totals).float()]).tolist()
        step = group.trainer.global_step  # the step about to be taken
        for (view, monitor, _), loss, norm in zip(watched, *values, strict=True):
            try:
                monitor.judge(view, loss, norm, step)  # type: ignore[arg-type]
            except Exception as error:  # noqa: BLE001 - one replica's divergence is its own
                self._fail(group, view.index, error)

    def on_train_batch_end(
        self, trainer: L.Trainer, pl_module: StackedTask, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        tasks = pl_module.replica_tasks()
        epoch_done = trainer.fit_loop.epoch_loop._num_ready_batches_reached()
        for view in self.views:  # Lightning's order: step schedules, then (an epoch's last
            if pl_module.active[view.index]:  # batch) the epoch ones but plateau
                count_schedule_steps(view, "step")  # stepped with its update; counted here
                if epoch_done:
                    step_epoch_schedules(view, plateau=False)

        def arguments(r: int) -> tuple[Any, ...]:
            return {"loss": tasks[r].last_loss}, batch[r], batch_idx

        self._each(pl_module, "on_train_batch_end", per_replica=arguments)

    def on_validation_end(self, trainer: L.Trainer, pl_module: StackedTask) -> None:
        """The epoch's val metrics to each replica's loggers (Lightning logs them before this
        hook), then its callbacks' validation-end checks (Optuna's report among them)."""
        if not trainer.sanity_checking:
            step = trainer.fit_loop.epoch_loop._batches_that_stepped
            self._log(pl_module, step, trainer.current_epoch)
        self._each(pl_module, "on_validation_end")

    def on_train_epoch_end(self, trainer: L.Trainer, pl_module: StackedTask) -> None:
        """Lightning's order for a solo run: callbacks, module, monitoring callbacks, plateau
        schedules, then the train metrics logged one step back; then stops asked for."""
        self._each(pl_module, "on_train_epoch_end", only=lambda c: not is_monitoring(c))
        self._each(pl_module, "on_train_epoch_end", only=is_monitoring)
        for view in self.views:
            if pl_module.active[view.index]:
                step_epoch_schedules(view, plateau=True)
        step = trainer.fit_loop.epoch_loop._batches_that_stepped - 1
        self._log(pl_module, step, trainer.current_epoch, split="train")
        for view in self.views:
            if pl_module.active[view.index] and view.should_stop:
                self.progress[view.index] = (trainer.current_epoch + 1, trainer.global_step)
                pl_module.stop(view.index)
                log.info("replica %d stopped at epoch %d", view.index, trainer.current_epoch)
        self._stop_group_if_done(pl_module)

    def on_train_end(self, trainer: L.Trainer, pl_module: StackedTask) -> None:
        self._each(pl_module, "on_train_end")

    def _log(self, group: StackedTask, step: int, epoch: int, split: str = "val") -> None:
        for view in self.views:
            values = group.fresh_values[view.index]
            if not group.active[view.index] or not values:
                continue
            if not next(iter(values)).startswith(f"{split}/"):
                continue
            scalars = {name: float(value) for name, value in values.items()}
            for logger in view.loggers:
                logger.log_metrics({**scalars, "epoch": epoch}, step=step)


def step_epoch_schedules(view: ReplicaTrainer, plateau: bool) -> None:
    """A replica's per-epoch schedules stepped as Lightning steps a solo run's: a plateau
    schedule after the epoch's checkpoints, on its monitored metric; any other at the
    epoch's last batch, before validation."""
    for config in view.lr_scheduler_configs:
        if config.interval != "epoch" or config.reduce_on_plateau != plateau:
            continue
        if config.reduce_on_plateau:
            value = view.callback_metrics.get(config.monitor or "")
            if value is None:  # Lightning's default refuses the run; rnnlab's checks did
                continue
            view.scheduler_progress.increment_ready()
            config.scheduler.step(value)  # type: ignore[call-arg]
        else:
            view.scheduler_progress.increment_ready()
            config.scheduler.step()
        view.scheduler_progress.increment_completed()


def count_schedule_steps(view: ReplicaTrainer, interval: str) -> None:
    """Lightning's count of schedule steps, for schedules something else stepped."""
    for config in view.lr_scheduler_configs:
        if config.interval == interval:
            view.scheduler_progress.increment_ready()
            view.scheduler_progress.increment_completed()
