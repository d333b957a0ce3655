"""The replicas' loaders served side by side: each batch is one (x, y) per replica."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import lightning as L

from rnnlab.data.in_memory import InMemoryDataModule


class StackedBatches:
    def __init__(self, loaders: Sequence[Any]) -> None:
        lengths = {len(loader) for loader in loaders}
        if len(lengths) != 1:
            raise ValueError(f"replicas' loaders have different lengths {sorted(lengths)}")
        self.loaders = list(loaders)

    def __len__(self) -> int:
        return len(self.loaders[0])

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return zip(*self.loaders, strict=True)

    def state_dict(self) -> list[dict[str, int]]:
        """Each replica's loader state, in order; Lightning then saves the loops with a
        position, and a replica's checkpoint takes its own entry (stacked/replica_trainer.py)."""
        return [loader.state_dict() for loader in self.loaders]

    def load_state_dict(self, states: list[dict[str, int]]) -> None:
        for loader, state in zip(self.loaders, states, strict=True):
            loader.load_state_dict(state)


class StackedDataModule(L.LightningDataModule):
    """Each replica's own data module (its data.seed, its batch order), served together."""

    def __init__(self, datamodules: Sequence[InMemoryDataModule]) -> None:
        super().__init__()
        self.datamodules = list(datamodules)

    def train_dataloader(self) -> StackedBatches:
        return StackedBatches([dm.train_dataloader() for dm in self.datamodules])

    def val_dataloader(self) -> StackedBatches:
        return StackedBatches([dm.val_dataloader() for dm in self.datamodules])

    def test_dataloader(self) -> StackedBatches:
        return StackedBatches([dm.test_dataloader() for dm in self.datamodules])
