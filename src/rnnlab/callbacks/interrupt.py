"""Ctrl-C (SIGINT) and SIGTERM (what SLURM sends before a time limit) stop training at the
next safe point with a checkpoint saved to continue from (`resume=true`).

Safe points are where Lightning resumes exactly: after a training batch inside an epoch, or
at the epoch's end (after validation, the epoch's metrics and the regular checkpoints). A
second signal stops at once, without a checkpoint. The handlers replace Lightning's SIGTERM
handler only while the fit runs, and under DDP every process stops at the same batch.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import lightning as L
from lightning.pytorch.callbacks import Checkpoint

from rnnlab.errors import RunInterrupted

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class GracefulInterrupt(Checkpoint):
    """A Checkpoint subclass so Lightning runs its epoch-end hook with the monitoring ones,
    after ModelCheckpoint's (listed first): a stop at an epoch's end then comes after the
    regular checkpoints have recorded that epoch, and saves the state they saved."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.received: int | None = None
        self.previous: dict[int, Any] = {}

    # --- the handlers, installed while fitting -----------------------------------------
    def on_train_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        self.received = None
        try:
            self.previous = {signum: signal.signal(signum, self._handle) for signum in SIGNALS}
        except ValueError:  # not the main thread (a worker thread): nothing to install
            self.previous = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is not None:
            raise KeyboardInterrupt  # a second signal: stop now
        self.received = signum
        name = signal.Signals(signum).name
        message = f"rnnlab: {name}: saving a checkpoint at the next batch end (again: stop now)"
        print(f"\n{message}", file=sys.stderr, flush=True)

    def _restore(self) -> None:
        for signum, handler in self.previous.items():
            if signal.getsignal(signum) == self._handle:
                signal.signal(signum, handler)
        self.previous = {}

    def on_train_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        self._restore()

    def on_exception(
        self, trainer: L.Trainer, pl_module: L.LightningModule, exception: BaseException
    ) -> None:
        self._restore()

    # --- the safe points ----------------------------------------------------------------
    def on_train_batch_end(self, trainer: L.Trainer, *args: Any) -> None:
        if not trainer.fit_loop.epoch_loop.batch_progress.is_last_batch:
            self._stop_if_asked(trainer, flush_step_logs=True)  # the last batch waits

    def on_train_epoch_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        self._stop_if_asked(trainer)

    def _stop_if_asked(self, trainer: L.Trainer, flush_step_logs: bool = False) -> None:
        asked = self.received is not None
        if trainer.world_size > 1:
            asked = trainer.strategy.reduce_boolean_decision(asked, all=False)
        if not asked:
            return
        if flush_step_logs:  # Lightning sends this batch's scalars after this hook; stopping
            trainer._logger_connector.update_train_step_metrics()  # here would drop them
        saved = self.save(trainer)
        signum = self.received or signal.SIGTERM
        raise RunInterrupted(signum, saved, trainer.current_epoch, trainer.global_step)

    def save(self, trainer: L.Trainer) -> str:
        """Write what a resume continues from; -> where it is."""
        trainer.save_checkpoint(self.path)
        return str(self.path)
