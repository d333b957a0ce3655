"""The base of every built-in data module: whole splits as tensors, built once."""

from __future__ import annotations

import lightning as L
import torch

from rnnlab.data.facts import DataFacts
from rnnlab.data.tensor_batches import TensorBatches

Split = tuple[torch.Tensor, torch.Tensor]


class InMemoryDataModule(L.LightningDataModule):
    """Subclasses build `self.splits` (train/val/test -> (x, y)) and `self.facts` in __init__.

    The built-in sets are tiny, so building them at construction costs milliseconds and lets
    bad settings fail before a model or Trainer exists. setup() only moves them to the
    device the Trainer trains on, so batches are slices of device tensors.
    """

    splits: dict[str, Split]
    facts: DataFacts

    def __init__(self, batch_size: int, seed: int) -> None:
        super().__init__()
        self.batch_size, self.seed = batch_size, seed
        self.loaders: dict[str, TensorBatches] = {}

    def _make_loaders(self) -> None:
        for name, (x, y) in self.splits.items():
            training = name == "train"
            self.loaders[name] = TensorBatches(
                x, y, self.batch_size, shuffle=training, drop_last=training, seed=self.seed
            )

    def setup(self, stage: str | None = None) -> None:
        if not self.loaders:
            self._make_loaders()
        if self.trainer is not None:
            device = self.trainer.strategy.root_device
            rank, world_size = self.trainer.global_rank, self.trainer.world_size
            for loader in self.loaders.values():
                loader.to(device).shard(rank, world_size)

    def _loader(self, name: str) -> TensorBatches:
        if not self.loaders:
            self._make_loaders()
        return self.loaders[name]

    def state_dict(self) -> dict[str, int]:
        """The epoch the training order is at. Lightning restores this with every resume; the
        loader's own state (the position inside an epoch) only when resuming mid-epoch."""
        return {"train_epoch": self._loader("train").epoch}

    def load_state_dict(self, state_dict: dict[str, int]) -> None:
        self._loader("train").epoch = state_dict["train_epoch"]

    def train_dataloader(self) -> TensorBatches:
        return self._loader("train")

    def val_dataloader(self) -> TensorBatches:
        return self._loader("val")

    def test_dataloader(self) -> TensorBatches:
        return self._loader("test")

    def split_sizes(self) -> dict[str, int]:
        return {name: len(x) for name, (x, _) in self.splits.items()}
