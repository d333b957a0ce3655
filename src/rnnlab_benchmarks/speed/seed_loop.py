"""The seeds' first tutorial as its yardstick: the setup, its data and its loop written plainly.

Seed 001: a 2-layer LSTM (hidden 128) reads 1000 random sequences of length 50 with 10
features into 5 classes, batch 64, Adam 1e-3, a DataLoader over a TensorDataset and a
`.to(device)` per batch. Every speed figure of rnnlab is a ratio to this loop, timed in the
same run, because absolute times move between machines and with their load.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from rnnlab.config.model import LSTMConfig
from rnnlab.data.facts import DataFacts
from rnnlab.models import build_model
from rnnlab.step_threads import parameters_of, step_size, threads_for_step
from rnnlab_benchmarks.speed.clock import StepTime, Stopwatch


@dataclass(frozen=True)
class SeedSetup:
    """Sizes of the seeds' classifier; --fast shrinks them for CI."""

    sequences: int = 1000
    length: int = 50
    features: int = 10
    classes: int = 5
    hidden: int = 128
    layers: int = 2
    batch: int = 64
    lr: float = 1e-3

    @property
    def facts(self) -> DataFacts:
        return DataFacts("classification", self.features, self.classes)

    @property
    def model(self) -> LSTMConfig:
        return LSTMConfig(hidden_size=self.hidden, num_layers=self.layers)

    def threads_null_picks(self) -> int:
        """The thread count `torch_threads=null` picks for this size (rnnlab/step_threads.py)."""
        work = step_size(
            self.batch, self.length, parameters_of(build_model(self.model, self.facts))
        )
        return threads_for_step(work, os.cpu_count() or 1)

    @property
    def steps_per_epoch(self) -> int:
        return self.sequences // self.batch  # the ragged last batch is dropped


def random_sequences(
    setup: SeedSetup, count: int, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """-> inputs (count, length, features) and labels (count,) drawn from a seeded generator."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(count, setup.length, setup.features, generator=generator)
    y = torch.randint(0, setup.classes, (count,), generator=generator)
    return x, y


def seed_batches(setup: SeedSetup) -> DataLoader:
    """The seeds' data pipeline: per-sample __getitem__ and collation, reshuffled per epoch."""
    x, y = random_sequences(setup, setup.sequences)
    return DataLoader(TensorDataset(x, y), batch_size=setup.batch, shuffle=True, drop_last=True)


def synchronize(device: torch.device) -> None:
    """Wait for queued GPU work, so a clock read after it measures the work itself."""
    if device.type == "cuda":
        torch.cuda.synchronize()


def seed_epoch(
    setup: SeedSetup,
    batches: Iterable,
    device: torch.device,
    val_batches: Iterable | None = None,
) -> Callable[[], int]:
    """-> a function that runs one epoch of the seeds' loop and returns its steps; with
    `val_batches`, a plain evaluation pass after each epoch (what validation costs by itself)."""
    model = build_model(setup.model, setup.facts).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=setup.lr)

    def epoch() -> int:
        steps = 0
        model.train()
        for x, y in batches:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            loss = F.cross_entropy(model(x), y)  # (batch, classes) vs (batch,)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            steps += 1
        if val_batches is not None:
            evaluate(model, val_batches, device)
        return steps

    return epoch


@torch.no_grad()
def evaluate(model: torch.nn.Module, batches: Iterable, device: torch.device) -> float:
    """Mean loss over `batches`, the model in eval mode: the plainest validation pass."""
    model.eval()
    total, count = torch.zeros((), device=device), 0
    for x, y in batches:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        total += F.cross_entropy(model(x), y, reduction="sum")  # (batch, classes) vs (batch,)
        count += len(y)
    return float(total) / max(count, 1)


def timed_epochs(epoch: Callable[[], int], epochs: int, device: torch.device) -> StepTime:
    """Time per step over `epochs` epochs, after one untimed warm-up epoch (first-call
    costs: the allocator, oneDNN or cuDNN plans)."""
    epoch()
    synchronize(device)
    watch = Stopwatch()
    watch.start()
    steps = sum(epoch() for _ in range(epochs))
    synchronize(device)
    return watch.per_step(steps)


def val_batches(setup: SeedSetup) -> DataLoader:
    """A fifth of the training set's size, drawn apart from it; rnnlab's path validates on
    the same rows."""
    x, y = random_sequences(setup, val_size(setup), seed=1)
    return DataLoader(TensorDataset(x, y), batch_size=setup.batch)


def val_size(setup: SeedSetup) -> int:
    return max(setup.sequences // 5, 1)


def seed_loop_time(
    setup: SeedSetup, epochs: int, device: torch.device, validate: bool = False
) -> StepTime:
    """Time per training step of the seeds' loop (with a plain validation pass each epoch
    when `validate`)."""
    validation = val_batches(setup) if validate else None
    epoch = seed_epoch(setup, seed_batches(setup), device, validation)
    return timed_epochs(epoch, epochs, device)
