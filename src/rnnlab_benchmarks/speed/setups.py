"""The sizes a benchmark run uses: the seeds' own, or tiny ones (--fast) that only check
the machinery in seconds."""

from __future__ import annotations

from rnnlab_benchmarks.speed.seed_loop import SeedSetup

FAST = SeedSetup(sequences=64, length=8, features=3, classes=2, hidden=8, layers=1, batch=16)
# the size of rnnlab's defaults (model=lstm hidden 64 on data=sine: windows of 4, batch 32)
DEFAULT_SIZE = SeedSetup(
    sequences=600, length=4, features=1, classes=2, hidden=64, layers=1, batch=32
)


def setup_for(fast: bool) -> tuple[SeedSetup, int, int]:
    """-> (sizes, timed epochs per measurement, interleaved rounds)."""
    return (FAST, 2, 1) if fast else (SeedSetup(), 4, 5)
