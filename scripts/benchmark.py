"""rnnlab against the seeds' plain loop, side by side in one run; writes docs/PERFORMANCE.md.

Measures (each in its own child process, so start-up, threads and memory are its own):
  threads   the seeds' loop at 1 thread and at one per core, alone and beside a busy process
  steps     ms per training step: the seeds' loop (DataLoader, .to(device)) and rnnlab's own
            path (rnnlab.run.train as `python train.py` runs it), without and with validation
  startup   `python train.py trainer=debug` against importing what it needs (medians)
  sweeps    a 16-job sweep as 16 processes, as one multirun, and with joblib
  memory    each child's peak RSS; GPU memory with --device cuda
  --stacked instead of the above: 16-job sweeps (4 seeds x 4 learning rates) on sine,
            passengers and at the seeds' classifier's sizes, each as one multirun with the
            basic launcher and with hydra/launcher=stacked (src/rnnlab_benchmarks/speed/stacked.py)
Usage: python scripts/benchmark.py [--device cpu|cuda] [--fast] [--out docs/PERFORMANCE.md]
                                   [--logs DIR] [--rounds N] [--startup-runs N] [--process-jobs N]
                                   [--stacked]
--fast: tiny sizes and 2-job sweeps, for CI (a minute; not figures to quote). Each device
writes its own block of --out, so CPU and GPU figures stand side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rnnlab.report import with_block, write_text_atomically
from rnnlab_benchmarks.speed.document import performance_block
from rnnlab_benchmarks.speed.processes import run_timed
from rnnlab_benchmarks.speed.stacked import stacked_block, stacked_times
from rnnlab_benchmarks.speed.startup import startup_times
from rnnlab_benchmarks.speed.sweeps import sweep_times

ROOT = Path(__file__).resolve().parents[1]
HEADER = """# Performance

Written by `python scripts/benchmark.py` (CPU) and `python scripts/benchmark.py --device cuda`
(GPU), each into its own block below; what each row measures is in that script's docstring
and in src/rnnlab_benchmarks/speed/. Compare ratios, not absolute times, across machines.
"""


def say(message: str) -> None:
    print(f"[benchmark {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child(module: str, out: Path, options: list[str]) -> tuple[dict, float]:
    """Run `python -m rnnlab_benchmarks.speed.<module> out.json ...`; -> (its JSON, its peak
    RSS in MB)."""
    command = [sys.executable, "-m", f"rnnlab_benchmarks.speed.{module}", str(out), *options]
    finished = run_timed(command, out.with_suffix(".log"))
    if finished.returncode != 0:
        raise SystemExit(f"benchmark: {module} failed; see {out.with_suffix('.log')}")
    return json.loads(out.read_text()), finished.peak_rss_mb


def measure(args: argparse.Namespace, logs: Path) -> dict:
    result: dict = {"cores": os.cpu_count(), "memory_mb": {}}
    memory, fast = result["memory_mb"], ["--fast"] * args.fast
    if args.device == "cpu":
        say("threads: the seeds' loop at 1 and all threads, alone and beside a busy process")
        threads, memory["seeds' loop (threads measurement)"] = child(
            "threads", logs / "threads.json", fast
        )
        result["threads"], result["thread_rule"] = threads["threads"], threads["thread_rule"]
    say("steps: the seeds' loop and rnnlab's path, rounds interleaved")
    options = [*fast, "--device", args.device, "--rounds", str(args.rounds)]
    result["steps"], memory["steps (seeds' loop + rnnlab.run.train)"] = child(
        "steps", logs / "steps.json", options
    )
    say("startup: python train.py trainer=debug against the bare imports")
    runs = args.startup_runs or (1 if args.fast else 5)
    result["startup"] = startup_times(args.device, runs, logs / "startup")
    memory["python train.py trainer=debug"] = result["startup"]["train_py_debug_rss_mb"]
    memory["bare imports"] = result["startup"]["bare_imports_rss_mb"]
    result["sweeps"] = sweep_times(args.fast, args.device, logs / "sweeps", say, args.process_jobs)
    return result


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--fast", action="store_true", help="tiny sizes: checks the machinery")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--logs", type=Path, help="default: outputs/benchmark/<date_time>")
    parser.add_argument("--rounds", type=int, default=0, help="step rounds; 0: 5 (--fast: 1)")
    parser.add_argument("--startup-runs", type=int, default=0, help="0: 5 (--fast: 1)")
    parser.add_argument(
        "--process-jobs", type=int, default=0, help="time only this many of the sweep's "
        "separate processes and scale up (0: all)"
    )  # fmt: skip
    parser.add_argument("--stacked", action="store_true", help="only the stacked-sweep rows")
    args = parser.parse_args()
    args.logs = args.logs or ROOT / "outputs" / "benchmark" / time.strftime("%Y-%m-%d_%H-%M-%S")
    return args


def command_line(args: argparse.Namespace) -> str:
    """The options that change what is measured, for the document."""
    words = ["python scripts/benchmark.py", "--fast" * args.fast, f"--device {args.device}",
             "--stacked" * args.stacked]  # fmt: skip
    words += [f"--{name.replace('_', '-')} {value}" for name, value in vars(args).items()
              if name in ("rounds", "startup_runs", "process_jobs") and value]  # fmt: skip
    return " ".join(word for word in words if word)


def main() -> None:
    args = arguments()
    if args.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise SystemExit("benchmark: --device cuda, but torch sees no CUDA device")
    started = time.perf_counter()
    if args.stacked:
        if args.device != "cpu":
            raise SystemExit("benchmark: --stacked measures the CPU only (stacking is CPU-only)")
        result = stacked_times(args.fast, args.logs / "stacked", say)
        block, name = stacked_block(result, command_line(args)), "stacked-cpu"
    else:
        result = measure(args, args.logs)
        block = performance_block(result, args.device, args.fast, command_line(args))
        name = f"benchmark-{args.device}"
    text = args.out.read_text() if args.out.exists() else HEADER
    write_text_atomically(args.out, with_block(text, name, block))
    (args.logs / "result.json").write_text(json.dumps(result, indent=2))
    say(f"wrote {args.out} ({time.perf_counter() - started:.0f} s; logs in {args.logs})")
    print(block)


if __name__ == "__main__":
    main()
