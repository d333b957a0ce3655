"""Time one training step of rnnlab against plain PyTorch loops, side by side in one process.

The setup is the seeds' first tutorial (rnnlab_benchmarks.speed.seed_loop): a 2-layer LSTM
(hidden 128) reading 1000 sequences of length 50 with 10 features into 5 classes, batch 64,
Adam 1e-3. Rows:
  seed loop      DataLoader over a TensorDataset, per-batch .to(device)   (the tutorial)
  plain loop     the same model fed by rnnlab's TensorBatches (slices of device tensors)
  rnnlab         ClassificationTask in a bare Lightning Trainer, TensorBoard every step
scripts/benchmark.py measures rnnlab's whole path (`rnnlab.run.train`) against the seeds' loop.
Usage: python scripts/benchmark_step.py [--device cpu|cuda] [--epochs 3]
"""

from __future__ import annotations

import argparse
import tempfile

import lightning as L
import torch
from lightning.pytorch.loggers import TensorBoardLogger

from rnnlab.config.optimizer import AdamConfig
from rnnlab.data.tensor_batches import TensorBatches
from rnnlab.tasks import ClassificationTask
from rnnlab_benchmarks.speed.clock import StepTime, Stopwatch
from rnnlab_benchmarks.speed.rnnlab_path import SeedSequences
from rnnlab_benchmarks.speed.seed_loop import (
    SeedSetup,
    random_sequences,
    seed_batches,
    seed_epoch,
    synchronize,
    timed_epochs,
)

SETUP = SeedSetup()


def lightning_fit(epochs: int, device: torch.device) -> StepTime:
    """The task in a bare Trainer: no validation, checkpoints or progress bar."""
    task = ClassificationTask(SETUP.model, AdamConfig(lr=SETUP.lr), SETUP.facts)
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
            trainer.fit(task, datamodule=SeedSequences(SETUP))
            return trainer

        fit(1)  # warm-up: first-call costs, allocator, cuDNN plans
        synchronize(device)
        watch = Stopwatch()
        watch.start()
        trainer = fit(epochs)
        synchronize(device)
        return watch.per_step(trainer.global_step)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    device = torch.device(args.device)
    x, y = random_sequences(SETUP, SETUP.sequences)
    slices = TensorBatches(x.to(device), y.to(device), SETUP.batch, shuffle=True, drop_last=True)
    rows = {
        "seed loop (DataLoader)": seed_epoch(SETUP, seed_batches(SETUP), device),
        "plain loop (slices)": seed_epoch(SETUP, slices, device),
    }
    times = {label: timed_epochs(epoch, args.epochs, device) for label, epoch in rows.items()}
    times["rnnlab (Lightning)"] = lightning_fit(args.epochs, device)
    baseline = times["plain loop (slices)"].wall_ms
    name = (
        torch.cuda.get_device_name() if device.type == "cuda" else f"cpu x{torch.get_num_threads()}"
    )
    print(f"device: {name}; torch {torch.__version__}; lightning {L.__version__}")
    print(f"{'loop':<24}{'ms/step':>9}{'vs plain':>10}")
    for label, time in times.items():
        print(f"{label:<24}{time.wall_ms:>9.2f}{time.wall_ms / baseline:>9.2f}x")


if __name__ == "__main__":
    main()
