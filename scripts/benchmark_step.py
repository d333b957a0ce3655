"""Time one training step of rnnlab against plain PyTorch loops, side by side in one process.

The setup is the seeds' first tutorial: a 2-layer LSTM (hidden 128) reading 1000 sequences of
length 50 with 10 features into 5 classes, batch 64, Adam 1e-3. Rows:
  seed loop      DataLoader over a TensorDataset, per-batch .to(device)   (the tutorial)
  plain loop     the same model fed by rnnlab's TensorBatches (slices of device tensors)
  rnnlab         ClassificationTask in a Lightning Trainer with TensorBoard logging every step
Usage: python scripts/benchmark_step.py [--device cpu|cuda] [--epochs 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterable

import lightning as L
import torch
import torch.nn.functional as F
from lightning.pytorch.loggers import TensorBoardLogger
from torch.utils.data import DataLoader, TensorDataset

from rnnlab.config.model import LSTMConfig
from rnnlab.config.optimizer import AdamConfig
from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.tensor_batches import TensorBatches
from rnnlab.models import build_model
from rnnlab.tasks import ClassificationTask

MODEL = LSTMConfig(hidden_size=128, num_layers=2)
ADAM = AdamConfig(lr=1e-3)
N, T, FEATURES, CLASSES, BATCH = 1000, 50, 10, 5, 64
FACTS = DataFacts("classification", FEATURES, CLASSES)


class RandomSequences(InMemoryDataModule):
    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        super().__init__(batch_size=BATCH, seed=0)
        self.splits = {"train": (x, y), "val": (x[:BATCH], y[:BATCH]), "test": (x, y)}
        self.facts = FACTS


def plain_loop(batches: Iterable, epochs: int, device: torch.device) -> tuple[float, int]:
    """-> (seconds, steps) of a hand-written loop, after one warm-up epoch."""
    model = build_model(MODEL, FACTS).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def epoch() -> int:
        steps = 0
        for x, y in batches:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            steps += 1
        return steps

    return timed(epoch, epochs, device)


def lightning_fit(
    x: torch.Tensor, y: torch.Tensor, epochs: int, device: torch.device
) -> tuple[float, int]:
    task = ClassificationTask(MODEL, ADAM, FACTS)
    with tempfile.TemporaryDirectory() as folder:

        def fit(max_epochs: int) -> L.Trainer:
            trainer = L.Trainer(
                accelerator=device.type,
                devices=1,
                max_epochs=max_epochs,
                log_every_n_steps=1,
                logger=TensorBoardLogger(folder, default_hp_metric=False),
                enable_checkpointing=False,
                enable_progress_bar=False,
                enable_model_summary=False,
                limit_val_batches=0,
                num_sanity_val_steps=0,
            )
            trainer.fit(task, datamodule=RandomSequences(x, y))
            return trainer

        fit(1)  # warm-up: first-call costs, allocator, cuDNN plans
        synchronize(device)
        started = time.perf_counter()
        trainer = fit(epochs)
        synchronize(device)
        return time.perf_counter() - started, trainer.global_step


def timed(epoch: Callable[[], int], epochs: int, device: torch.device) -> tuple[float, int]:
    epoch()
    synchronize(device)
    started = time.perf_counter()
    steps = sum(epoch() for _ in range(epochs))
    synchronize(device)
    return time.perf_counter() - started, steps


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    device = torch.device(args.device)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(N, T, FEATURES, generator=generator)
    y = torch.randint(0, CLASSES, (N,), generator=generator)

    seed_batches = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=True, drop_last=True)
    slices = TensorBatches(x.to(device), y.to(device), BATCH, shuffle=True, drop_last=True)
    rows = {
        "seed loop (DataLoader)": plain_loop(seed_batches, args.epochs, device),
        "plain loop (slices)": plain_loop(slices, args.epochs, device),
        "rnnlab (Lightning)": lightning_fit(x, y, args.epochs, device),
    }
    baseline = rows["plain loop (slices)"][0] / rows["plain loop (slices)"][1]
    name = (
        torch.cuda.get_device_name() if device.type == "cuda" else f"cpu x{torch.get_num_threads()}"
    )
    print(f"device: {name}; torch {torch.__version__}; lightning {L.__version__}")
    print(f"{'loop':<24}{'ms/step':>9}{'vs plain':>10}")
    for label, (seconds, steps) in rows.items():
        per_step = seconds / steps
        print(f"{label:<24}{1000 * per_step:>9.2f}{per_step / baseline:>9.2f}x")


if __name__ == "__main__":
    main()
