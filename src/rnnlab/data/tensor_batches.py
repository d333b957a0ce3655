"""Batches served as slices of tensors held in memory (or on the GPU)."""

from __future__ import annotations

from collections.abc import Iterator

import torch


class TensorBatches:
    """An iterable of (x, y) batches cut from whole tensors: no per-sample __getitem__.

    Shuffling uses its own generator, seeded with `seed + epoch`, so an epoch's order depends
    only on the seed and how many epochs came before. With drop_last the training batches all
    have one static shape (ready for CUDA graphs); a data set smaller than one batch still
    yields one batch of everything it has.

    Under DDP each of `world_size` processes takes every world_size-th row of the (shared)
    order, from offset `rank`. Training shards are cut to one length so every rank takes the
    same number of steps; evaluation shards are not padded, so synchronised metrics count
    each row exactly once.
    """

    def __init__(
        self,
        x: torch.Tensor,
        y: torch.Tensor,
        batch_size: int,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int = 0,
    ) -> None:
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
        if len(x) == 0:
            raise ValueError("a split with no samples cannot be served")
        self.x, self.y = x, y
        self.batch_size = min(batch_size, len(x))
        self.shuffle, self.drop_last, self.seed = shuffle, drop_last, seed
        self.epoch = 0
        self.rank, self.world_size = 0, 1

    def shard(self, rank: int, world_size: int) -> TensorBatches:
        if not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} is outside a world of {world_size}")
        self.rank, self.world_size = rank, world_size
        self.batch_size = max(1, min(self.batch_size, len(self.x) // world_size))
        return self

    def _rows_in_shard(self) -> int:
        if self.world_size == 1:
            return len(self.x)
        if self.drop_last:
            return len(self.x) // self.world_size
        return len(range(self.rank, len(self.x), self.world_size))

    def __len__(self) -> int:
        full, rest = divmod(self._rows_in_shard(), self.batch_size)
        return full + (1 if rest and not self.drop_last else 0)

    def to(self, device: torch.device | str) -> TensorBatches:
        self.x, self.y = self.x.to(device), self.y.to(device)
        return self

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        n, size = len(self.x), self.batch_size
        order: torch.Tensor | None = None
        if self.shuffle:
            generator = torch.Generator().manual_seed(self.seed + self.epoch)
            order = torch.randperm(n, generator=generator)
        if self.world_size > 1:
            order = (order if order is not None else torch.arange(n))[self.rank :: self.world_size]
            order = order[: self._rows_in_shard()]
        self.epoch += 1
        if order is None:  # one process, in order: plain slices, no copies
            for i in range(len(self)):
                yield self.x[i * size : (i + 1) * size], self.y[i * size : (i + 1) * size]
            return
        order = order.to(self.x.device)
        for i in range(len(self)):
            rows = order[i * size : (i + 1) * size]
            yield self.x[rows], self.y[rows]  # (batch, time, features), (batch, ...)
