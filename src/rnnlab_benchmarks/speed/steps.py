"""Training-step times, side by side in one process and interleaved round by round, so a
drift in the machine's load falls on every row alike: the seeds' loop (with and without a
plain validation pass) and rnnlab's path (with and without validation each epoch).

The seeds' loop runs with the thread count rnnlab picks at this size (`torch_threads=null`),
so the ratios measure rnnlab's own overhead; one more row shows it with torch's default.

Run as a child of scripts/benchmark.py:
`python -m rnnlab_benchmarks.speed.steps OUT.json [--fast] [--device cpu|cuda]`.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

import torch

from rnnlab_benchmarks.speed.clock import StepTime
from rnnlab_benchmarks.speed.processes import progress_stream
from rnnlab_benchmarks.speed.rnnlab_path import rnnlab_step_time
from rnnlab_benchmarks.speed.seed_loop import SeedSetup, seed_loop_time
from rnnlab_benchmarks.speed.setups import setup_for

SEED, SEED_VAL = "seeds' loop", "seeds' loop + plain validation each epoch"
SEED_TORCH_THREADS = "seeds' loop, torch's default threads"
RNNLAB, RNNLAB_VAL = "rnnlab, no validation", "rnnlab, validation each epoch"
RNNLAB_EAGER = "rnnlab, no validation, training.cuda_graph=false"  # on CUDA only
# each ratio: (numerator row, denominator row), taken per round, then the median
RATIOS = {
    "rnnlab / seeds' loop, same steps, no validation": (RNNLAB, SEED),
    "rnnlab with validation / seeds' loop without": (RNNLAB_VAL, SEED),
    "rnnlab with validation / seeds' loop with plain validation": (RNNLAB_VAL, SEED_VAL),
}
CUDA_RATIOS = {"rnnlab with the CUDA graph off / seeds' loop": (RNNLAB_EAGER, SEED)}


def ratios_for(device: str) -> dict[str, tuple[str, str]]:
    return RATIOS | (CUDA_RATIOS if device == "cuda" else {})


def measurements(
    setup: SeedSetup, epochs: int, device: str, folder: Path
) -> dict[str, Callable[[int], StepTime]]:
    """Row name -> a function of the round number that returns its time per training step."""
    torch_device = torch.device(device)
    torch_default, rnnlab_default = torch.get_num_threads(), setup.threads_null_picks()

    def seed_loop(threads: int | None, validate: bool = False) -> StepTime:
        torch.set_num_threads(threads or torch_default)
        return seed_loop_time(setup, epochs, torch_device, validate)

    rows = {
        SEED: lambda _: seed_loop(rnnlab_default),
        SEED_VAL: lambda _: seed_loop(rnnlab_default, validate=True),
        f"{SEED_TORCH_THREADS} ({torch_default})": lambda _: seed_loop(torch_default),
        RNNLAB: lambda r: rnnlab_step_time(
            setup, epochs, device, folder / f"noval{r}", validate=False
        ),
        RNNLAB_VAL: lambda r: rnnlab_step_time(
            setup, epochs, device, folder / f"val{r}", validate=True
        ),
    }
    if device == "cuda":  # what the graph of the whole step buys
        rows[RNNLAB_EAGER] = lambda r: rnnlab_step_time(
            setup, epochs, device, folder / f"eager{r}", False, ("training.cuda_graph=false",)
        )
    return rows


def median_ratio(times: dict[str, list[float]], top: str, bottom: str) -> float:
    return statistics.median(a / b for a, b in zip(times[top], times[bottom], strict=True))


def step_times(setup: SeedSetup, epochs: int, rounds: int, device: str) -> dict[str, object]:
    """Median ms per step of each row, and the median of the per-round ratios, by the wall
    clock and by the process's CPU time."""
    progress = progress_stream()
    ratios = ratios_for(device)
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        rows = measurements(setup, epochs, device, Path(folder))
        rnnlab_step_time(setup, 1, device, Path(folder) / "warm-up", validate=True)  # first fit
        for round_ in range(rounds):
            for name, measure in rows.items():
                time = measure(round_)
                wall.setdefault(name, []).append(time.wall_ms)
                cpu.setdefault(name, []).append(time.cpu_ms)
                print(f"  steps: round {round_ + 1}/{rounds}, {name}: {time.wall_ms:.2f} ms/step "
                      f"(CPU {time.cpu_ms:.2f})", file=progress)  # fmt: skip
    return {
        "ms_per_step": {name: statistics.median(values) for name, values in wall.items()},
        "cpu_ms_per_step": {name: statistics.median(values) for name, values in cpu.items()},
        "ratios": {label: median_ratio(wall, *rows) for label, rows in ratios.items()},
        "cpu_ratios": {label: median_ratio(cpu, *rows) for label, rows in ratios.items()},
        "steps_per_measurement": epochs * setup.steps_per_epoch,
        "rounds": rounds,
        "torch_threads": setup.threads_null_picks(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--rounds", type=int, default=0, help="0: the size's default")
    args = parser.parse_args()
    logging.getLogger("lightning.pytorch").setLevel(logging.WARNING)
    setup, epochs, rounds = setup_for(args.fast)
    rounds = args.rounds or rounds
    result = step_times(setup, epochs, rounds, args.device)
    if args.device == "cuda":
        result["gpu_peak_mb"] = torch.cuda.max_memory_allocated() / 2**20
        result["gpu_name"] = torch.cuda.get_device_name()
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
