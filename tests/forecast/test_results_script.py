"""scripts/results.py builds its table from real runs (a one-seed sine section, for speed)."""

import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # the script trains for real


def test_results_script_writes_a_table_and_figure_from_runs(tmp_path):
    out = tmp_path / "docs" / "RESULTS.md"
    command = [sys.executable, "scripts/results.py", "--seeds", "1", "--sections", "sine",
               "--out", str(out), "--runs", str(tmp_path / "runs")]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text()
    assert "Made by `python scripts/results.py --seeds 1 --long-seeds 1 --sections sine`" in text
    assert "| rnnlab `experiment=sine_lstm` (window 16), over 1 seeds | 0.0" in text
    assert "| rnnlab `experiment=sine_lstm data.tau=4` (window 4), over 1 seeds | 0.0" in text
    assert "| least-squares AR(16) | 0.0" in text and "| least-squares AR(4) | 0.0" in text
    for run in ("sine_lstm", "sine_lstm_data.tau-4"):
        assert (tmp_path / "runs" / run / "seed0" / "metrics.json").exists()
    assert (out.parent / "results" / "sine_kstep.png").read_bytes()[:4] == b"\x89PNG"
