"""The base of the synthetic tasks: every split drawn from its own seeded generator."""

from __future__ import annotations

import torch

from rnnlab.config.data import GeneratedConfig
from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule, Split


class GeneratedTaskDataModule(InMemoryDataModule):
    """Subclasses say how to draw `size` sequences of `self.length` steps and what they are.

    Each split has its own stream (seed * 3 + split index), so changing num_train leaves
    the validation and test sets as they were.
    """

    def __init__(self, config: GeneratedConfig) -> None:
        super().__init__(batch_size=config.batch_size, seed=config.seed)
        self.config = config
        self.length = config.length
        sizes = {"train": config.num_train, "val": config.num_val, "test": config.num_test}
        self.splits = {
            name: self.generate(size, torch.Generator().manual_seed(config.seed * 3 + k))
            for k, (name, size) in enumerate(sizes.items())
        }
        self.facts = self.describe()

    def generate(self, size: int, generator: torch.Generator) -> Split:
        raise NotImplementedError

    def describe(self) -> DataFacts:
        raise NotImplementedError
