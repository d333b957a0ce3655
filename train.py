"""Train one recurrent model: `python train.py model=lstm data=passengers` (see conf/train.yaml).

Sweeps: `python train.py -m model=rnn,lstm,gru model.num_layers=1,2` (see README, Sweeps).
"""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

import rnnlab.config  # noqa: F401 - registers the config schemas with Hydra
from rnnlab.cli import run_command_line
from rnnlab.sweep.job import run_job


@hydra.main(version_base="1.3", config_path="conf", config_name="train")
def main(cfg: DictConfig) -> float:
    hydra_cfg = HydraConfig.get()
    return run_job(cfg, Path(hydra_cfg.runtime.output_dir), hydra_cfg)


if __name__ == "__main__":
    run_command_line(main)
