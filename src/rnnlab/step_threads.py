"""How many torch threads a run takes when `torch_threads` is null: chosen from the size of a
training step, measured on the 2-core CPU (docs/PERFORMANCE.md, 2026-11-28).

A step of a small recurrent model is many small matrix products, one per time step, where a
second thread costs more in hand-offs than it saves: at rnnlab's default size (LSTM 64 on
windows of 4, batch 32) one thread ran 0.76 ms a step against 0.92 with two. At the seeds'
size (2-layer LSTM 128, 50 steps, batch 64) two threads ran 26 ms against 37 with one. Timing
LSTMs of 32 to 256 units over 50 steps put the crossing near 10 million multiply-adds a step
(batch x time steps x parameters): below it one thread, above it torch's own choice (one per
core). Beside another busy process one thread wins at every size: set `torch_threads=1`.
"""

from __future__ import annotations

import torch

SMALL_STEP = 10_000_000  # multiply-adds per training step (batch x steps x parameters)


def step_size(batch: int, length: int, parameters: int) -> int:
    """Multiply-adds of a step, roughly: each weight meets each sample at each time step."""
    return batch * length * parameters


def threads_for_step(multiply_adds: int, cores: int) -> int:
    return 1 if multiply_adds < SMALL_STEP else cores


def parameters_of(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)
