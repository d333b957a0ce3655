"""What a checkpoint needs, beyond Lightning's own state, to be resumed exactly and safely.

Lightning saves weights, optimizer, loops and (rnnlab's batches being stateful) the data
order; not the global random generators, which dropout draws from, nor the settings that
made the run. This callback adds both: the generators so a resumed run continues bitwise as
the uninterrupted one would, the config so a resume with other settings can be refused.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import lightning as L
import numpy as np
import torch

CONFIG_KEY = "rnnlab_config"  # where a checkpoint holds the run's resolved config


def random_states() -> dict[str, Any]:
    """torch (CPU and CUDA), numpy and python generators, as plain values and tensors only,
    so the checkpoint still loads with torch.load(weights_only=True)."""
    kind, keys, position, has_gauss, gauss = np.random.get_state()
    version, python_state, python_gauss = random.getstate()
    return {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else [],
        "numpy": [kind, keys.tolist(), position, has_gauss, gauss],
        "python": [version, list(python_state), python_gauss],
    }


def restore_random_states(states: dict[str, Any]) -> None:
    torch.set_rng_state(states["torch"])
    if states["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])
    kind, keys, position, has_gauss, gauss = states["numpy"]
    np.random.set_state((kind, np.array(keys, dtype=np.uint32), position, has_gauss, gauss))
    version, python_state, python_gauss = states["python"]
    random.setstate((version, tuple(python_state), python_gauss))


def saved_config(checkpoint: str | Path) -> dict[str, Any] | None:
    """The config a checkpoint was trained with (None for one written without rnnlab's)."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    return state.get(CONFIG_KEY)


class ResumeState(L.Callback):
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def state_dict(self) -> dict[str, Any]:
        return {"random": random_states()}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        restore_random_states(state_dict["random"])

    def on_save_checkpoint(
        self, trainer: L.Trainer, pl_module: L.LightningModule, checkpoint: dict[str, Any]
    ) -> None:
        checkpoint[CONFIG_KEY] = self.config
