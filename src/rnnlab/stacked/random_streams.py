"""Each replica's own random stream, so its dropout masks are the ones its solo run draws.

A solo run seeds torch's global generator, builds its data and model from it, and from then
on only dropout draws from it. A replica's stream is that generator's state right after its
build; each of its steps runs with the stream swapped in and saved back after, so the
replicas of a group, stepped in turn, draw exactly what each would alone (torch's own layers
and the from-scratch cells alike, with no mask re-implemented here).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


class ReplicaStreams:
    def __init__(self, states: list[torch.Tensor]) -> None:
        self.states = [state.clone() for state in states]

    @classmethod
    def empty(cls) -> ReplicaStreams:
        return cls([])

    def add_current(self) -> int:
        """The global generator's state now becomes the next replica's stream; its index."""
        self.states.append(torch.get_rng_state())
        return len(self.states) - 1

    @contextmanager
    def of(self, replica: int) -> Iterator[None]:
        """Replica `replica`'s stream as torch's global CPU generator, for the block."""
        outer = torch.get_rng_state()
        torch.set_rng_state(self.states[replica])
        try:
            yield
        finally:
            self.states[replica] = torch.get_rng_state()
            torch.set_rng_state(outer)
