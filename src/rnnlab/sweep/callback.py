"""The Hydra callback that writes a multirun's summary when it ends (conf/train.yaml)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from rnnlab.hparams import flat_hyperparameters, write_sweep_experiment
from rnnlab.run_folder import read_report
from rnnlab.sweep.results import JobResult
from rnnlab.sweep.summary import write_summaries

log = logging.getLogger(__name__)


def write_tensorboard_experiment(sweep_dir: Path, results: list[JobResult]) -> None:
    """One HPARAMS experiment over the finished jobs, at the sweep's root: TensorBoard then
    opens on the swept settings and the val/ and test/ metrics (see rnnlab/hparams.py)."""
    finished = [result for result in results if result.finished]
    if not finished:
        return
    runs, metrics = [], []
    for result in finished:
        report = read_report(result.folder)
        runs.append(flat_hyperparameters(report["config"]))
        metrics += [name for name in report["metrics"] if name not in metrics]
    write_sweep_experiment(sweep_dir, runs, metrics)


class SweepSummaryCallback(Callback):
    """summary.csv/summary.md and TensorBoard's experiment in the sweep folder; a non-zero
    exit if any job failed.

    Jobs never raise inside a multirun (see sweep/job.py), so Hydra always reaches this hook
    and every other job has run by then.
    """

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        results = write_summaries(sweep_dir, config.optimized_metric, config.optimized_mode)
        write_tensorboard_experiment(sweep_dir, results)
        failed = [result for result in results if result.failed]
        log.info("sweep summary: %s (%d jobs)", sweep_dir / "summary.md", len(results))
        if results and results[0].finished:
            best = results[0]
            log.info(
                "best: job %d (%s) %s=%.4g", best.number, " ".join(best.overrides),
                config.optimized_metric, best.metrics.get(config.optimized_metric, float("nan")),
            )  # fmt: skip
        if failed:
            for result in failed:
                log.error("job %d failed (%s): %s", result.number, " ".join(result.overrides),
                          result.error)  # fmt: skip
            summary = sweep_dir / "summary.md"
            print(f"rnnlab: {len(failed)} of {len(results)} jobs failed; see {summary}",
                  file=sys.stderr)  # fmt: skip
            sys.exit(1)
