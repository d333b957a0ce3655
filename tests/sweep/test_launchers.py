"""Hydra's own launchers: joblib (parallel on one machine), submitit (local, and SLURM config)."""

import csv
import json
import os
import subprocess
import sys

import pytest
from hydra import compose, initialize_config_dir

from conftest import CONF_DIR, ROOT

pytestmark = pytest.mark.slow  # launchers start real processes

JOBS = ["model=rnn,gru", "data=sine", "trainer.max_epochs=1",
        "trainer.enable_progress_bar=false", "trainer.enable_model_summary=false"]  # fmt: skip


def sweep(tmp_path, *launcher: str) -> list[dict]:
    command = [sys.executable, "train.py", "-m", *launcher, *JOBS, f"hydra.sweep.dir={tmp_path}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader((tmp_path / "summary.csv").open()))
    assert sorted(row["model"] for row in rows) == ["gru", "rnn"]
    assert all(row["status"] == "ok" for row in rows)
    return [json.loads((tmp_path / row["folder"] / "metrics.json").read_text()) for row in rows]


def test_joblib_runs_jobs_side_by_side_with_the_cores_shared_out(tmp_path, run_training):
    reports = sweep(tmp_path, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2")
    expected_threads = max(1, (os.cpu_count() or 1) // 2)
    assert [report["torch_threads"] for report in reports] == [expected_threads] * 2
    # a job's numbers do not depend on the launcher that ran it
    alone = run_training("model=gru", "data=sine", "trainer.max_epochs=1")["metrics"]
    (gru,) = [r for r in reports if r["num_parameters"] == 12929]
    assert gru["metrics"]["test/mse"] == pytest.approx(alone["test/mse"], rel=1e-4)


def test_submitit_local_runs_each_job_as_its_own_process(tmp_path):
    sweep(tmp_path, "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10")
    assert list((tmp_path / ".submitit").iterdir())  # submitit's own job records


def test_slurm_launcher_composes_with_the_documented_settings():
    overrides = ["hydra/launcher=slurm_gpu", "hydra.launcher.partition=gpu",
                 "hydra.launcher.gpus_per_node=4", "hydra.launcher.tasks_per_node=4",
                 "trainer=ddp", "trainer.devices=4"]  # fmt: skip
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = compose("train", overrides=overrides, return_hydra_config=True)
    launcher = cfg.hydra.launcher
    assert launcher._target_.endswith("SlurmLauncher")
    assert (launcher.partition, launcher.gpus_per_node, launcher.tasks_per_node) == ("gpu", 4, 4)
    assert launcher.timeout_min == 60 and cfg.trainer.strategy == "ddp"
