"""The launch: group the jobs, run lone jobs as Hydra's basic launcher does, and train each
group as one stacked model with every job's Hydra bookkeeping done as `hydra.core.utils.
run_job` does it (its folder, .hydra/ files, job callbacks, JobReturn)."""

from __future__ import annotations

import copy
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from hydra.core.hydra_config import HydraConfig
from hydra.core.utils import (
    JobReturn,
    JobStatus,
    _flush_loggers,
    _save_config,
    configure_log,
    filter_overrides,
    run_job,
    setup_globals,
)
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from rnnlab.cli import report_ending
from rnnlab.errors import RunInterrupted
from rnnlab.run_folder import finished
from rnnlab.stacked.grouping import describe, plan_groups
from rnnlab.stacked.train_group import GroupJob, train_group
from rnnlab.sweep.job import (
    record_failure,
    resume_command,
    run_name,
    threads_per_job,
    worst_value,
)

log = logging.getLogger(__name__)


def launch(launcher: Any, job_overrides: Sequence[Sequence[str]], first: int) -> list[JobReturn]:
    setup_globals()
    config, context = launcher.config, launcher.hydra_context
    configure_log(config.hydra.hydra_logging, config.hydra.verbose)
    Path(str(config.hydra.sweep.dir)).mkdir(parents=True, exist_ok=True)
    log.info(f"Launching {len(job_overrides)} jobs locally, stacked where their shapes agree")
    sweep_configs = []
    for number, overrides in enumerate(job_overrides, start=first):
        log.info(f"\t#{number} : {' '.join(filter_overrides(overrides))}")
        sweep_config = context.config_loader.load_sweep_config(config, list(overrides))
        with open_dict(sweep_config):
            sweep_config.hydra.job.id = number
            sweep_config.hydra.job.num = number
        sweep_configs.append(sweep_config)
    values = [task_values(sweep_config) for sweep_config in sweep_configs]
    groups = plan_groups(values, launcher.max_replicas, torch.cuda.is_available())
    for line in describe(groups, [first + i for i in range(len(sweep_configs))]):
        log.info(line)
    returns: list[JobReturn | None] = [None] * len(sweep_configs)
    for group in groups:
        configs = [sweep_configs[i] for i in group.jobs]
        if group.stacked:
            results = launch_group(launcher, configs)
        else:
            results = [run_job(hydra_context=context, task_function=launcher.task_function,
                               config=configs[0], job_dir_key="hydra.sweep.dir",
                               job_subdir_key="hydra.sweep.subdir")]  # fmt: skip
        for index, result in zip(group.jobs, results, strict=True):
            returns[index] = result
        configure_log(config.hydra.hydra_logging, config.hydra.verbose)
    return [ret for ret in returns if ret is not None]


def task_values(sweep_config: DictConfig) -> dict[str, Any]:
    """A job's own settings, resolved (what grouping compares)."""
    saved = HydraConfig.instance().cfg
    HydraConfig.instance().set_config(sweep_config)  # for ${hydra:...} interpolations
    try:
        task = copy.deepcopy(sweep_config)
        with read_write(task), open_dict(task):
            del task["hydra"]
        return OmegaConf.to_container(task, resolve=True)  # type: ignore[return-value]
    finally:
        HydraConfig.instance().cfg = saved


@dataclass
class PreparedJob:
    config: DictConfig  # with hydra.*
    task_cfg: DictConfig  # without
    output_dir: Path
    ret: JobReturn


def prepare(context: Any, task_function: Any, config: DictConfig) -> PreparedJob:
    """What hydra.core.utils.run_job does before it calls the task: the job's folder, its
    .hydra/ record, the job's JobReturn and the Hydra callbacks' on_job_start."""
    HydraConfig.instance().set_config(config)
    sweep_dir = str(OmegaConf.select(config, "hydra.sweep.dir"))
    output_dir = Path(os.path.abspath(Path(sweep_dir) / str(config.hydra.sweep.subdir)))
    with read_write(config.hydra.runtime), open_dict(config.hydra.runtime):
        config.hydra.runtime.output_dir = str(output_dir)
    HydraConfig.instance().set_config(config)
    task_cfg = copy.deepcopy(config)
    with read_write(task_cfg), open_dict(task_cfg):
        del task_cfg["hydra"]
        task_cfg.torch_threads = threads_per_job(task_cfg.torch_threads, config.hydra)
    ret = JobReturn(overrides=OmegaConf.to_container(config.hydra.overrides.task),
                    cfg=task_cfg, hydra_cfg=copy.deepcopy(HydraConfig.instance().cfg),
                    working_dir=os.getcwd(), task_name=str(config.hydra.job.name))  # fmt: skip
    output_dir.mkdir(parents=True, exist_ok=True)
    if config.hydra.output_subdir is not None:
        record = output_dir / str(config.hydra.output_subdir)
        _save_config(task_cfg, "config.yaml", record)
        _save_config(ret.hydra_cfg, "hydra.yaml", record)
        _save_config(config.hydra.overrides.task, "overrides.yaml", record)
    context.callbacks.on_job_start(config=config, task_function=task_function)
    return PreparedJob(config, task_cfg, output_dir, ret)


@contextmanager
def every_job_log(jobs: Sequence[PreparedJob]) -> Iterator[None]:
    """The group's log in each job's own log file (Hydra's job logging writes the first's)."""
    first = jobs[0].config
    configure_log(first.hydra.job_logging, first.hydra.verbose)
    root = logging.getLogger()
    formats = [h.formatter for h in root.handlers if isinstance(h, logging.FileHandler)]
    added = []
    for job in jobs[1:]:
        handler = logging.FileHandler(job.output_dir / f"{job.config.hydra.job.name}.log")
        handler.setFormatter(formats[0] if formats else None)
        root.addHandler(handler)
        added.append(handler)
    try:
        yield
    finally:
        for handler in added:
            root.removeHandler(handler)
            handler.close()


def launch_group(launcher: Any, configs: Sequence[DictConfig]) -> list[JobReturn]:
    context, task_function = launcher.hydra_context, launcher.task_function
    saved = HydraConfig.instance().cfg
    jobs = [prepare(context, task_function, config) for config in configs]
    group = [GroupJob(job.task_cfg, job.output_dir, run_name(job.config.hydra, job.output_dir),
                      int(job.config.hydra.job.num), job.config) for job in jobs]  # fmt: skip
    try:
        with every_job_log(jobs):
            values = train_group(group)
    except RunInterrupted as interrupted:  # the sweep stops; resume=true continues it
        interrupted.hint = resume_command(jobs[0].config.hydra, jobs[0].output_dir)
        sys.exit(report_ending(interrupted))
    except Exception as error:  # noqa: BLE001 - the group failed as a whole: each job did
        log.exception("the stacked group failed")
        for job in jobs:
            if not finished(job.output_dir):
                record_failure(job.output_dir, error, 0.0)
        values = [worst_value(job.task_cfg) for job in jobs]
    for job, value in zip(jobs, values, strict=True):
        HydraConfig.instance().set_config(job.config)
        job.ret.return_value, job.ret.status = value, JobStatus.COMPLETED
        _flush_loggers()
        context.callbacks.on_job_end(config=job.config, job_return=job.ret)
    HydraConfig.instance().cfg = saved
    return [job.ret for job in jobs]
