"""A run's folder, owned here: the names of what a run leaves in it, and the reading and
writing of its report. Every writer and reader (a run, automatic forecasting, backtests,
sweeps, resume, the plugins, the scripts) goes through these names.

    metrics.json       the report, written last and atomically: its presence means finished
    failure.json       why a job of a sweep failed (never beside metrics.json)
    retried.json       an Optuna trial that was run again as another
    test_forecast.csv  a forecasting run's test period: date, truth, forecast
    checkpoints/       best-*.ckpt and last.ckpt
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rnnlab.report import write_json_atomically

METRICS_FILE = "metrics.json"
FAILURE_FILE = "failure.json"
RETRIED_FILE = "retried.json"
TEST_FORECAST_FILE = "test_forecast.csv"
CHECKPOINT_DIR = "checkpoints"
LAST_CHECKPOINT = Path(CHECKPOINT_DIR) / "last.ckpt"


def read_report(folder: Path) -> dict[str, Any]:
    """The finished run's metrics.json."""
    return json.loads((Path(folder) / METRICS_FILE).read_text())


def write_report(folder: Path, report: dict[str, Any]) -> Path:
    """metrics.json, atomically (a reader never sees half of it)."""
    path = Path(folder) / METRICS_FILE
    write_json_atomically(path, report)
    return path


def finished(folder: Path) -> bool:
    return (Path(folder) / METRICS_FILE).exists()
