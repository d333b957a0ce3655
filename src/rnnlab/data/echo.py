"""Delayed echo, a sequence-labeling task: at every step, name the symbol seen `delay` steps ago.

A many-to-many task (one label per step) that needs exactly `delay` steps of memory. Steps
before t = delay have nothing to echo yet and are labelled with an extra class, "none";
warm-up (training.warmup_steps = delay) leaves them out altogether.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from rnnlab.config_errors import ConfigError, require_int
from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule, generated_splits


def delayed_echo(
    num_sequences: int, length: int, delay: int, symbols: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """-> one-hot inputs (n, length, symbols), labels (n, length); label `symbols` means none."""
    seen = torch.randint(0, symbols, (num_sequences, length), generator=generator)
    labels = torch.full_like(seen, symbols)  # "none" until there is something to echo
    labels[:, delay:] = seen[:, : length - delay]
    return F.one_hot(seen, symbols).float(), labels


class EchoDataModule(InMemoryDataModule):
    def __init__(
        self,
        length: int = 30,
        delay: int = 5,
        symbols: int = 4,
        num_train: int = 2000,
        num_val: int = 500,
        num_test: int = 500,
        batch_size: int = 64,
        seed: int = 0,
    ) -> None:
        super().__init__(batch_size=batch_size, seed=seed)
        require_int("data.length", length, 2)
        require_int("data.delay", delay, 0)
        require_int("data.symbols", symbols, 2)
        if delay >= length:
            raise ConfigError("data.delay", delay, f"less than data.length ({length})")
        self.splits = generated_splits(
            {"train": num_train, "val": num_val, "test": num_test},
            seed,
            lambda size, generator: delayed_echo(size, length, delay, symbols, generator),
        )
        self.facts = DataFacts(task="labeling", input_size=symbols, output_size=symbols + 1)
