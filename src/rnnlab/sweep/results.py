"""Reading a multirun folder back: one JobResult per job folder."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rnnlab.callbacks.report_to_trial import PRUNED_FILE
from rnnlab.run_folder import FAILURE_FILE, RETRIED_FILE, finished, read_report
from rnnlab.sweep.job import override_pairs


@dataclass
class JobResult:
    number: int
    folder: Path
    overrides: list[str]
    # ok | pruned (an Optuna pruner stopped it) | retried (its trial ran again as another job)
    # | failed | missing (killed, or still running)
    status: str
    error: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    num_parameters: int | None = None
    wall_time_s: float | None = None
    architecture: str = ""

    @property
    def finished(self) -> bool:
        """It has test metrics: it trained to its end, or until its search pruned it."""
        return self.status in ("ok", "pruned")

    @property
    def failed(self) -> bool:
        """It ended without results and nothing ran it again."""
        return self.status in ("failed", "missing")

    def override_values(self) -> dict[str, str]:
        """{'model.num_layers': '2', ...}: what this job's command line changed."""
        return dict(override_pairs(self.overrides))


def read_job(folder: Path) -> JobResult:
    hydra_dir = folder / ".hydra"
    overrides = yaml.safe_load((hydra_dir / "overrides.yaml").read_text()) or []
    config = yaml.safe_load((hydra_dir / "config.yaml").read_text()) or {}
    number = int(folder.name) if folder.name.isdigit() else -1
    result = JobResult(number, folder, [str(item) for item in overrides], status="missing")
    result.architecture = str((config.get("model") or {}).get("kind", ""))
    if finished(folder):
        report = read_report(folder)
        result.status = "pruned" if (folder / PRUNED_FILE).exists() else "ok"
        result.metrics = report["metrics"]
        result.num_parameters = report.get("num_parameters")
        result.wall_time_s = report.get("wall_time_s")
    elif (folder / RETRIED_FILE).exists():
        retried = json.loads((folder / RETRIED_FILE).read_text())
        result.status = "retried"
        result.error = (
            f"stopped ({retried['reason']}); its trial ran again as job {retried['as_job']}"
        )
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
    """Jobs that trained to their end best first by `metric`, then pruned ones the same way;
    then jobs without the metric; failed and missing last."""
    sign = 1.0 if mode == "min" else -1.0

    def key(result: JobResult) -> tuple[int, float, int]:
        value = result.metrics.get(metric, math.nan)
        if not result.finished:
            return (3, 0.0, result.number)
        if not math.isfinite(value):
            return (2, 0.0, result.number)
        return (int(result.status == "pruned"), sign * value, result.number)

    return sorted(results, key=key)
