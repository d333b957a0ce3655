"""Noisy sine regression: the sequence-model setup of Dive into Deep Learning (d2l.ai), ch. 9."""

from __future__ import annotations

import torch

from rnnlab.config_errors import ConfigError, require_int, require_non_negative
from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.windows import sliding_windows, split_by_target


def noisy_sine(num_points: int, noise_std: float, seed: int) -> torch.Tensor:
    """x_t = sin(0.01 t) + N(0, noise_std^2) for t = 1..num_points -> (num_points,)."""
    generator = torch.Generator().manual_seed(seed)
    time = torch.arange(1, num_points + 1, dtype=torch.float32)
    noise = torch.randn(num_points, generator=generator) * noise_std
    return torch.sin(0.01 * time) + noise


class SineDataModule(InMemoryDataModule):
    """The previous `tau` values predict the next one.

    Windows whose target index is below `train_end` train (600 in d2l), those up to `val_end`
    validate, the rest test. Values are used as they are: no scaling, so MSE is in data units
    and the noise floor is noise_std^2 (0.04).
    """

    def __init__(
        self,
        num_points: int = 1000,
        tau: int = 4,
        noise_std: float = 0.2,
        train_end: int = 600,
        val_end: int = 800,
        batch_size: int = 32,
        seed: int = 0,
    ) -> None:
        super().__init__(batch_size=batch_size, seed=seed)
        require_int("data.num_points", num_points, 3)
        require_int("data.tau", tau, 1)
        require_non_negative("data.noise_std", noise_std)
        if not tau < train_end < val_end < num_points:
            raise ConfigError(
                "data.train_end/val_end",
                (train_end, val_end),
                f"need tau ({tau}) < train_end < val_end < num_points ({num_points})",
            )
        self.series = noisy_sine(num_points, noise_std, seed)
        inputs, targets, first = sliding_windows(self.series, window=tau, horizon=1)
        self.splits = split_by_target(inputs, targets, first, 1, train_end, val_end)
        self.facts = DataFacts(task="regression", input_size=1, output_size=1)
