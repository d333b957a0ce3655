"""The copy-memory problem (Arjovsky, Shah & Bengio 2016; after Hochreiter & Schmidhuber 1997).

Input, T + 20 steps: 10 symbols drawn from 1..8, then T - 1 blanks (0), a delimiter (9),
and 10 more blanks. Target: blanks for T + 10 steps, then the 10 symbols in order. Labeled at
every step; a model without memory that outputs blanks and then guesses uniformly among the
8 symbols scores a cross-entropy of 10 ln 8 / (T + 20).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from rnnlab.config.data import COPY_MEMORY_SYMBOLS
from rnnlab.data.facts import DataFacts
from rnnlab.data.generated import GeneratedTaskDataModule

MEMORY = COPY_MEMORY_SYMBOLS  # symbols to remember
SYMBOLS = 8  # data symbols 1..8; 0 is blank, 9 the delimiter
BLANK, DELIMITER = 0, 9


def no_memory_cross_entropy(length: int) -> float:
    """10 ln 8 / (T + 20): the baseline a model must beat to have remembered anything."""
    return MEMORY * math.log(SYMBOLS) / (length + 2 * MEMORY)


def copy_memory(
    num_sequences: int, length: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """-> one-hot inputs (n, T + 20, 10), labels (n, T + 20) in 0..8."""
    n, total = num_sequences, length + 2 * MEMORY
    data = torch.randint(1, SYMBOLS + 1, (n, MEMORY), generator=generator)
    inputs = torch.full((n, total), BLANK, dtype=torch.long)
    inputs[:, :MEMORY] = data
    inputs[:, length + MEMORY - 1] = DELIMITER  # after T - 1 blanks
    labels = torch.full((n, total), BLANK, dtype=torch.long)
    labels[:, -MEMORY:] = data
    return F.one_hot(inputs, SYMBOLS + 2).float(), labels


class CopyMemoryDataModule(GeneratedTaskDataModule):
    def generate(self, size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return copy_memory(size, self.length, generator)

    def describe(self) -> DataFacts:
        return DataFacts(task="labeling", input_size=SYMBOLS + 2, output_size=SYMBOLS + 1)
