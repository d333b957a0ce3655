"""The Hydra callback that writes a multirun's summary when it ends (conf/train.yaml)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from rnnlab.sweep.summary import write_summaries

log = logging.getLogger(__name__)


class SweepSummaryCallback(Callback):
    """summary.csv/summary.md in the sweep folder; a non-zero exit if any job failed.

    Jobs never raise inside a multirun (see sweep/job.py), so Hydra always reaches this hook
    and every other job has run by then.
    """

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        results = write_summaries(sweep_dir, config.optimized_metric, config.optimized_mode)
        failed = [result for result in results if result.status != "ok"]
        log.info("sweep summary: %s (%d jobs)", sweep_dir / "summary.md", len(results))
        if results and results[0].status == "ok":
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
