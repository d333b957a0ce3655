"""Each replica's own random stream, so its dropout masks are the ones its solo run draws.

A solo run seeds torch's global generator, builds its data and model from it, and from then
on only dropout draws from it. A replica's stream is that generator's state right after its
build; each of its steps runs with the stream swapped in and saved back after, so the
replicas of a group, stepped in turn, draw exactly what each would alone (torch's own layers
and the from-scratch cells alike, with no mask re-implemented here).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch


class ReplicaStreams:
    def __init__(self) -> None:
        self.states: list[torch.Tensor] = []
        # numpy's and python's generators after the build: nothing in a step draws from
        # them, but a checkpoint records them (ResumeState), so a replica's must be its own
        self.host_states: list[tuple[Any, Any]] = []

    def add_current(self) -> None:
        """The global generators' states now become the next replica's streams."""
        self.states.append(torch.get_rng_state())
        self.host_states.append((np.random.get_state(), random.getstate()))

    @contextmanager
    def of(self, replica: int, host: bool = False) -> Iterator[None]:
        """Replica `replica`'s stream as torch's global CPU generator, for the block; with
        `host`, numpy's and python's generators too (for its checkpoints)."""
        outer = torch.get_rng_state()
        outer_host = (np.random.get_state(), random.getstate()) if host else None
        torch.set_rng_state(self.states[replica])
        if host:
            numpy_state, python_state = self.host_states[replica]
            np.random.set_state(numpy_state)
            random.setstate(python_state)
        try:
            yield
        finally:
            self.states[replica] = torch.get_rng_state()
            torch.set_rng_state(outer)
            if outer_host is not None:
                np.random.set_state(outer_host[0])
                random.setstate(outer_host[1])
