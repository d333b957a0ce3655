"""`hydra/launcher=stacked` through python train.py: jobs grouped by shape with every job's
Hydra record, a SIGKILLed sweep resumed to the uninterrupted one's results, and an Optuna
batch stacked with pruning acting per replica."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow  # sweeps through python train.py
QUIET = ["plots=false", "trainer.enable_progress_bar=false", "trainer.enable_model_summary=false"]


def command_of(folder: Path, *overrides: str) -> list[str]:
    return [sys.executable, "train.py", "-m", "hydra/launcher=stacked", *QUIET, *overrides,
            f"hydra.sweep.dir={folder}"]  # fmt: skip


def started_until(command: list[str], path: Path, **popen: object) -> subprocess.Popen:
    """The sweep started, once `path` exists (or it ended, or 4 minutes passed)."""
    process = subprocess.Popen(command, cwd=ROOT, **popen)  # type: ignore[call-overload]
    deadline = time.monotonic() + 240
    while not path.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return process


def sweep(folder: Path, *overrides: str, exit_code: int = 0) -> subprocess.CompletedProcess:
    command = command_of(folder, *overrides)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == exit_code, result.stderr[-3000:]
    return result


def reports(folder: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in folder.glob("*/metrics.json")}


def test_jobs_stack_by_shape_and_each_keeps_its_hydra_record(tmp_path: Path) -> None:
    result = sweep(tmp_path, "data=sine", "model.hidden_size=16,32", "seed=0,1",
                   "trainer.max_epochs=1", "training.tbptt_steps=null,2")  # fmt: skip
    log = result.stdout + result.stderr
    assert "#0,#2 train stacked (2 replicas)" in log  # tbptt=null, hidden 16, seeds 0 and 1
    assert "#4,#6 train stacked (2 replicas)" in log
    assert "#1 trains alone: training.tbptt_steps is set" in log
    found = reports(tmp_path)
    assert sorted(found, key=int) == [str(i) for i in range(8)]
    for job in ("0", "2"):
        assert found[job]["stacked"]["group"] == [0, 2]
        assert found[job]["config"]["model"]["hidden_size"] == 16
    assert "stacked" not in found["1"]
    overrides = yaml.safe_load((tmp_path / "2" / ".hydra" / "overrides.yaml").read_text())
    assert "seed=1" in overrides and "model.hidden_size=16" in overrides
    assert "stacked as one model" in (tmp_path / "2" / "train.log").read_text()
    assert list((tmp_path / "2").glob("*/events.out.tfevents.*"))  # its own TensorBoard run
    rows = list(csv.DictReader((tmp_path / "summary.csv").open()))
    assert len(rows) == 8 and all(row["status"] == "ok" for row in rows)


def test_a_sigkilled_stacked_sweep_resumes_to_the_uninterrupted_results(tmp_path: Path) -> None:
    """Two groups (hidden 16, hidden 32); killed while the second trains, the sweep resumes:
    the first group's jobs are skipped, the second trains again from its start."""
    args = ["data=sine", "model.hidden_size=16,32", "seed=0,1", "optimizer.lr=0.003",
            "trainer.max_epochs=4"]  # fmt: skip
    sweep(tmp_path / "whole", *args)
    folder = tmp_path / "killed"
    second_group = folder / "2" / "checkpoints" / "last.ckpt"
    process = started_until(command_of(folder, *args), second_group, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert second_group.exists() and not (folder / "2" / "metrics.json").exists()
    first_done = (folder / "0" / "metrics.json").stat().st_mtime_ns
    sweep(folder, *args, "resume=true")
    assert (folder / "0" / "metrics.json").stat().st_mtime_ns == first_done  # skipped
    whole, resumed = reports(tmp_path / "whole"), reports(folder)
    assert sorted(resumed) == sorted(whole) == ["0", "1", "2", "3"]
    for job, report in whole.items():
        assert resumed[job]["metrics"] == pytest.approx(report["metrics"], rel=1e-6)
        assert resumed[job]["epochs"] == 4


def test_sigterm_stops_a_stacked_sweep_with_each_replicas_checkpoint_and_resume_finishes_it(
    tmp_path: Path,
) -> None:
    args = ["data=sine", "seed=0,1", "trainer.max_epochs=6"]
    first_epoch = tmp_path / "1" / "checkpoints" / "last.ckpt"
    process = started_until(command_of(tmp_path, *args), first_epoch, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, stderr[-2000:]
    resume = next(line for line in stderr.splitlines() if "resume with:" in line)
    assert f"hydra.sweep.dir={tmp_path}" in resume and "resume=true" in resume
    assert not list(tmp_path.glob("*/metrics.json"))
    for job in ("0", "1"):  # each replica's own checkpoint of where the group stopped
        state = torch.load(tmp_path / job / "checkpoints" / "last.ckpt", weights_only=True)
        assert state["rnnlab_config"]["seed"] == int(job)
    sweep(tmp_path, *args, "resume=true")
    assert all(report["epochs"] == 6 for report in reports(tmp_path).values())
    assert len(reports(tmp_path)) == 2


optuna = pytest.importorskip("optuna", reason="the optuna extra is not installed")


def test_an_optuna_batch_trains_stacked_and_prunes_per_replica(tmp_path: Path) -> None:
    """Batches of two trials (n_jobs=2): [good, good], [good, stuck], [exploding]. The stuck
    one is pruned at epoch 2 while its group's other replica trains on; the exploding one
    fails alone."""
    storage, epochs = f"sqlite:///{tmp_path}/optuna.db", 6
    study = optuna.create_study(study_name="passengers", storage=storage)
    fixed = {"model.hidden_size": 32, "model.num_layers": 1, "model.dropout": 0.0}
    for lr in (0.01, 0.01, 0.01, 1e-9, 1e9):
        study.enqueue_trial({**fixed, "optimizer.lr": lr})
    command = [sys.executable, "train.py", "hparams_search=passengers_optuna",
               "hydra/launcher=stacked", *QUIET, f"trainer.max_epochs={epochs}",
               f"hydra.sweeper.storage={storage}", "hydra.sweeper.n_trials=5",
               "hydra.sweeper.n_jobs=2", "hydra.sweeper.pruner.n_startup_trials=2",
               "hydra.sweeper.pruner.n_warmup_steps=2", f"hydra.sweep.dir={tmp_path}"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr[-3000:]  # the exploding trial failed
    trials = optuna.load_study(study_name="passengers", storage=storage).trials
    states = [trial.state for trial in trials]
    TrialState = optuna.trial.TrialState
    assert states == [TrialState.COMPLETE] * 3 + [TrialState.PRUNED, TrialState.FAIL]
    assert sorted(trials[2].intermediate_values) == list(range(epochs))
    assert sorted(trials[3].intermediate_values) == [0, 1, 2]
    found = reports(tmp_path)
    assert found["2"]["stacked"]["group"] == found["3"]["stacked"]["group"] == [2, 3]
    assert found["2"]["epochs"] == epochs and found["3"]["epochs"] == 3
    assert (tmp_path / "3" / "pruned.json").exists()
    assert json.loads((tmp_path / "4" / "failure.json").read_text())["error_type"] == (
        "DivergenceError")  # fmt: skip
