"""A backbone plus a head: the plain nn.Module a task trains."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from rnnlab.config_errors import (
    require_bool,
    require_choice,
    require_fraction,
    require_int,
)
from rnnlab.models.backbone import RECURRENT_MODULES, RecurrentBackbone
from rnnlab.models.heads import LastStateHead


class SequenceModel(nn.Module):
    def __init__(self, backbone: RecurrentBackbone, head: nn.Module) -> None:
        super().__init__()
        self.backbone = backbone
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (batch, time, input) -> (batch, out)."""
        outputs, final = self.backbone(x)
        return self.head(outputs, final)


def validate_model_config(cfg: Mapping[str, Any]) -> None:
    """Check the `model` config group; raises ConfigError naming the key."""
    require_choice("model.kind", cfg.get("kind"), RECURRENT_MODULES)
    require_int("model.hidden_size", cfg.get("hidden_size"), 1)
    require_int("model.num_layers", cfg.get("num_layers"), 1)
    require_fraction("model.dropout", cfg.get("dropout"))
    require_bool("model.bidirectional", cfg.get("bidirectional"))
    if cfg.get("kind") == "rnn":
        require_choice("model.nonlinearity", cfg.get("nonlinearity"), ("tanh", "relu"))


def build_model(cfg: Mapping[str, Any], input_size: int, output_size: int) -> SequenceModel:
    """Build from the `model` config group plus the sizes the data module reports."""
    validate_model_config(cfg)
    backbone = RecurrentBackbone(
        kind=cfg["kind"],
        input_size=input_size,
        hidden_size=cfg["hidden_size"],
        num_layers=cfg["num_layers"],
        dropout=cfg["dropout"],
        bidirectional=cfg["bidirectional"],
        nonlinearity=cfg.get("nonlinearity", "tanh"),
    )
    return SequenceModel(backbone, LastStateHead(backbone.output_size, output_size))
