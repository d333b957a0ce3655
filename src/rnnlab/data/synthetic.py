"""The temporal-order problem (Hochreiter & Schmidhuber 1997, experiment 6a).

Each sequence is random distractor symbols a-d between a start marker B and an end marker E,
with one relevant symbol (X or Y) placed early, in [0.1T, 0.2T], and one in the middle, in
[0.5T, 0.6T]. The class is which pair appeared: XX, XY, YX or YY. Only a model that keeps the
first symbol in memory across the distractors can solve it; chance is 25%.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from rnnlab.data.facts import DataFacts
from rnnlab.data.generated import GeneratedTaskDataModule

SYMBOLS = ("a", "b", "c", "d", "X", "Y", "B", "E")
NUM_CLASSES = 4


def relevant_positions(length: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Inclusive position ranges of the two relevant symbols in a sequence of `length`."""
    first_lo = max(1, round(0.1 * length))
    first_hi = max(first_lo, round(0.2 * length))
    second_lo = max(first_hi + 1, round(0.5 * length))
    second_hi = min(length - 2, max(second_lo, round(0.6 * length)))
    return (first_lo, first_hi), (second_lo, second_hi)


def temporal_order(
    num_sequences: int, length: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """-> one-hot inputs (n, length, 8) and class labels (n,) in {0: XX, 1: XY, 2: YX, 3: YY}."""
    n = num_sequences
    symbols = torch.randint(0, 4, (n, length), generator=generator)  # distractors a-d
    symbols[:, 0], symbols[:, -1] = SYMBOLS.index("B"), SYMBOLS.index("E")
    (lo1, hi1), (lo2, hi2) = relevant_positions(length)
    t1 = torch.randint(lo1, hi1 + 1, (n,), generator=generator)
    t2 = torch.randint(lo2, hi2 + 1, (n,), generator=generator)
    first = torch.randint(0, 2, (n,), generator=generator)  # 0: X, 1: Y
    second = torch.randint(0, 2, (n,), generator=generator)
    rows = torch.arange(n)
    symbols[rows, t1] = SYMBOLS.index("X") + first
    symbols[rows, t2] = SYMBOLS.index("X") + second
    inputs = F.one_hot(symbols, len(SYMBOLS)).float()  # (n, length, 8)
    return inputs, 2 * first + second


class TemporalOrderDataModule(GeneratedTaskDataModule):
    """Seeded train/val/test sets of the temporal-order problem."""

    def generate(self, size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return temporal_order(size, self.length, generator)

    def describe(self) -> DataFacts:
        return DataFacts(task="classification", input_size=len(SYMBOLS), output_size=NUM_CLASSES)
