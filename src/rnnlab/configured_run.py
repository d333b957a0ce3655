"""What one configured job is: automatic forecasting when `auto.candidates` is set (a search
that calls `rnnlab.run.train` many times), else one run of `train`. The layer above both,
so `train` never has to know about searches (python train.py and sweeps come through here).
"""

from __future__ import annotations

import time
from pathlib import Path

import torch
from omegaconf import DictConfig, OmegaConf

from rnnlab.config.checks import check_config
from rnnlab.config.convert import typed_config
from rnnlab.config.run_config import RunConfig
from rnnlab.run import train


def run_configured(
    cfg: DictConfig | RunConfig, output_dir: Path, run_name: str = "", multirun: bool = False
) -> float:
    """Train (or search, then forecast) as `cfg` says; returns `optimized_metric`."""
    config = cfg if isinstance(cfg, RunConfig) else typed_config(cfg)
    if not config.auto.candidates:
        return train(cfg, output_dir, run_name, multirun)
    from rnnlab.backtests.auto_report import run_auto_forecast

    started = time.perf_counter()
    check_config(config, multirun)  # every check, the candidates' included, before training
    threads = torch.get_num_threads()
    try:
        if config.torch_threads is not None:
            torch.set_num_threads(config.torch_threads)
        plain_cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.structured(config)
        return run_auto_forecast(plain_cfg, config, output_dir, started)
    finally:
        torch.set_num_threads(threads)  # as train() does: jobs sharing a process stay apart
