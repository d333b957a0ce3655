"""The adding problem (Hochreiter & Schmidhuber 1997; the form of Arjovsky, Shah & Bengio 2016).

Two input channels: values drawn from U[0, 1], and markers, 1 at one random step in each
half of the sequence and 0 elsewhere. The target is the sum of the two marked values.
Always predicting 1 gives MSE 1/6 (the variance of a sum of two U[0, 1]): a model has
learned something only once it is well below 0.167.
"""

from __future__ import annotations

import torch

from rnnlab.data.facts import DataFacts
from rnnlab.data.generated import GeneratedTaskDataModule

NO_MEMORY_MSE = 1.0 / 6.0


def adding_problem(
    num_sequences: int, length: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """-> inputs (n, length, 2): [value, marker], targets (n, 1): the sum of the marked values."""
    n, half = num_sequences, length // 2
    values = torch.rand(n, length, generator=generator)
    first = torch.randint(0, half, (n,), generator=generator)
    second = torch.randint(half, length, (n,), generator=generator)
    markers = torch.zeros(n, length)
    rows = torch.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    targets = (values[rows, first] + values[rows, second]).unsqueeze(1)  # (n, 1)
    return torch.stack([values, markers], dim=2), targets


class AddingDataModule(GeneratedTaskDataModule):
    def generate(self, size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return adding_problem(size, self.length, generator)

    def describe(self) -> DataFacts:
        return DataFacts(task="regression", input_size=2, output_size=1)
