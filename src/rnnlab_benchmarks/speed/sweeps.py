"""A 16-job sweep three ways: 16 processes one after another (what a shell loop does), one
multirun (Hydra's basic launcher: start-up paid once), and with joblib (jobs side by side)."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable
from pathlib import Path

from rnnlab_benchmarks.speed.processes import run_timed

# 2 x 2 x 4 = 16 jobs on passengers; --fast: 2 jobs
AXES = {
    "model": ["lstm", "gru"],
    "model.num_layers": ["1", "2"],
    "model.hidden_size": ["16", "32", "48", "64"],
}
FAST_AXES = {"model.hidden_size": ["16", "32"]}


def job_settings(fast: bool, device: str) -> list[str]:
    """What every job shares: the data, a short fit, and the device."""
    trainer = "trainer=gpu" if device == "cuda" else "trainer=cpu"
    return ["data=passengers", f"trainer.max_epochs={1 if fast else 2}", trainer]


def parallel_jobs(device: str) -> int:
    """Jobs side by side: one per core on a CPU; four sharing one GPU."""
    return 4 if device == "cuda" else os.cpu_count() or 1


def one_process_per_job(
    axes: dict[str, list[str]], shared: list[str], folder: Path, log: Path, limit: int
) -> float:
    """Seconds for every job as its own `python train.py` process, one after another; with
    `limit` below the number of jobs, the first `limit` jobs scaled up to all of them."""
    jobs = list(itertools.product(*axes.values()))
    seconds = 0.0
    for index, values in enumerate(jobs[:limit]):
        pairs = [f"{key}={value}" for key, value in zip(axes, values, strict=True)]
        run_dir = f"hydra.run.dir={folder / str(index)}"
        finished = run_timed([sys.executable, "train.py", *shared, *pairs, run_dir],
                             log.with_suffix(f".{index}.log"))  # fmt: skip
        if finished.returncode != 0:
            raise RuntimeError(f"job {index} failed; see {log.with_suffix(f'.{index}.log')}")
        seconds += finished.seconds
    return seconds * len(jobs) / min(limit, len(jobs))


def multirun(
    axes: dict[str, list[str]], shared: list[str], folder: Path, log: Path, launcher: list[str]
) -> float:
    """Seconds for the whole sweep as one `python train.py -m` (one summary at its end)."""
    sweeps = [f"{key}={','.join(values)}" for key, values in axes.items()]
    command = [
        sys.executable,
        "train.py",
        "-m",
        *shared,
        *sweeps,
        *launcher,
        f"hydra.sweep.dir={folder}",
    ]
    finished = run_timed(command, log)
    if finished.returncode != 0:
        raise RuntimeError(f"the multirun failed; see {log}")
    return finished.seconds


def sweep_times(
    fast: bool, device: str, folder: Path, say: Callable[[str], None], process_jobs: int = 0
) -> dict[str, float]:
    """Seconds of each way, keyed by what was run; `process_jobs` > 0 times only that many
    of the separate processes and scales up (a GPU machine's minutes are few)."""
    axes, shared = (FAST_AXES if fast else AXES), job_settings(fast, device)
    jobs, n = len(list(itertools.product(*axes.values()))), parallel_jobs(device)
    timed = min(process_jobs or jobs, jobs)
    joblib = ["hydra/launcher=joblib", f"hydra.launcher.n_jobs={n}"]
    times: dict[str, float] = {"jobs": jobs, "joblib_jobs_at_once": n, "processes_timed": timed}
    say(f"sweep: {jobs} jobs as {jobs} processes" + f" ({timed} timed)" * (timed < jobs))
    times["processes"] = one_process_per_job(
        axes, shared, folder / "processes", folder / "processes.log", timed
    )
    say(f"sweep: {jobs} jobs as one multirun (basic launcher)")
    times["multirun"] = multirun(axes, shared, folder / "multirun", folder / "multirun.log", [])
    say(f"sweep: {jobs} jobs as one multirun, joblib {n} at once")
    times["joblib"] = multirun(axes, shared, folder / "joblib", folder / "joblib.log", joblib)
    return times
