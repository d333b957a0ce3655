"""A data set of one's own, as docs/ARCHITECTURE.md's recipe adds it: are most of the bits
ones? Classification, two classes, chance 50%."""

from __future__ import annotations

import torch

from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule


class MajorityDataModule(InMemoryDataModule):
    def __init__(self, batch_size: int, seed: int, steps: int = 9, num_train: int = 512,
                 num_eval: int = 256) -> None:  # fmt: skip
        super().__init__(batch_size=batch_size, seed=seed)
        generator = torch.Generator().manual_seed(seed)
        self.splits = {}
        for split, count in (("train", num_train), ("val", num_eval), ("test", num_eval)):
            bits = torch.randint(0, 2, (count, steps, 1), generator=generator).float()
            self.splits[split] = (bits, (bits.sum(dim=(1, 2)) > steps / 2).long())  # (count,)
        self.facts = DataFacts(task="classification", input_size=1, output_size=2)
