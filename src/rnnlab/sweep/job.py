"""One job as Hydra launches it: a single run, or one job of a multirun."""

from __future__ import annotations

import logging
import math
import os
import re
import shlex
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf, open_dict

from rnnlab.cli import report_ending
from rnnlab.errors import BadInput, RunInterrupted
from rnnlab.report import write_json_atomically
from rnnlab.run_folder import FAILURE_FILE, LAST_CHECKPOINT

log = logging.getLogger(__name__)


def parallel_jobs(hydra_cfg: Any) -> int:
    """How many jobs a launcher runs at once on this machine (1 when it runs them in turn)."""
    launcher = hydra_cfg.get("launcher") or {}
    n_jobs = launcher.get("n_jobs")
    if not isinstance(n_jobs, int) or n_jobs == 0:
        return 1
    cpus = os.cpu_count() or 1
    return max(1, n_jobs if n_jobs > 0 else cpus + 1 + n_jobs)  # joblib: -1 means all cpus


def threads_per_job(requested: int | None, hydra_cfg: Any) -> int | None:
    """Jobs side by side share the cores: with torch_threads=null each gets cpus // jobs."""
    jobs = parallel_jobs(hydra_cfg)
    if requested is not None or jobs == 1:
        return requested
    return max(1, (os.cpu_count() or 1) // jobs)


NOT_SETTINGS = ("hydra.", "resume", "ckpt_path", "logger")  # overrides that never name a run


def override_pairs(overrides: Any) -> list[tuple[str, str]]:
    """['model=rnn', '+trainer.x=1', ...] -> [('model', 'rnn'), ('trainer.x', '1'), ...]."""
    pairs = (str(item).split("=", 1) for item in overrides if "=" in str(item))
    return [(key.lstrip("+~"), value) for key, value in pairs]


def swept_keys_of(hydra_cfg: Any, sweep_dir: Path) -> set[str]:
    """The keys a multirun varies: its command line's sweeps (`model=rnn,gru`, ranges,
    choices; read back from the sweep's multirun.yaml, which every job can see) and its
    sweeper's params (a search space, or a sweep= file's axes)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    saved = sweep_dir / "multirun.yaml"
    command = []
    if saved.exists():
        command = OmegaConf.load(saved).hydra.overrides.task
    overrides = OverridesParser.create().parse_overrides([str(item) for item in command])
    keys = {o.key_or_group.lstrip("+~") for o in overrides if o.is_sweep_override()}
    params = hydra_cfg.sweeper.get("params") if "sweeper" in hydra_cfg else None
    return keys | {str(key) for key in (params or {})}


def settings_name(pairs: list[tuple[str, str]]) -> str:
    """'model=rnn,num_layers=1': keys by their last part unless two share it; a class given
    by `_target_` by its own name ('every2=ModelCheckpoint'); '' for none."""
    target = "._target_"
    pairs = [(k.removesuffix(target), v.rsplit(".", 1)[-1]) if k.endswith(target) else (k, v)
             for k, v in pairs]  # fmt: skip
    last = [key.split(".")[-1] for key, _ in pairs]
    words = [f"{short if last.count(short) == 1 else key}={value}"
             for (key, value), short in zip(pairs, last, strict=True)]  # fmt: skip
    return re.sub(r"[^\w.,=+-]", "_", ",".join(words))[:100]


def run_name(hydra_cfg: Any, output_dir: Path) -> str:
    """The TensorBoard run's name: what sets it apart. A sweep job: its values of the swept
    keys (the job number is its folder, so TensorBoard shows '3/model=rnn,num_layers=1'); a
    single run: its command line's settings, or 'defaults'."""
    pairs = [(k, v) for k, v in override_pairs(hydra_cfg.overrides.task)
             if not k.startswith(NOT_SETTINGS)]  # fmt: skip
    if hydra_cfg.mode == RunMode.MULTIRUN:
        swept = swept_keys_of(hydra_cfg, output_dir.parent)
        pairs = [(k, v) for k, v in pairs if k in swept] or pairs
    return settings_name(pairs) or "defaults"


def resume_command(hydra_cfg: Any, output_dir: Path) -> str:
    """The command line that continues this run (or sweep) where it stopped."""
    multirun = hydra_cfg.mode == RunMode.MULTIRUN
    folder_key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    folder = output_dir.parent if multirun else output_dir
    dropped = (f"{folder_key}=", "resume=", "+resume=")
    kept = [arg for arg in sys.argv[1:] if not arg.startswith(dropped)]
    words = ["python", "train.py", *kept, f"{folder_key}={folder}", "resume=true"]
    return " ".join(shlex.quote(word) for word in words)


def run_job(cfg: DictConfig, output_dir: Path, hydra_cfg: Any) -> float:
    """Single run: bad input, divergence and interruption end the process with their message
    and exit code (see rnnlab.cli); any other error propagates as a traceback.

    Multirun: any error but an interruption fails only this job, recorded in failure.json for
    the summary, and the job returns the worst value (inf when minimising), which a sweeper
    that only compares values ranks last; rnnlab's Optuna sweeper records the trial as FAIL.
    An interruption (SIGINT, SIGTERM) stops the whole sweep, which `resume=true` continues.
    Either way a run that fails in training leaves failure.json, and never metrics.json.
    """
    from rnnlab.configured_run import run_configured  # Lightning loads here, not earlier

    multirun = hydra_cfg.mode == RunMode.MULTIRUN
    started = time.perf_counter()
    (output_dir / FAILURE_FILE).unlink(missing_ok=True)  # an earlier attempt's, if any
    try:
        with open_dict(cfg):
            cfg.torch_threads = threads_per_job(cfg.torch_threads, hydra_cfg)
        return run_configured(cfg, output_dir, run_name(hydra_cfg, output_dir), multirun)
    except RunInterrupted as interrupted:
        interrupted.hint = resume_command(hydra_cfg, output_dir)
        sys.exit(report_ending(interrupted))  # the sweep stops too: resume continues it
    except BadInput as error:
        if not multirun:
            sys.exit(report_ending(error))  # nothing ran: nothing to record
        record_failure(output_dir, error, time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001 - a sweep outlives any one job's failure
        record_failure(output_dir, error, time.perf_counter() - started)
        if not multirun:
            sys.exit(report_ending(error))  # re-raises what is not a known ending
    return worst_value(cfg)


def worst_value(cfg: Any) -> float:
    """What a failed job returns: the value a sweeper that compares values ranks last."""
    return math.inf if cfg.get("optimized_mode", "min") == "min" else -math.inf


def record_failure(output_dir: Path, error: BaseException, seconds: float) -> None:
    log.error("job failed: %s: %s", type(error).__name__, error)
    details = {key: getattr(error, key) for key in ("step", "epoch") if hasattr(error, key)}
    last = output_dir / LAST_CHECKPOINT
    write_json_atomically(
        output_dir / FAILURE_FILE,
        {
            "error_type": type(error).__name__,
            "error": str(error),
            **details,
            "last_checkpoint": str(last) if last.exists() else None,
            "traceback": traceback.format_exc(),
            "wall_time_s": round(seconds, 3),
        },
    )
