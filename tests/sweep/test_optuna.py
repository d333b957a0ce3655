"""Optuna searches through rnnlab's sweeper (hydra/sweeper=optuna) and python train.py: a
search that continues its study, workers sharing one study in SQLite and PostgreSQL, pruning
and failed trials under joblib, and a dead worker's trial retried through heartbeats."""

import csv
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow  # Optuna searches through python train.py

optuna = pytest.importorskip("optuna", reason="the optuna extra is not installed")
TrialState = optuna.trial.TrialState

SEARCH = ["hparams_search=passengers_optuna", "trainer.max_epochs=1",
          "trainer.enable_progress_bar=false", "trainer.enable_model_summary=false"]  # fmt: skip


def search_command(sweep_dir, *overrides: str) -> list[str]:
    return [sys.executable, "train.py", *SEARCH, *overrides, f"hydra.sweep.dir={sweep_dir}"]


def search(sweep_dir, *overrides: str, exit_code: int = 0) -> subprocess.CompletedProcess:
    command = search_command(sweep_dir, *overrides)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == exit_code, result.stderr[-3000:]
    return result


def trials_of(study: str, storage: str) -> list:
    return optuna.load_study(study_name=study, storage=storage).trials


def test_a_search_minimises_the_metric_and_running_it_again_continues_its_study(tmp_path):
    search(tmp_path, "hydra.sweeper.n_trials=2", "trainer.max_epochs=2")
    rows = list(csv.DictReader((tmp_path / "summary.csv").open()))
    assert len(rows) == 2 and "optimizer.lr" in rows[0]  # a column per setting that differs
    mapes = [float(row["val/mape"]) for row in rows]
    assert mapes == sorted(mapes)  # the summary ranks by the searched metric
    best = yaml.safe_load((tmp_path / "optimization_results.yaml").read_text())
    assert best["best_value"] == pytest.approx(mapes[0], rel=1e-6)
    assert best["trials"] == {"COMPLETE": 2}
    for picture in ("optuna_history.png", "optuna_epochs.png"):
        assert (tmp_path / picture).read_bytes().startswith(b"\x89PNG")

    # the same command with n_trials=3 runs one trial more in the same study (optuna.db)
    search(tmp_path, "hydra.sweeper.n_trials=3", "trainer.max_epochs=2")
    trials = trials_of("passengers", f"sqlite:///{tmp_path}/optuna.db")
    assert [t.number for t in trials] == [0, 1, 2]
    assert all(t.state == TrialState.COMPLETE for t in trials)
    assert len({str(t.params) for t in trials}) == 3  # the seeded sampler drew new settings
    assert sorted(p.name for p in tmp_path.glob("[0-9]*")) == ["0", "1", "2"]  # job = trial
    for trial in trials:  # each job reported its validation metric after every epoch
        assert sorted(trial.intermediate_values) == [0, 1]
        job = yaml.safe_load(
            (tmp_path / str(trial.number) / ".hydra" / "overrides.yaml").read_text()
        )
        assert f"model.hidden_size={trial.params['model.hidden_size']}" in job


def two_workers_share_one_study(tmp_path, storage: str) -> None:
    """Two search processes at once on one study of 4 trials: both add trials to it, and
    together they run 4, not 4 each.

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
                "hydra.sweeper.n_trials=4",
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
    trials = trials_of(study, storage)
    assert sorted(t.number for t in trials) == [0, 1, 2, 3]
    assert all(t.state == TrialState.COMPLETE for t in trials)
    assert {t.params["model.hidden_size"] for t in trials} <= {16, 32, 64, 128}
    jobs = [sorted(int(p.name) for p in (tmp_path / f"worker{k}").glob("[0-9]*")) for k in (0, 1)]
    assert sorted(jobs[0] + jobs[1]) == [0, 1, 2, 3]  # each job folder is its trial's number
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


GOOD = {"optimizer.lr": 0.01, "model.hidden_size": 32, "model.num_layers": 1, "model.dropout": 0.0}


def test_trials_that_fall_behind_are_pruned_early_and_a_failed_job_is_a_failed_trial(tmp_path):
    """Under joblib (two jobs at a time, each in its own process): two good trials finish
    all 8 epochs; two whose learning rate cannot move the weights fall behind the median and
    stop at epoch 2 (n_warmup_steps); one whose loss explodes fails. Trials are queued in the
    study beforehand, so which trial is which is known."""
    storage, epochs = f"sqlite:///{tmp_path}/optuna.db", 8
    study = optuna.create_study(study_name="passengers", storage=storage)
    for lr in (0.01, 0.01, 1e-9, 1e-9, 1e9):
        study.enqueue_trial({**GOOD, "optimizer.lr": lr})
    failed = search(tmp_path, "hydra.sweeper.n_trials=5", "hydra.sweeper.n_jobs=2",
           "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"trainer.max_epochs={epochs}",
           "hydra/sweeper/pruner=median", "hydra.sweeper.pruner.n_startup_trials=2",
           "hydra.sweeper.pruner.n_warmup_steps=2", exit_code=1)  # fmt: skip
    assert "1 of 5 jobs failed" in failed.stderr  # a failed job fails the command
    trials = trials_of("passengers", storage)
    states = [t.state for t in trials]
    assert states == [TrialState.COMPLETE] * 2 + [TrialState.PRUNED] * 2 + [TrialState.FAIL]
    for trial in trials[:2]:
        assert sorted(trial.intermediate_values) == list(range(epochs))
    for trial in trials[2:4]:  # stopped at the first epoch the pruner may act on
        assert sorted(trial.intermediate_values) == [0, 1, 2]
        assert trial.user_attrs["pruned_at_epoch"] == 2
        assert (tmp_path / str(trial.number) / "pruned.json").exists()
    assert trials[4].user_attrs["failure"].startswith("DivergenceError")
    rows = {row["job"]: row["status"] for row in csv.DictReader((tmp_path / "summary.csv").open())}
    assert rows == {"0": "ok", "1": "ok", "2": "pruned", "3": "pruned", "4": "failed"}


def test_a_dead_workers_trial_goes_stale_and_the_next_worker_runs_it_again(tmp_path):
    storage = f"sqlite:///{tmp_path}/optuna.db"
    beats = ["hydra.sweeper.heartbeat_interval=1", "hydra.sweeper.grace_period=3",
             f"hydra.sweeper.storage={storage}"]  # fmt: skip
    worker = subprocess.Popen(
        search_command(tmp_path, *beats, "hydra.sweeper.n_trials=1",
                       "trainer.max_epochs=1000"),
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "0" / "checkpoints").exists():  # trial 0 is training
            assert worker.poll() is None and time.monotonic() < deadline, "trial 0 never started"
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker dies with its trial RUNNING
        worker.wait()
    assert [t.state for t in trials_of("passengers", storage)] == [TrialState.RUNNING]
    time.sleep(4)  # past the grace period
    search(tmp_path, *beats, "hydra.sweeper.n_trials=1")  # the same command: it continues
    dead, retried = trials_of("passengers", storage)
    assert dead.state == TrialState.FAIL and retried.state == TrialState.COMPLETE
    assert retried.params == dead.params
    assert optuna.storages.RetryHeartbeatStaleTrialCallback.retried_trial_number(retried) == 0
    rows = {row["job"]: row for row in csv.DictReader((tmp_path / "summary.csv").open())}
    assert rows["1"]["status"] == "ok" and rows["0"]["status"] == "retried"  # not failed
    assert "ran again as job 1" in rows["0"]["error"]


def test_jobs_under_submitit_report_each_epoch_to_their_trials(tmp_path):
    """submitit runs each job as its own process (as on a SLURM node): the job still finds
    its trial through the study's storage, which pruning needs."""
    search(tmp_path, "hydra.sweeper.n_trials=2", "hydra.sweeper.n_jobs=2",
           "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10",
           "trainer.max_epochs=3")  # fmt: skip
    assert list((tmp_path / ".submitit").iterdir())  # submitit ran the jobs
    trials = trials_of("passengers", f"sqlite:///{tmp_path}/optuna.db")
    assert [sorted(t.intermediate_values) for t in trials] == [[0, 1, 2], [0, 1, 2]]


def test_the_grid_sampler_runs_every_combination_once_and_stops(tmp_path):
    search(tmp_path, "hydra/sweeper/sampler=grid", "optimizer.lr=choice(0.01,0.001)",
           "model.dropout=0.0", "model.hidden_size=16")  # fmt: skip
    trials = trials_of("passengers", f"sqlite:///{tmp_path}/optuna.db")  # n_trials 20: capped
    combinations = [(t.params["optimizer.lr"], t.params["model.num_layers"]) for t in trials]
    assert sorted(combinations) == [(0.001, 1), (0.001, 2), (0.01, 1), (0.01, 2)]
    assert all(t.state == TrialState.COMPLETE for t in trials)


WITHOUT_OPTUNA = """
import builtins, runpy, sys
real_import = builtins.__import__
def refuse_optuna(name, *args, **kwargs):
    if name.split(".")[0] == "optuna":
        raise ImportError("No module named 'optuna'")
    return real_import(name, *args, **kwargs)
builtins.__import__ = refuse_optuna
sys.argv = ["train.py", *sys.argv[1:]]
runpy.run_path("train.py", run_name="__main__")
"""


NO_OPTUNA = ("hydra/sweeper='optuna' is not allowed: another sweeper here: Optuna searches "
             "need Optuna (pip install -e '.[optuna]')")  # fmt: skip


@pytest.mark.parametrize(
    ("python", "override", "message"),
    [
        ([], "hydra.sweeper.direction=down",
         "hydra.sweeper.direction='down' is not allowed: minimize or maximize"),
        (["-c", WITHOUT_OPTUNA], "hydra.sweeper.n_trials=1", NO_OPTUNA),
        ([], "hydra.sweeper.params.model.hidden_size=64",  # params' keys hold dots
         "hydra.sweeper.params.model='' is not allowed: no such key in hydra.sweeper.params: "
         "its keys are optimizer.lr, model.hidden_size, model.num_layers, model.dropout (a key "
         "with dots is one key: set it as 'hydra.sweeper.params={<key>: <value>}'"),
        ([], "hydra.sweeper.storage=postgresql://rnnlab:secret@127.0.0.1:1/none",
         "hydra.sweeper.storage='postgresql://rnnlab:***@127.0.0.1:1/none' is not allowed: a "
         "database this machine can open: (psycopg.OperationalError) connection failed: "),
    ],
)  # fmt: skip
def test_a_search_that_cannot_run_says_why_in_one_line_and_writes_nothing(
    tmp_path, python, override, message
):
    command = search_command(tmp_path / "sweep", override)
    command = [command[0], *(python or [command[1]]), *command[2:]]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"rnnlab: bad config: {message}")
    assert not (tmp_path / "sweep").exists()
