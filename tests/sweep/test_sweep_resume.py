"""`python train.py -m ... hydra.sweep.dir=<folder> resume=true` after a SIGTERM: finished
jobs are skipped, the interrupted one continues from its checkpoint, the rest run, and the
summary covers every job."""

import csv
import json
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT

SWEEP = ["-m", "model=rnn,gru,lstm", "data=synthetic", "model.hidden_size=16",
         "trainer.max_epochs=6", "plots=false", "trainer.enable_progress_bar=false",
         "trainer.enable_model_summary=false"]  # fmt: skip


def sweep_command(folder, *extra):
    return [sys.executable, "train.py", *SWEEP, f"hydra.sweep.dir={folder}", *extra]


@pytest.mark.slow
def test_an_interrupted_sweep_resumes_where_it_stopped(tmp_path):
    folder = tmp_path / "sweep"
    process = subprocess.Popen(sweep_command(folder), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    checkpoint = folder / "1" / "checkpoints" / "last.ckpt"
    deadline = time.monotonic() + 240
    while not checkpoint.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)  # job 1 is training: it saves and the sweep stops
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, stderr[-2000:]
    resume = next(line for line in stderr.splitlines() if "resume with:" in line)
    assert f"hydra.sweep.dir={folder}" in resume and "-m" in resume
    assert (folder / "0" / "metrics.json").exists() and not (folder / "1" / "metrics.json").exists()
    assert not (folder / "2").exists()
    finished = (folder / "0" / "metrics.json").stat().st_mtime_ns
    interrupted_at = json.loads(json.dumps(str(checkpoint.stat().st_mtime_ns)))

    result = subprocess.run(sweep_command(folder, "resume=true"), cwd=ROOT, capture_output=True,
                            text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert (folder / "0" / "metrics.json").stat().st_mtime_ns == finished  # skipped
    log = (folder / "1" / "train.log").read_text()
    assert "Restoring states from the checkpoint path" in log  # continued, not restarted
    assert str(checkpoint.stat().st_mtime_ns) != interrupted_at
    rows = list(csv.DictReader((folder / "summary.csv").open()))
    assert sorted(row["job"] for row in rows) == ["0", "1", "2"]
    assert all(row["status"] == "ok" for row in rows)
    for job in ("1", "2"):
        report = json.loads((folder / job / "metrics.json").read_text())
        assert report["epochs"] == 6


@pytest.mark.slow
def test_resuming_a_sweep_that_does_not_exist_is_refused(tmp_path):
    result = subprocess.run(sweep_command(tmp_path / "nowhere", "resume=true"), cwd=ROOT,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 2
    assert "resume=True is not allowed" in result.stderr and "nothing to resume" in result.stderr


@pytest.mark.slow
def test_resuming_with_other_sweep_settings_is_refused(tmp_path):
    folder = tmp_path / "sweep"
    quick = [sys.executable, "train.py", "-m", "model=rnn", "data=sine", "trainer.max_epochs=1",
             "plots=false", f"hydra.sweep.dir={folder}"]  # fmt: skip
    assert subprocess.run(quick, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    other = [item.replace("model=rnn", "model=gru") for item in quick] + ["resume=true"]
    result = subprocess.run(other, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "model='gru' is not allowed: 'rnn', as in the sweep being resumed" in result.stderr
