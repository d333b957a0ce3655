"""The base of the synthetic tasks: every split drawn from its own seeded generator."""

from __future__ import annotations

import torch

from rnnlab.config_errors import require_int
from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule, Split


class GeneratedTaskDataModule(InMemoryDataModule):
    """Subclasses say how to draw `size` sequences of `self.length` steps and what they are.

    Each split has its own stream (seed * 3 + split index), so changing num_train leaves
    the validation and test sets as they were.
    """

    min_length = 1

    def __init__(
        self,
        length: int = 100,
        num_train: int = 10000,
        num_val: int = 1000,
        num_test: int = 1000,
        batch_size: int = 64,
        seed: int = 0,
    ) -> None:
        super().__init__(batch_size=batch_size, seed=seed)
        require_int("data.length", length, self.min_length)
        self.length = length
        self.check()
        sizes = {"train": num_train, "val": num_val, "test": num_test}
        for name, size in sizes.items():
            require_int(f"data.num_{name}", size, 1)
        self.splits = {
            name: self.generate(size, torch.Generator().manual_seed(seed * 3 + k))
            for k, (name, size) in enumerate(sizes.items())
        }
        self.facts = self.describe()

    def check(self) -> None:
        """Checks of the subclass's own settings against the length (raise ConfigError)."""

    def generate(self, size: int, generator: torch.Generator) -> Split:
        raise NotImplementedError

    def describe(self) -> DataFacts:
        raise NotImplementedError
