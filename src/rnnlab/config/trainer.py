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
    accelerator: str = "auto"  # where to train: auto (a GPU when there is one), cpu, gpu, ...
    # how many devices: -1 all of them (see trainer=ddp)
    # allowed: an integer, or a list of device indices
    devices: Any = 1
    # passes over the training data
    # allowed: an integer >= 1, or -1 for no limit
    max_epochs: int | None = 20
    # stop after this many optimizer steps; -1: max_epochs decides
    # allowed: an integer >= 1, or -1 for no limit
    max_steps: int = -1
    # the clip threshold; null: no clipping
    # allowed: null (no clipping) or a number >= 0
    gradient_clip_val: float | None = None
    # `norm`: scale all gradients by their total L2 norm; `value`: clip each element
    gradient_clip_algorithm: ClipAlgorithm = ClipAlgorithm.norm
    # per-step scalars are written every n optimizer steps
    # allowed: an integer >= 1
    log_every_n_steps: int = 1
    # torch's deterministic algorithms, as in Lightning
    # allowed: true, false, warn
    deterministic: Any = False
    # as in Lightning
    # allowed: 32-true, 16-mixed, bf16-mixed, 64-true, ...
    precision: Any = "32-true"
    enable_progress_bar: bool = True  # a progress bar (rich's, unless callbacks= picks another)
    enable_model_summary: bool = True  # the table of the model's layers before training
    # Lightning's strategy: `ddp` (trainer=ddp), `ddp_spawn` (trainer=ddp_cpu)
    strategy: str = "auto"
    # true: one batch of fit, validation and test (trainer=debug); n: n batches
    # allowed: true, false, an integer >= 1
    fast_dev_run: Any = False
