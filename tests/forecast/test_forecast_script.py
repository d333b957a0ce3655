"""scripts/forecast.py: the next values after a series' end, from a run's checkpoint."""

import csv
import subprocess
import sys

import pytest

from conftest import ROOT, train_in_process

pytestmark = pytest.mark.slow  # the script on real runs


def test_forecast_writes_csv_and_png_for_any_horizon(tmp_path):
    run = tmp_path / "run"
    (run / ".hydra").mkdir(parents=True)
    from omegaconf import OmegaConf

    from conftest import compose_config

    overrides = ("data=passengers", "data.horizon=6", "trainer.max_epochs=1", "plots=false")
    OmegaConf.save(compose_config(*overrides), run / ".hydra" / "config.yaml")
    train_in_process(run, *overrides)
    command = [sys.executable, "scripts/forecast.py", f"ckpt_path={run}/checkpoints/last.ckpt",
               "horizon=15", f"out={tmp_path}/next"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((tmp_path / "next.csv").open()))
    assert [row["step_after_end"] for row in rows] == [f"+{k}" for k in range(1, 16)]
    assert all(0 < float(row["forecast"]) < 10_000 for row in rows)  # passengers, not scaled
    assert (tmp_path / "next.png").read_bytes()[:4] == b"\x89PNG"


def test_forecast_refuses_what_is_not_a_run_checkpoint(tmp_path):
    result = subprocess.run([sys.executable, "scripts/forecast.py", f"ckpt_path={tmp_path}/x.ckpt"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert (
        result.returncode == 2 and "not a checkpoint inside an rnnlab run folder" in result.stderr
    )
    result = subprocess.run([sys.executable, "scripts/forecast.py", "horizon=3"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2 and "ckpt_path=... is required" in result.stderr
