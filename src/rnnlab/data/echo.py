"""Delayed echo, a sequence-labeling task: at every step, name the symbol seen `delay` steps ago.

A many-to-many task (one label per step) that needs exactly `delay` steps of memory. Steps
before t = delay have nothing to echo yet and are labelled with an extra class, "none";
warm-up (training.warmup_steps = delay) leaves them out altogether.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from rnnlab.config.data import EchoConfig
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
    config: EchoConfig

    def generate(self, size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return delayed_echo(size, self.length, self.config.delay, self.config.symbols, generator)

    def describe(self) -> DataFacts:
        symbols = self.config.symbols
        return DataFacts(task="labeling", input_size=symbols, output_size=symbols + 1)
