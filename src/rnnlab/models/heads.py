"""Output heads that turn a backbone's states into predictions."""

from __future__ import annotations

import torch
from torch import nn


class LastStateHead(nn.Module):
    """Many-to-one: a linear map from the final state of the last layer (both directions)."""

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)

    def forward(self, outputs: torch.Tensor, final: torch.Tensor) -> torch.Tensor:
        """final (batch, features) -> (batch, out); outputs (batch, time, features) is unused."""
        return self.linear(final)
