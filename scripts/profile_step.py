"""Where the time of a training step goes on rnnlab's own path: cProfile over a fit of the
seeds' classifier through `rnnlab.run.train` (scripts/benchmark.py's rnnlab row): the functions
that took most time with what they call, then most time of their own, with call counts (a
count near the number of steps marks per-step work).

Usage: python scripts/profile_step.py [--device cpu|cuda] [--epochs 10] [--top 30]
                                      [--validate] [override ...]
e.g. `python scripts/profile_step.py --device cuda training.cuda_graph=false`
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import tempfile
from pathlib import Path

from rnnlab_benchmarks.speed.rnnlab_path import rnnlab_step_time
from rnnlab_benchmarks.speed.seed_loop import SeedSetup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--epochs", type=int, default=10, help="timed epochs after a warm-up")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--validate", action="store_true", help="validation each epoch")
    parser.add_argument("overrides", nargs="*", help="config overrides, as for train.py")
    args = parser.parse_args()
    logging.getLogger("lightning.pytorch").setLevel(logging.WARNING)
    setup = SeedSetup()
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory() as folder:
        profile.enable()
        time = rnnlab_step_time(setup, args.epochs, args.device, Path(folder), args.validate,
                                tuple(args.overrides))  # fmt: skip
        profile.disable()
    steps = args.epochs * setup.steps_per_epoch
    print(f"{time.wall_ms:.2f} ms per step by the wall clock over {steps} timed steps "
          f"({args.device}; {' '.join(args.overrides) or 'defaults'})")  # fmt: skip
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats(order).print_stats(args.top)
        print(text.getvalue())


if __name__ == "__main__":
    main()
