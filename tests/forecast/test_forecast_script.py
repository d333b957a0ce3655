"""scripts/forecast.py: the next values after a series' end, from a run's checkpoint."""

import csv
import subprocess
import sys

import pytest

from conftest import ROOT, train_in_process

pytestmark = pytest.mark.slow  # the script on real runs


def forecast_after_training(tmp_path, overrides, horizon):
    """Train a run (its folder as python train.py leaves it), then the script on its last
    checkpoint -> the rows of next.csv."""
    from omegaconf import OmegaConf

    from conftest import compose_config

    run = tmp_path / "run"
    (run / ".hydra").mkdir(parents=True)
    OmegaConf.save(compose_config(*overrides), run / ".hydra" / "config.yaml")
    train_in_process(run, *overrides)
    command = [sys.executable, "scripts/forecast.py", f"ckpt_path={run}/checkpoints/last.ckpt",
               f"horizon={horizon}", f"out={tmp_path}/next"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader((tmp_path / "next.csv").open()))


def test_forecast_writes_csv_and_png_for_any_horizon(tmp_path):
    overrides = ("data=passengers", "data.horizon=6", "trainer.max_epochs=1", "plots=false")
    rows = forecast_after_training(tmp_path, overrides, 15)
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


def test_several_series_are_each_forecast_in_their_own_units(tmp_path):
    """One model for a series in thousands and one in tenths: each forecast comes back through
    its own series' scaling (the first series' would put the second in thousands)."""
    import numpy as np

    path = tmp_path / "two.csv"
    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(96)]
    wave = np.sin(2 * np.pi * np.arange(96) / 12)
    lines = ["date,big,small", *(f"{m},{5000 + 500 * w:.3f},{0.3 + 0.05 * w:.5f}"
                                 for m, w in zip(months, wave, strict=True))]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    overrides = ("data=csv", f"data.path={path}", "data.target=[big,small]", "data.season=12",
                 "trainer.max_steps=30", "plots=false")  # fmt: skip
    rows = forecast_after_training(tmp_path, overrides, 6)
    assert [row["series"] for row in rows] == ["big"] * 6 + ["small"] * 6
    big = [float(row["forecast"]) for row in rows[:6]]
    small = [float(row["forecast"]) for row in rows[6:]]
    assert all(3000 < v < 7000 for v in big) and all(0.0 < v < 0.6 for v in small)
