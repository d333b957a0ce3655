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
    def __init__(self) -> None:
        self.states: list[torch.Tensor] = []

    def add_current(self) -> None:
        """The global generator's state now becomes the next replica's stream."""
        self.states.append(torch.get_rng_state())

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
