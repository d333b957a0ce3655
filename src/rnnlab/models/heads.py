"""Output heads that turn a backbone's outputs and final state into predictions.

  last      many-to-one from the last layer's final state (both directions)
  mean      many-to-one from the outputs averaged over time
  per_step  many-to-many: one prediction per time step (sequence labeling)
Each may put a BatchNorm or LayerNorm and dropout before its linear layer.
"""

from __future__ import annotations

import torch
from torch import nn


class OutputLayer(nn.Module):
    """[norm] -> [dropout] -> linear on the last dimension of any (..., features) tensor."""

    def __init__(self, in_features: int, out_features: int, norm: str, dropout: float) -> None:
        super().__init__()
        self.norm: nn.Module = {
            "none": nn.Identity(),
            "batch": nn.BatchNorm1d(in_features),
            "layer": nn.LayerNorm(in_features),
        }[norm]
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.linear = nn.Linear(in_features, out_features)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        flat = features.reshape(-1, features.shape[-1])  # BatchNorm1d wants (N, features)
        out = self.linear(self.dropout(self.norm(flat)))
        return out.reshape(*features.shape[:-1], out.shape[-1])


class Head(nn.Module):
    def __init__(
        self,
        kind: str,
        in_features: int,
        out_features: int,
        norm: str = "none",
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.output = OutputLayer(in_features, out_features, norm, dropout)

    @property
    def per_step(self) -> bool:
        return self.kind == "per_step"

    def forward(self, outputs: torch.Tensor, final: torch.Tensor) -> torch.Tensor:
        """outputs (batch, time, F), final (batch, F) -> (batch, out), or (batch, time, out)."""
        if self.kind == "last":
            return self.output(final)
        if self.kind == "mean":
            return self.output(outputs.mean(dim=1))
        return self.output(outputs)
