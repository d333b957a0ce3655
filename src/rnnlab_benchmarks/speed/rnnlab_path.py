"""The seeds' classifier through rnnlab's own path: `rnnlab.run.train` on the config
`python train.py` composes (validation, checkpoints, TensorBoard, progress bar, divergence
watch, as a user has them), with only the data swapped for the seeds' random sequences.

The data module and one timing callback are put in by wrapping two of rnnlab.run's builders;
everything between them is the code a user runs.
"""

from __future__ import annotations

from pathlib import Path

import lightning as L
from hydra import compose, initialize_config_dir

import rnnlab.config  # noqa: F401 - registers the config schemas with Hydra
import rnnlab.run
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab_benchmarks.speed.clock import StepTime, Stopwatch
from rnnlab_benchmarks.speed.seed_loop import SeedSetup, random_sequences, synchronize, val_size

CONF_DIR = Path(__file__).resolve().parents[3] / "conf"


class SeedSequences(InMemoryDataModule):
    """The seeds' 1000 random training sequences, plus seeded validation and test sets."""

    def __init__(self, setup: SeedSetup) -> None:
        super().__init__(batch_size=setup.batch, seed=0)
        self.splits = {
            "train": random_sequences(setup, setup.sequences, seed=0),
            "val": random_sequences(setup, val_size(setup), seed=1),
            "test": random_sequences(setup, setup.batch, seed=2),
        }
        self.facts = setup.facts


class StepClock(L.Callback):
    """Times the fit from the start of its second epoch (the first warms up, as the seeds'
    loop's untimed epoch does) to its end: validation and checkpoints included."""

    def __init__(self) -> None:
        self.watch = Stopwatch()
        self.started = False
        self.first_step = 0
        self.time: StepTime | None = None

    def on_train_epoch_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if trainer.current_epoch == 1 and not self.started:
            synchronize(pl_module.device)
            self.started, self.first_step = True, trainer.global_step
            self.watch.start()

    def on_train_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if self.started:
            synchronize(pl_module.device)
            self.time = self.watch.per_step(trainer.global_step - self.first_step)


def run_overrides(setup: SeedSetup, epochs: int, device: str, validate: bool) -> list[str]:
    """What a user would type for the seeds' model; the data itself is swapped in below."""
    overrides = [
        "model=lstm",
        f"model.hidden_size={setup.hidden}",
        f"model.num_layers={setup.layers}",
        "optimizer=adam",
        f"optimizer.lr={setup.lr}",
        "data=synthetic",  # a classification data set, so the checks see the right task
        f"data.length={max(setup.length, 8)}",
        f"data.batch_size={setup.batch}",
        f"trainer.max_epochs={epochs + 1}",  # one warm-up epoch, then `epochs` timed
        f"trainer.accelerator={'gpu' if device == 'cuda' else 'cpu'}",
    ]
    if not validate:
        overrides += [
            "+trainer.limit_val_batches=0",
            "checkpoint.monitor=null",
            "optimized_metric=test/loss",
        ]
    return overrides


def rnnlab_step_time(
    setup: SeedSetup,
    epochs: int,
    device: str,
    output_dir: Path,
    validate: bool,
    extra: tuple[str, ...] = (),
) -> StepTime:
    """Time per training step of `rnnlab.run.train` over `epochs` timed epochs."""
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = compose("train", overrides=[*run_overrides(setup, epochs, device, validate), *extra])
    clock = StepClock()  # the seeds' own data module, and a clock beside the run's callbacks
    rnnlab.run.train(cfg, output_dir, datamodule=SeedSequences(setup), callbacks=[clock])
    assert clock.time is not None, "the fit ended before its second epoch"
    return clock.time
