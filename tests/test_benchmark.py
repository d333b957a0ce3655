"""scripts/benchmark.py writes docs/PERFORMANCE.md's numbers and verdicts; scripts/gpu_check.sh
skips cleanly where there is no CUDA."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from rnnlab_benchmarks.speed.document import fastest_threads, performance_block, thread_choice
from rnnlab_benchmarks.speed.stacked import largest_difference, stacked_block
from rnnlab_benchmarks.speed.steps import RATIOS, RNNLAB, RNNLAB_VAL, SEED, SEED_VAL

NUMBER = r"\d+\.\d+"


def fake_result(step_ratio: float = 0.9) -> dict:
    """A result as scripts/benchmark.py assembles it, with round numbers."""
    ms = {SEED: 20.0, SEED_VAL: 21.0, RNNLAB: 20.0 * step_ratio, RNNLAB_VAL: 21.5}
    threads = {
        "seeds' size, alone, 1 thread": 30.0, "seeds' size, alone, 2 threads": 20.0,
        "seeds' size, beside a busy process, 1 thread": 31.0,
        "seeds' size, beside a busy process, 2 threads": 200.0,
        "rnnlab's default size, alone, 1 thread": 1.0,
        "rnnlab's default size, alone, 2 threads": 1.5,
        "rnnlab's default size, beside a busy process, 1 thread": 1.0,
        "rnnlab's default size, beside a busy process, 2 threads": 9.0,
    }  # fmt: skip
    return {
        "cores": 2,
        "memory_mb": {"bare imports": 400.0},
        "threads": threads,
        "thread_rule": {"seeds' size": 2, "rnnlab's default size": 1},
        "steps": {
            "ms_per_step": ms,
            "cpu_ms_per_step": ms,
            "ratios": dict.fromkeys(RATIOS, step_ratio),
            "cpu_ratios": dict.fromkeys(RATIOS, step_ratio),
            "steps_per_measurement": 60,
            "rounds": 5,
            "torch_threads": 1,
        },
        "startup": {"train_py_debug_s": 4.0, "bare_imports_s": 3.5, "overhead_s": 0.5},
        "sweeps": {
            "jobs": 16,
            "joblib_jobs_at_once": 2,
            "processes_timed": 16,
            "processes": 80.0,
            "multirun": 20.0,
            "joblib": 15.0,
        },  # fmt: skip
    }


def test_goals_are_judged_from_the_numbers():
    met = performance_block(fake_result(0.9), "cpu", False, "python scripts/benchmark.py")
    assert "| rnnlab's path <= 1.0x the seeds' loop per training step | 0.90x | **met** |" in met
    assert "start-up <= bare imports + 1.0 s | +0.50 s | **met**" in met
    missed = performance_block(fake_result(1.2), "cpu", False, "python scripts/benchmark.py")
    assert "| 1.20x | **NOT met** |" in missed
    assert "needs `--device cuda` on a GPU | **not measured here** |" in met


def test_threads_verdict_follows_the_measurement():
    threads = fake_result()["threads"]
    assert fastest_threads(threads)["seeds' size, alone"] == 2
    assert thread_choice(threads, {"seeds' size": 2, "rnnlab's default size": 1})[1]
    assert not thread_choice(threads, {"seeds' size": 1, "rnnlab's default size": 1})[1]
    assert not thread_choice(threads, {})[1]


@pytest.mark.slow
def test_fast_benchmark_writes_every_row_number_ratio_and_goal(tmp_path):
    out = tmp_path / "PERFORMANCE.md"
    command = [sys.executable, "scripts/benchmark.py", "--fast", "--out", str(out),
               "--logs", str(tmp_path / "logs")]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[benchmark" in result.stderr and "steps: round 1/1" in result.stderr  # progress
    text = out.read_text()
    assert text.startswith("# Performance") and "<!-- begin benchmark-cpu -->" in text
    for row in (SEED, SEED_VAL, RNNLAB, RNNLAB_VAL):
        assert re.search(rf"\| {re.escape(row)} \| {NUMBER} \| {NUMBER}x \|", text), row
    for label in RATIOS:
        assert re.search(rf"\| {re.escape(label)} \| {NUMBER}x \| {NUMBER}x \|", text), label
    assert re.search(rf"\| `python train.py trainer=debug` \| {NUMBER} \|", text)
    assert re.search(rf"\| one multirun, joblib \d+ at once \| {NUMBER} \| {NUMBER}x \|", text)
    assert re.search(r"\| python train.py trainer=debug \| \d+ \|", text)  # peak RSS
    goals = [line for line in text.splitlines() if re.search(r"\*\*(met|NOT met)\*\*", line)]
    assert len(goals) == 4, goals  # two step ratios, start-up, threads
    assert "torch 2." in text and "lightning 2." in text and "python 3." in text


def test_gpu_check_skips_cleanly_without_cuda(tmp_path):
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    result = subprocess.run(["bash", "scripts/gpu_check.sh", str(tmp_path / "out")], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "CUDA is missing" in result.stdout
    assert "CUDA is missing" in (tmp_path / "out" / "summary.txt").read_text()


@pytest.mark.slow
def test_profile_step_lists_the_per_step_work_of_rnnlabs_path():
    """Its point is the call counts: the task's training_step runs once per timed step."""
    command = [sys.executable, "scripts/profile_step.py", "--epochs", "1", "--top", "60",
               "torch_threads=1", "trainer.enable_progress_bar=false"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    first = re.search(
        rf"({NUMBER}) ms per step by the wall clock over 15 timed steps", result.stdout
    )
    assert first and float(first.group(1)) > 0
    assert "torch_threads=1 trainer.enable_progress_bar=false" in result.stdout
    calls = re.search(r"^\s+(\d+)\s.*base\.py:\d+\(training_step\)", result.stdout, re.M)
    assert calls and int(calls.group(1)) == 30  # the warm-up epoch's 15 steps and the timed 15


def stacked_result(basic: float, stacked: float, difference: float = 0.0) -> dict:
    row = {"basic": {"seconds": basic, "peak_rss_mb": 500, "jobs": 16},
           "stacked": {"seconds": stacked, "peak_rss_mb": 600, "jobs": 16},
           "largest_test_metric_difference": difference}  # fmt: skip
    return {"sine, defaults (LSTM 64)": row, "seeds' classifier sizes": dict(row)}


def test_stacked_goal_is_judged_from_the_numbers():
    met = stacked_block(stacked_result(30.0, 9.0), "python scripts/benchmark.py --stacked")
    assert "| sine, defaults (LSTM 64): stacked >= 3x one multirun | 3.33x | **met** |" in met
    missed = stacked_block(stacked_result(30.0, 20.0), "python scripts/benchmark.py --stacked")
    assert "| 1.50x | **NOT met** (50% of it) |" in missed
    assert (
        "| seeds' classifier sizes | 16 | 30.0 | 20.0 | 1.88 | 1.25 | 1.50x | 500 | 600 |" in missed
    )
    assert "**not measured**" in missed  # no GPU rows from a CPU run


def test_jobs_that_differ_between_launchers_show_as_an_infinite_difference():
    assert largest_difference({"0": {"test/loss": 1.0}}, {"1": {"test/loss": 1.0}}) == float("inf")
    assert largest_difference({"0": {"test/loss": 1.1}}, {"0": {"test/loss": 1.0}}) == (
        pytest.approx(0.1))  # fmt: skip


@pytest.mark.slow
def test_fast_stacked_benchmark_writes_its_block_beside_the_others(tmp_path):
    out = tmp_path / "PERFORMANCE.md"
    out.write_text(
        "# Performance\n\n<!-- begin benchmark-cpu -->\nkept\n<!-- end benchmark-cpu -->\n"
    )
    command = [sys.executable, "scripts/benchmark.py", "--stacked", "--fast", "--out", str(out),
               "--logs", str(tmp_path / "logs")]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text()
    assert "kept" in text and "<!-- begin stacked-cpu -->" in text
    row = next(line for line in text.splitlines() if line.startswith("| sine, 2 seeds"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1] == "8" and float(cells[-1]) < 1e-6  # 8 jobs; stacked equal to basic
