"""Child processes timed from outside: wall seconds and the child's own peak RSS.

Each measurement runs in its own process so its start-up, threads and memory are its own;
os.wait4 reports the resources of exactly that child, not of every child so far.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Finished:
    seconds: float
    peak_rss_mb: float
    returncode: int


PROGRESS_FD = "RNNLAB_PROGRESS_FD"


def run_timed(command: list[str], log: Path) -> Finished:
    """Run `command` from the project root with its output into `log`; the parent's stderr
    is passed along for progress lines (see progress_stream)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    progress = os.dup(sys.stderr.fileno())
    started = time.perf_counter()
    try:
        with log.open("w") as out:
            child = subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                pass_fds=(progress,),
                env={**os.environ, PROGRESS_FD: str(progress)},
            )
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
    finally:
        os.close(progress)
    seconds = time.perf_counter() - started
    return Finished(seconds, usage.ru_maxrss / 1024, child.returncode)  # ru_maxrss: KiB


def progress_stream() -> TextIO:
    """Where a child writes progress for the person watching: the parent's stderr (passed by
    run_timed, as the child's own output goes to a log), else this process's stderr."""
    fd = os.environ.get(PROGRESS_FD)
    if fd is None:
        return sys.stderr
    return os.fdopen(int(fd), "w", buffering=1)


def median_run(command: list[str], log: Path, repeats: int) -> tuple[float, float]:
    """-> (median seconds, largest peak RSS in MB) of `repeats` runs; a failure stops."""
    runs = []
    for index in range(repeats):
        finished = run_timed(command, log.with_suffix(f".{index}.log"))
        if finished.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed; see {log.with_suffix(f'.{index}.log')}"
            )
        runs.append(finished)
    return statistics.median(r.seconds for r in runs), max(r.peak_rss_mb for r in runs)
