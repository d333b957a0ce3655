"""16-job sweeps (4 seeds x 4 learning rates) as one multirun with Hydra's basic launcher and
with `hydra/launcher=stacked`, side by side: wall time end to end (start-up and every output
file included), per-job cost, peak memory, and how far the stacked jobs' test metrics are
from the basic launcher's (they should agree: a stacked job is its solo run)."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rnnlab.report import package_versions
from rnnlab.sweep.results import read_sweep
from rnnlab_benchmarks.speed.document import cpu_name, table
from rnnlab_benchmarks.speed.processes import run_timed

SEEDS, RATES = "seed=0,1,2,3", "optimizer.lr=0.0003,0.001,0.003,0.01"
QUIET = ["trainer.enable_progress_bar=false"]
# what each sweep trains: rnnlab's defaults on two data sets, and the seeds' classifier's
# sizes (LSTM 128 x 2 layers, sequences of 50, batch 64) on the temporal-order task
SWEEPS: dict[str, list[str]] = {
    "sine, defaults (LSTM 64, window 4, batch 32, 20 epochs)": ["data=sine"],
    "passengers, defaults": ["data=passengers"],
    "seeds' classifier sizes, 1 epoch": [
        "data=synthetic",
        "data.length=50",
        "data.batch_size=64",
        "model.hidden_size=128",
        "model.num_layers=2",
        "trainer.max_epochs=1",
    ],  # fmt: skip
}
FAST_SWEEPS = {"sine, 2 seeds, 1 epoch": ["data=sine", "trainer.max_epochs=1"]}
LAUNCHERS = {"basic": [], "stacked": ["hydra/launcher=stacked"]}
GOAL = 3.0  # the CPU goal: >= 3x one multirun at the default sizes


def test_metrics(folder: Path) -> dict[str, dict[str, float]]:
    """{job number: its test/ metrics} of the sweep's finished jobs."""
    return {str(job.number): {k: v for k, v in job.metrics.items() if k.startswith("test/")}
            for job in read_sweep(folder) if job.finished}  # fmt: skip


def largest_difference(a: dict[str, dict[str, float]], b: dict[str, dict[str, float]]) -> float:
    """The largest relative difference between two sweeps' test metrics (inf: jobs differ)."""
    if a.keys() != b.keys() or not a:
        return float("inf")
    return max(abs(a[job][name] - value) / max(abs(value), 1e-12)
               for job in b for name, value in b[job].items())  # fmt: skip


def stacked_times(
    fast: bool, folder: Path, say: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Each sweep under each launcher: seconds, peak RSS, jobs, and the metrics' agreement."""
    sweeps, seeds = (FAST_SWEEPS, "seed=0,1") if fast else (SWEEPS, SEEDS)
    results: dict[str, dict[str, Any]] = {}
    for index, (name, overrides) in enumerate(sweeps.items()):
        row: dict[str, Any] = {}
        for launcher, choice in LAUNCHERS.items():
            out = folder / f"{index}-{launcher}"
            say(f"stacked: {name}, {launcher} launcher")
            command = [sys.executable, "train.py", "-m", *overrides, seeds, RATES, *QUIET,
                       *choice, f"hydra.sweep.dir={out}"]  # fmt: skip
            finished = run_timed(command, out.with_suffix(".log"))
            if finished.returncode != 0:
                raise RuntimeError(f"{name} ({launcher}) failed; see {out.with_suffix('.log')}")
            row[launcher] = {"seconds": round(finished.seconds, 2),
                             "peak_rss_mb": round(finished.peak_rss_mb),
                             "jobs": len(test_metrics(out))}  # fmt: skip
        basic, stacked = (test_metrics(folder / f"{index}-{k}") for k in LAUNCHERS)
        row["largest_test_metric_difference"] = largest_difference(stacked, basic)
        results[name] = row
    return results


def stacked_block(results: dict[str, dict[str, Any]], command: str) -> str:
    versions = package_versions()
    rows, goal_rows = [], []
    for name, row in results.items():
        basic, stacked = row["basic"], row["stacked"]
        speedup = basic["seconds"] / stacked["seconds"]
        rows.append((name, basic["jobs"], f"{basic['seconds']:.1f}", f"{stacked['seconds']:.1f}",
                     f"{basic['seconds'] / basic['jobs']:.2f}",
                     f"{stacked['seconds'] / stacked['jobs']:.2f}", f"{speedup:.2f}x",
                     basic["peak_rss_mb"], stacked["peak_rss_mb"],
                     f"{row['largest_test_metric_difference']:.1e}"))  # fmt: skip
        if "defaults" in name:
            verdict = "**met**" if speedup >= GOAL else f"**NOT met** ({speedup / GOAL:.0%} of it)"
            goal_rows.append((f"{name}: stacked >= {GOAL:g}x one multirun", f"{speedup:.2f}x",
                              verdict))  # fmt: skip
    goal_rows.append(("GPU: >= 8x for 16 jobs of the seeds' classifier, >= 25x for 64",
                      "no GPU lent; stacking is CPU-only so far (a GPU job trains alone)",
                      "**not measured**"))  # fmt: skip
    lines = [
        f"## Stacked sweeps, CPU: {cpu_name()}",
        "",
        f"`{command}`, one run on {datetime.date.today().isoformat()}; python "
        f"{versions['python']}, torch {versions.get('torch')}, lightning "
        f"{versions.get('lightning')}. Each sweep is 4 seeds x 4 learning rates, one "
        "`python train.py -m` per launcher, timed from the command to its exit (start-up, "
        "training, evaluation, every output file, the summary).",
        "",
        "### Goals",
        "",
        *table(("goal", "measured", "verdict"), goal_rows),
        "",
        "### 16-job sweeps, basic launcher against stacked",
        "",
        *table(
            (
                "sweep",
                "jobs",
                "basic s",
                "stacked s",
                "basic s/job",
                "stacked s/job",
                "speed-up",
                "basic peak MB",
                "stacked peak MB",
                "largest test-metric difference",
            ),
            rows,
        ),  # fmt: skip
    ]
    return "\n".join(lines) + "\n"
