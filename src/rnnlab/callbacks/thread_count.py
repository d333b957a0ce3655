"""torch_threads=null: set the thread count from the first training batch's size (see
rnnlab/step_threads.py for the measurement behind the rule); train() puts it back after."""

from __future__ import annotations

from typing import Any

import lightning as L
import torch

from rnnlab.step_threads import parameters_of, step_size, threads_for_step


class ThreadsForStepSize(L.Callback):
    def __init__(self) -> None:
        self.chosen: int | None = None

    def on_train_batch_start(
        self, trainer: L.Trainer, pl_module: L.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        if self.chosen is not None:
            return
        inputs = batch[0] if isinstance(batch, list | tuple) else batch  # (B, T, F) or (B, T)
        shape = tuple(getattr(inputs, "shape", ())) or (1,)
        length = shape[1] if len(shape) > 1 else 1
        work = step_size(shape[0], length, parameters_of(pl_module))
        self.chosen = threads_for_step(work, torch.get_num_threads())
        torch.set_num_threads(self.chosen)
