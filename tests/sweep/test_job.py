"""How a job sizes itself and names itself inside a sweep."""

import os

import torch
from omegaconf import OmegaConf

from rnnlab.sweep.job import parallel_jobs, threads_per_job


def hydra_with(launcher: dict):
    return OmegaConf.create({"launcher": launcher})


def test_parallel_jobs_share_the_cores():
    cpus = os.cpu_count() or 1
    assert parallel_jobs(hydra_with({"_target_": "BasicLauncher"})) == 1
    assert parallel_jobs(hydra_with({"n_jobs": 2})) == 2
    assert parallel_jobs(hydra_with({"n_jobs": -1})) == cpus  # joblib: all cores
    assert threads_per_job(None, hydra_with({"n_jobs": 2})) == max(1, cpus // 2)
    assert threads_per_job(None, hydra_with({})) is None  # one at a time: torch decides
    assert threads_per_job(3, hydra_with({"n_jobs": 2})) == 3  # an explicit choice wins


def test_a_run_puts_torch_threads_back_for_the_next_job(run_training):
    before = torch.get_num_threads()
    report = run_training("trainer=debug", "torch_threads=1")
    assert report["torch_threads"] == 1
    assert torch.get_num_threads() == before
