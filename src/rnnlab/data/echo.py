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
from rnnlab.data.generated import GeneratedTaskDataModule


def delayed_echo(
    num_sequences: int, length: int, delay: int, symbols: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """-> one-hot inputs (n, length, symbols), labels (n, length); label `symbols` means none."""
    seen = torch.randint(0, symbols, (num_sequences, length), generator=generator)
    labels = torch.full_like(seen, symbols)  # "none" until there is something to echo
    labels[:, delay:] = seen[:, : length - delay]
    return F.one_hot(seen, symbols).float(), labels


class EchoDataModule(GeneratedTaskDataModule):
    min_length = 2

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
        require_int("data.delay", delay, 0)
        require_int("data.symbols", symbols, 2)
        self.delay, self.symbols = delay, symbols
        super().__init__(length, num_train, num_val, num_test, batch_size, seed)

    def check(self) -> None:
        if self.delay >= self.length:
            raise ConfigError("data.delay", self.delay, f"less than data.length ({self.length})")

    def generate(self, size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return delayed_echo(size, self.length, self.delay, self.symbols, generator)

    def describe(self) -> DataFacts:
        return DataFacts(task="labeling", input_size=self.symbols, output_size=self.symbols + 1)
