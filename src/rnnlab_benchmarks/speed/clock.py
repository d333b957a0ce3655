"""Wall-clock and CPU time of a stretch of work, in milliseconds per training step.

The CPU time of the process does not count the moments another process holds the cores, so
on a shared machine it stays steady where the wall clock jumps; the two are reported side
by side (with one torch thread and the CPU, both measure the same work when the machine is
otherwise idle).
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class StepTime:
    wall_ms: float
    cpu_ms: float


class Stopwatch:
    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def start(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def per_step(self, steps: int) -> StepTime:
        """Milliseconds per step since start()."""
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        return StepTime(1000 * wall / steps, 1000 * cpu / steps)
