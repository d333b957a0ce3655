"""Start-up: `python train.py trainer=debug` (one batch of fit, validation and test) against
a process that only imports what it needs, each the median of a few runs."""

from __future__ import annotations

import sys
from pathlib import Path

from rnnlab_benchmarks.speed.processes import median_run

BARE_IMPORTS = "import torch, lightning, hydra, rnnlab.run"


def debug_run(device: str, folder: Path) -> list[str]:
    accelerator = "gpu" if device == "cuda" else "cpu"
    return [
        sys.executable,
        "train.py",
        "trainer=debug",
        f"trainer.accelerator={accelerator}",
        f"hydra.run.dir={folder}",
    ]


def startup_times(device: str, repeats: int, folder: Path) -> dict[str, float]:
    """Median seconds of the debug run and of the bare imports, their difference, and the
    debug run's peak RSS."""
    imports, imports_rss = median_run(
        [sys.executable, "-c", BARE_IMPORTS], folder / "imports", repeats
    )
    run, run_rss = median_run(debug_run(device, folder / "run"), folder / "debug", repeats)
    return {
        "train_py_debug_s": run,
        "bare_imports_s": imports,
        "overhead_s": run - imports,
        "train_py_debug_rss_mb": run_rss,
        "bare_imports_rss_mb": imports_rss,
    }
