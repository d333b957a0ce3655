"""Shared helpers: compose the real conf/ with overrides and run training in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import DictConfig

import rnnlab.config  # noqa: F401 - registers the config schemas with Hydra
from rnnlab.config.compose_errors import as_config_error

ROOT = Path(__file__).resolve().parents[1]
CONF_DIR = ROOT / "conf"
# a fit with nothing around it: no progress bar or summary, no validation, no best checkpoint
FIT_ONLY = (
    "trainer.enable_progress_bar=false",
    "trainer.enable_model_summary=false",
    "checkpoint.monitor=null",
    "optimized_metric=test/loss",
    "+trainer.num_sanity_val_steps=0",
    "+trainer.limit_val_batches=0",
)


def compose_config(*overrides: str) -> DictConfig:
    """The config `python train.py <overrides>` would see (without the hydra node); what
    Hydra refuses while composing raises the ConfigError train.py would print."""
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        try:
            return compose(config_name="train", overrides=list(overrides))
        except Exception as error:
            bad = as_config_error(error)
            if bad is None:
                raise
            raise bad from error


def train_in_process(output_dir: Path, *overrides: str) -> dict[str, Any]:
    """Run the composed config as python train.py would (rnnlab.configured_run: one run, or
    automatic forecasting's search) and return the metrics.json it wrote."""
    from rnnlab.configured_run import run_configured

    quiet = ("trainer.enable_progress_bar=false", "trainer.enable_model_summary=false")
    run_configured(compose_config(*quiet, *overrides), output_dir)
    return json.loads((output_dir / "metrics.json").read_text())


@pytest.fixture
def run_training(tmp_path: Path):
    counter = iter(range(1000))

    def run(*overrides: str) -> dict[str, Any]:
        return train_in_process(tmp_path / f"run{next(counter)}", *overrides)

    return run
