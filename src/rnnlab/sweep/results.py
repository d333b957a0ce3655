"""Reading a multirun folder back: one JobResult per job folder."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rnnlab.sweep.job import FAILURE_FILE


@dataclass
class JobResult:
    number: int
    folder: Path
    overrides: list[str]
    status: str  # ok | failed | missing (no result: killed, or still running)
    error: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    num_parameters: int | None = None
    wall_time_s: float | None = None
    architecture: str = ""

    def override_values(self) -> dict[str, str]:
        """{'model.num_layers': '2', ...}: what this job's command line changed."""
        pairs = (item.split("=", 1) for item in self.overrides if "=" in item)
        return {key.lstrip("+~"): value for key, value in pairs}


def read_job(folder: Path) -> JobResult:
    hydra_dir = folder / ".hydra"
    overrides = yaml.safe_load((hydra_dir / "overrides.yaml").read_text()) or []
    config = yaml.safe_load((hydra_dir / "config.yaml").read_text()) or {}
    number = int(folder.name) if folder.name.isdigit() else -1
    result = JobResult(number, folder, [str(item) for item in overrides], status="missing")
    result.architecture = str((config.get("model") or {}).get("kind", ""))
    if (folder / "metrics.json").exists():
        report = json.loads((folder / "metrics.json").read_text())
        result.status = "ok"
        result.metrics = report["metrics"]
        result.num_parameters = report.get("num_parameters")
        result.wall_time_s = report.get("wall_time_s")
    elif (folder / FAILURE_FILE).exists():
        failure = json.loads((folder / FAILURE_FILE).read_text())
        result.status = "failed"
        result.error = f"{failure['error_type']}: {failure['error']}"
        result.wall_time_s = failure.get("wall_time_s")
    else:
        result.error = "no metrics.json or failure.json: the job was killed or is still running"
    return result


def read_sweep(sweep_dir: Path) -> list[JobResult]:
    """Every job folder (one holding .hydra/overrides.yaml) directly under sweep_dir."""
    folders = [p.parent.parent for p in sweep_dir.glob("*/.hydra/overrides.yaml")]
    return sorted((read_job(folder) for folder in folders), key=lambda r: r.number)


def swept_keys(results: list[JobResult]) -> list[str]:
    """Override keys whose value differs between jobs: the sweep's axes, in command order."""
    keys: list[str] = []
    for result in results:
        keys += [key for key in result.override_values() if key not in keys]
    return [k for k in keys if len({r.override_values().get(k) for r in results}) > 1]


def rank(results: list[JobResult], metric: str, mode: str) -> list[JobResult]:
    """Finished jobs best first by `metric`; then jobs without it; failed and missing last."""
    sign = 1.0 if mode == "min" else -1.0

    def key(result: JobResult) -> tuple[int, float, int]:
        value = result.metrics.get(metric, math.nan)
        if result.status != "ok":
            return (2, 0.0, result.number)
        if not math.isfinite(value):
            return (1, 0.0, result.number)
        return (0, sign * value, result.number)

    return sorted(results, key=key)
