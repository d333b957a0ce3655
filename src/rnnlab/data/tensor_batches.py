"""Batches served as slices of tensors held in memory (or on the GPU)."""

from __future__ import annotations

from collections.abc import Iterator

import torch


class TensorBatches:
    """An iterable of (x, y) batches cut from whole tensors: no per-sample __getitem__.

    Shuffling uses its own generator, seeded with `seed + epoch`, so an epoch's order depends
    only on the seed and the epoch (each iteration serves the next). Both the epoch and the
    position inside it are state: the data module checkpoints the epoch, and Lightning this
    loader's state_dict, so a fit resumed mid-epoch gets the batches it had not yet seen, in
    the same order. With drop_last the
    training batches all have one static shape (ready for CUDA graphs); a data set smaller
    than one batch still yields one batch of everything it has.

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
        self.epoch = 0  # the epoch the next iteration serves
        self.serving = 0  # the epoch being (or last) served
        self.served = 0  # its batches handed out so far
        self.resume_at: tuple[int, int] | None = None  # (epoch, batches to skip) after a load
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

    def state_dict(self) -> dict[str, int]:
        return {"epoch": self.serving, "served": self.served}

    def load_state_dict(self, state: dict[str, int]) -> None:
        """The next iteration continues the saved epoch where it stood; a finished epoch
        leaves nothing to continue."""
        if state["served"] < len(self):
            self.resume_at = (state["epoch"], state["served"])

    def _order(self, epoch: int) -> torch.Tensor | None:
        """This process's rows of the epoch in the order served; None: all, in order."""
        n = len(self.x)
        order: torch.Tensor | None = None
        if self.shuffle:
            generator = torch.Generator().manual_seed(self.seed + epoch)
            order = torch.randperm(n, generator=generator)
        if self.world_size > 1:
            order = (order if order is not None else torch.arange(n))[self.rank :: self.world_size]
            order = order[: self._rows_in_shard()]
        return order

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        epoch, skip = self.resume_at or (self.epoch, 0)
        self.resume_at = None
        self.serving, self.served, self.epoch = epoch, skip, epoch + 1
        order, size = self._order(epoch), self.batch_size
        if order is not None:
            order = order.to(self.x.device)
        for i in range(skip, len(self)):
            self.served = i + 1  # counted before the batch is used: a checkpoint then skips it
            if order is None:  # one process, in order: plain slices, no copies
                yield self.x[i * size : (i + 1) * size], self.y[i * size : (i + 1) * size]
            else:
                rows = order[i * size : (i + 1) * size]
                yield self.x[rows], self.y[rows]  # (batch, time, features), (batch, ...)
