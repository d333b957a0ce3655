"""Optuna searches through hydra-optuna-sweeper, alone and as workers sharing one study."""

import csv
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow  # Optuna searches through python train.py

optuna = pytest.importorskip("optuna", reason="the optuna extra is not installed")

SEARCH = ["hparams_search=passengers_optuna", "trainer.max_epochs=1",
          "trainer.enable_progress_bar=false", "trainer.enable_model_summary=false"]  # fmt: skip


def search_command(sweep_dir, *overrides: str) -> list[str]:
    return [sys.executable, "train.py", *SEARCH, *overrides, f"hydra.sweep.dir={sweep_dir}"]


def test_a_short_search_minimises_the_validation_metric_the_jobs_return(tmp_path):
    command = search_command(tmp_path, "hydra.sweeper.n_trials=3", "trainer.max_epochs=2")
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader((tmp_path / "summary.csv").open()))
    assert len(rows) == 3 and {"optimizer.lr", "model.hidden_size"} <= set(rows[0])
    mapes = [float(row["val/mape"]) for row in rows]
    assert mapes == sorted(mapes)  # the summary ranks by the searched metric
    best = yaml.safe_load((tmp_path / "optimization_results.yaml").read_text())
    assert best["best_value"] == pytest.approx(mapes[0], rel=1e-6)


def two_workers_share_one_study(tmp_path, storage: str) -> None:
    """Start two sweep processes at once on one study; both must add their trials to it.

    The study is created first with optuna's own CLI, as Optuna documents for distributed
    searches: two processes that both find an empty database race to create its tables.
    """
    study = f"shared-{uuid.uuid4().hex[:8]}"
    optuna_cli = str(Path(sys.executable).with_name("optuna"))
    create = [optuna_cli, "create-study", "--storage", storage, "--study-name", study,
              "--direction", "minimize"]  # fmt: skip
    subprocess.run(create, check=True, capture_output=True, timeout=120)
    workers = [
        subprocess.Popen(
            search_command(
                tmp_path / f"worker{k}",
                "hydra.sweeper.n_trials=2",
                f"hydra.sweeper.storage={storage}",
                f"hydra.sweeper.study_name={study}",
            ),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for k in range(2)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=400)
        assert worker.returncode == 0, errors[-2000:]
    trials = optuna.load_study(study_name=study, storage=storage).trials
    assert len(trials) == 4 and sorted(t.number for t in trials) == [0, 1, 2, 3]
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    assert {t.params["model.hidden_size"] for t in trials} <= {16, 32, 64, 128}
    optuna.delete_study(study_name=study, storage=storage)


def test_two_workers_share_a_study_in_sqlite(tmp_path):
    two_workers_share_one_study(tmp_path, f"sqlite:///{tmp_path}/optuna.db")


def test_two_workers_share_a_study_in_postgresql(tmp_path):
    url = os.environ.get("RNNLAB_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide RNNLAB_TEST_POSTGRES_URL (.ci/postgres.sh starts one)")
        pytest.skip("set RNNLAB_TEST_POSTGRES_URL (bash .ci/postgres.sh prints one)")
    two_workers_share_one_study(tmp_path, url)
