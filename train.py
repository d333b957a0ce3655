"""Train one recurrent model: `python train.py model=lstm data=passengers` (see conf/train.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from rnnlab.config_errors import ConfigError


@hydra.main(version_base="1.3", config_path="conf", config_name="train")
def main(cfg: DictConfig) -> float:
    from rnnlab.run import train  # imported here so `--help` and `--cfg job` stay fast

    try:
        return train(cfg, Path(HydraConfig.get().runtime.output_dir))
    except ConfigError as error:
        print(f"rnnlab: bad config: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
