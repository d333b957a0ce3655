"""Noisy sine regression: the sequence-model setup of Dive into Deep Learning (d2l.ai), ch. 9."""

from __future__ import annotations

import torch

from rnnlab.config.data import SineConfig
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

    def __init__(self, config: SineConfig) -> None:
        super().__init__(batch_size=config.batch_size, seed=config.seed)
        self.config = config
        self.series = noisy_sine(config.num_points, config.noise_std, config.seed)
        inputs, targets, first = sliding_windows(self.series, window=config.tau, horizon=1)
        self.splits = split_by_target(inputs, targets, first, 1, config.train_end, config.val_end)
        self.facts = DataFacts(task="regression", input_size=1, output_size=1)
