"""How many torch threads suit a small recurrent model on this machine: the seeds' loop, at
the seeds' size and at rnnlab's default size, with 1 thread and with one per core, alone and
beside a busy process (what a second job or someone's test run is).

Run as a child of scripts/benchmark.py:
`python -m rnnlab_benchmarks.speed.threads OUT.json [--fast]`.
Its peak RSS is the seeds' loop's own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch

from rnnlab_benchmarks.speed.processes import progress_stream
from rnnlab_benchmarks.speed.seed_loop import SeedSetup, seed_loop_time
from rnnlab_benchmarks.speed.setups import DEFAULT_SIZE, setup_for


@contextmanager
def busy_neighbour() -> Iterator[None]:
    """A process spinning on one core for as long as the block runs."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


def thread_times(sizes: dict[str, SeedSetup], epochs: int, rounds: int) -> dict[str, float]:
    """Median ms per step of the seeds' loop, keyed 'seeds' size, alone, 1 thread', ..."""
    cores = os.cpu_count() or 1
    counts = sorted({1, cores})
    times: dict[str, list[float]] = {}
    progress = progress_stream()
    for neighbour in ("alone", "beside a busy process"):
        for round_ in range(rounds):
            with busy_neighbour() if neighbour != "alone" else _nothing():
                for size, setup in sizes.items():
                    for count in counts:
                        torch.set_num_threads(count)
                        ms = seed_loop_time(setup, epochs, torch.device("cpu")).wall_ms
                        key = f"{size}, {neighbour}, {count} thread{'s' * (count > 1)}"
                        times.setdefault(key, []).append(ms)
                        print(
                            f"  threads: {key}, round {round_ + 1}: {ms:.2f} ms/step", file=progress
                        )
    return {key: statistics.median(values) for key, values in times.items()}


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def main() -> None:
    out, fast = Path(sys.argv[1]), "--fast" in sys.argv
    setup, epochs, rounds = setup_for(fast)
    sizes = {"seeds' size": setup, "rnnlab's default size": DEFAULT_SIZE}
    result = {
        "threads": thread_times(sizes, max(1, epochs // 2), max(1, rounds - 2)),
        "thread_rule": {size: setup.threads_null_picks() for size, setup in sizes.items()},
    }
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
