"""One job as Hydra launches it: a single run, or one job of a multirun."""

from __future__ import annotations

import logging
import math
import os
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from hydra.types import RunMode
from omegaconf import DictConfig, open_dict

from rnnlab.config_errors import ConfigError
from rnnlab.report import write_json_atomically

log = logging.getLogger(__name__)
FAILURE_FILE = "failure.json"


def parallel_jobs(hydra_cfg: Any) -> int:
    """How many jobs a launcher runs at once on this machine (1 when it runs them in turn)."""
    launcher = hydra_cfg.get("launcher") or {}
    n_jobs = launcher.get("n_jobs")
    if not isinstance(n_jobs, int) or n_jobs == 0:
        return 1
    cpus = os.cpu_count() or 1
    return max(1, n_jobs if n_jobs > 0 else cpus + 1 + n_jobs)  # joblib: -1 means all cpus


def threads_per_job(requested: int | None, hydra_cfg: Any) -> int | None:
    """Jobs side by side share the cores: each gets cpus // jobs torch threads unless set."""
    jobs = parallel_jobs(hydra_cfg)
    if requested is not None or jobs == 1:
        return requested
    return max(1, (os.cpu_count() or 1) // jobs)


def run_name(hydra_cfg: Any) -> str:
    """'<job number>_<overrides>' as a multirun job's TensorBoard run name ('' for a single run).

    The number keeps names unique where long override lists are cut to 150 characters."""
    if hydra_cfg.mode != RunMode.MULTIRUN:
        return ""
    name = f"{hydra_cfg.job.num}_{hydra_cfg.job.override_dirname}"
    return re.sub(r"[^\w.,=+-]", "_", name)[:150]


def refuse_relaunching_ddp_in_multirun(cfg: DictConfig, hydra_cfg: Any) -> None:
    """Lightning's `ddp` starts extra ranks by re-running the command line, `-m` and the sweep
    lists included, so each rank would run the whole sweep again. SLURM-made ranks are fine."""
    strategy = str(cfg.trainer.get("strategy", "auto"))
    devices = cfg.trainer.get("devices", 1)
    several = devices == -1 or (isinstance(devices, int) and devices > 1)
    under_slurm = int(os.environ.get("SLURM_NTASKS", "1")) > 1
    relaunches = strategy.startswith("ddp") and strategy != "ddp_spawn" and not under_slurm
    if hydra_cfg.mode == RunMode.MULTIRUN and relaunches and several:
        raise ConfigError(
            "trainer.strategy",
            strategy,
            "in a multirun, multi-device trials need trainer.strategy=ddp_spawn (e.g. "
            "trainer=ddp_cpu), or hydra/launcher=submitit_slurm with "
            "hydra.launcher.tasks_per_node equal to the GPUs so SLURM makes the ranks; "
            "plain ddp would re-run the whole sweep in every extra rank",
        )


def run_job(cfg: DictConfig, output_dir: Path, hydra_cfg: Any) -> float:
    """Single run: errors end the process (bad config: a message and exit code 2).

    Multirun: any error fails only this job, recorded in failure.json for the summary, and
    the job returns the worst value (inf when minimising): hydra-optuna-sweeper aborts the
    whole study on a NaN, while inf lets the search go on and steer away from that region.
    """
    from rnnlab.run import train  # Lightning loads here, not when Hydra reads the config

    multirun = hydra_cfg.mode == RunMode.MULTIRUN
    started = time.perf_counter()
    try:
        refuse_relaunching_ddp_in_multirun(cfg, hydra_cfg)
        with open_dict(cfg):
            cfg.torch_threads = threads_per_job(cfg.torch_threads, hydra_cfg)
        return train(cfg, output_dir, run_name(hydra_cfg))
    except ConfigError as error:
        if not multirun:
            print(f"rnnlab: bad config: {error}", file=sys.stderr)
            sys.exit(2)
        record_failure(output_dir, error, time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001 - a sweep outlives any one job's failure
        if not multirun:
            raise
        record_failure(output_dir, error, time.perf_counter() - started)
    return math.inf if cfg.get("optimized_mode", "min") == "min" else -math.inf


def record_failure(output_dir: Path, error: BaseException, seconds: float) -> None:
    log.error("job failed: %s: %s", type(error).__name__, error)
    write_json_atomically(
        output_dir / FAILURE_FILE,
        {
            "error_type": type(error).__name__,
            "error": str(error),
            "traceback": traceback.format_exc(),
            "wall_time_s": round(seconds, 3),
        },
    )
