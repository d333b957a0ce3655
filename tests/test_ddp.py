"""Multi-process training on the CPU (gloo), as CI can run it: trainer=ddp_cpu."""

import csv
import json
import subprocess
import sys

import lightning as L
import pytest

from conftest import ROOT, compose_config
from rnnlab.callbacks import CloseSpawnedRanks
from rnnlab.data.registry import build_datamodule
from rnnlab.tasks import build_task

pytestmark = pytest.mark.slow  # DDP over spawned processes

QUIET = ["trainer.enable_progress_bar=false", "trainer.enable_model_summary=false"]


def test_metrics_under_ddp_equal_one_process_on_the_same_weights():
    cfg = compose_config("data=sine", "model=gru")
    L.seed_everything(0)
    task = build_task(dict(cfg.model), dict(cfg.optimizer), build_datamodule(cfg.data).facts)
    options = {"accelerator": "cpu", "logger": False, "enable_progress_bar": False,
               "enable_model_summary": False, "enable_checkpointing": False}  # fmt: skip
    (single,) = L.Trainer(devices=1, **options).test(task, build_datamodule(cfg.data))
    ddp_trainer = L.Trainer(devices=2, strategy="ddp_spawn", callbacks=[CloseSpawnedRanks()],
                             **options)  # fmt: skip
    (ddp,) = ddp_trainer.test(task, build_datamodule(cfg.data))
    assert ddp_trainer.world_size == 2
    assert set(ddp) == set(single) and "test/mse" in single
    for name, value in single.items():
        assert ddp[name] == pytest.approx(value, rel=1e-5), name


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "train.py", *arguments, *QUIET], cwd=ROOT,
                          capture_output=True, text=True, timeout=400)  # fmt: skip


def test_ddp_cpu_run_trains_in_two_processes_and_rank_zero_alone_reports(tmp_path):
    result = run("trainer=ddp_cpu", "trainer.max_epochs=1", f"hydra.run.dir={tmp_path}/run")
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert report["world_size"] == 2
    # 596 training windows / 2 ranks = 298 each, batches of 32: 9 steps per epoch
    assert report["global_step"] == 9 and report["epochs"] == 1
    assert list(tmp_path.glob("**/metrics.json")) == [tmp_path / "run" / "metrics.json"]


def test_multirun_with_ddp_spawn_runs_each_job_once(tmp_path):
    result = run("-m", "trainer=ddp_cpu", "trainer.max_epochs=1", "model=gru",
                 f"hydra.sweep.dir={tmp_path}/sweep")  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader((tmp_path / "sweep" / "summary.csv").open()))
    assert [row["status"] for row in rows] == ["ok"]
    assert len(list((tmp_path / "sweep").glob("*/metrics.json"))) == 1


def test_multirun_with_relaunching_ddp_is_refused_with_what_to_use(tmp_path):
    result = run("-m", "trainer=ddp", "trainer.accelerator=cpu", "trainer.devices=2",
                 "model=rnn,gru", f"hydra.sweep.dir={tmp_path}/sweep")  # fmt: skip
    assert result.returncode == 1
    rows = list(csv.DictReader((tmp_path / "sweep" / "summary.csv").open()))
    assert len(rows) == 2 and all(row["status"] == "failed" for row in rows)
    assert all("ddp_spawn" in row["error"] and "submitit_slurm" in row["error"] for row in rows)
