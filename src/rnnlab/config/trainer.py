"""The `trainer` group (conf/trainer/): keyword arguments of lightning.Trainer.

The fields are the arguments rnnlab's presets set; any other Trainer argument may be added
with `+trainer.<name>=...` and is checked against lightning.Trainer's own signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rnnlab.config.choices import ClipAlgorithm


@dataclass
class TrainerConfig:
    accelerator: str = "auto"  # auto: a GPU when there is one; cpu, gpu, ...
    devices: Any = 1  # one device; -1: all of them (see trainer=ddp)
    max_epochs: int | None = 20  # epochs, >= 1; -1: no limit (max_steps decides)
    max_steps: int = -1  # stop after this many optimizer steps; -1: max_epochs decides
    gradient_clip_val: float | None = None  # clip threshold; null: no clipping
    gradient_clip_algorithm: ClipAlgorithm = ClipAlgorithm.norm  # norm (total L2) or value
    log_every_n_steps: int = 1  # write per-step scalars every n optimizer steps
    deterministic: Any = False  # true, false or "warn": torch's deterministic algorithms
    precision: Any = "32-true"  # as in Lightning: 32-true, 16-mixed, bf16-mixed, 64-true
    enable_progress_bar: bool = True  # the rich progress bar
    enable_model_summary: bool = True  # the model summary table at the start
    strategy: str = "auto"  # Lightning's strategy; see trainer=ddp and trainer=ddp_cpu
    fast_dev_run: Any = False  # true (or n): one (n) batch of fit, validation and test
