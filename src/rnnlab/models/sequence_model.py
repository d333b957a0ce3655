"""A backbone plus a head: the plain nn.Module a task trains, and how config builds it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from rnnlab.config_errors import (
    ConfigError,
    require,
    require_bool,
    require_choice,
    require_fraction,
    require_int,
)
from rnnlab.models.backbone import IMPLEMENTATIONS, RECURRENT_MODULES, RecurrentBackbone
from rnnlab.models.forecast_baseline import BASELINES, ForecastBaseline
from rnnlab.models.heads import HEADS, NORMS, Head
from rnnlab.models.init import INITS, initialize
from rnnlab.models.scratch import State


class SequenceModel(nn.Module):
    """Backbone + head, forecasting relative to a baseline where asked (forecast_baseline.py)."""

    def __init__(
        self, backbone: RecurrentBackbone, head: Head, baseline: ForecastBaseline | None = None
    ) -> None:
        super().__init__()
        self.backbone = backbone
        self.head = head
        self.baseline = baseline or ForecastBaseline()

    def forward(self, x: torch.Tensor, warmup_steps: int = 0) -> torch.Tensor:
        """x (batch, time, input) -> (batch, out), or (batch, time - warmup_steps, out) per step."""
        return self.forward_with_state(x, None, warmup_steps)[0]

    def forward_with_state(
        self, x: torch.Tensor, state: State | None = None, warmup_steps: int = 0
    ) -> tuple[torch.Tensor, State]:
        """Also takes and returns the recurrent state (truncated BPTT carries it on).

        Warm-up (burn-in): the first `warmup_steps` steps only set the state, without a graph,
        so no gradient flows through them and they produce no prediction.
        """
        window, x = x, self.baseline.normalise(x)
        if warmup_steps > 0:
            with torch.no_grad():
                _, state = self.backbone(x[:, :warmup_steps], state)  # state only
            x = x[:, warmup_steps:]  # (batch, time - warmup, input)
        outputs, state = self.backbone(x, state)
        prediction = self.head(outputs, self.backbone.last_layer_final(state))
        return self.baseline.add_back(window, prediction), state


def validate_model_config(cfg: Mapping[str, Any]) -> None:
    """Check the `model` config group; raises ConfigError naming the key."""
    require_choice("model.kind", cfg.get("kind"), RECURRENT_MODULES)
    require_choice("model.implementation", cfg.get("implementation", "torch"), IMPLEMENTATIONS)
    require_int("model.hidden_size", cfg.get("hidden_size"), 1)
    require_int("model.num_layers", cfg.get("num_layers"), 1)
    require_fraction("model.dropout", cfg.get("dropout"))
    require_bool("model.bidirectional", cfg.get("bidirectional"))
    if cfg.get("kind") == "rnn":
        require_choice("model.nonlinearity", cfg.get("nonlinearity"), ("tanh", "relu"))
    init = cfg.get("init", "default")
    require_choice("model.init", init, INITS)
    if init == "identity" and cfg["kind"] != "rnn":
        raise ConfigError("model.init", init, "identity (IRNN) is for model=rnn; use orthogonal")
    forget_bias = cfg.get("forget_bias")
    if forget_bias is not None:
        require("model.forget_bias", forget_bias, lambda v: isinstance(v, (int, float)),
                "a number, or null to leave the initialisation alone")  # fmt: skip
        if cfg["kind"] != "lstm":
            raise ConfigError("model.forget_bias", forget_bias, "null unless model.kind=lstm")
    require_choice("model.head", cfg.get("head", "auto"), ("auto", *HEADS))
    require_choice("model.head_norm", cfg.get("head_norm", "none"), NORMS)
    require_fraction("model.head_dropout", cfg.get("head_dropout", 0.0))
    require_choice("model.baseline", cfg.get("baseline", "none"), BASELINES)
    require_int("model.season", cfg.get("season", 12), 1)


def head_kind(cfg: Mapping[str, Any], per_step_targets: bool) -> str:
    """`auto` means per_step for sequence labeling and last otherwise; a mismatch is an error."""
    kind = cfg.get("head", "auto")
    if kind == "auto":
        return "per_step" if per_step_targets else "last"
    if (kind == "per_step") != per_step_targets:
        wanted = "per_step (or auto)" if per_step_targets else "last or mean (or auto)"
        raise ConfigError("model.head", kind, f"this data set needs head {wanted}")
    return kind


def build_model(
    cfg: Mapping[str, Any], input_size: int, output_size: int, per_step_targets: bool = False
) -> SequenceModel:
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
        implementation=cfg.get("implementation", "torch"),
    )
    initialize(backbone.rnn, cfg.get("init", "default"), cfg["hidden_size"], cfg.get("forget_bias"))
    head = Head(
        head_kind(cfg, per_step_targets),
        backbone.output_size,
        output_size,
        norm=cfg.get("head_norm", "none"),
        dropout=cfg.get("head_dropout", 0.0),
    )
    baseline = cfg.get("baseline", "none")
    if baseline != "none" and (per_step_targets or input_size != 1):
        allowed = "none unless the data is one series forecast from itself (input size 1)"
        raise ConfigError("model.baseline", baseline, allowed)
    return SequenceModel(backbone, head, ForecastBaseline(baseline, cfg.get("season", 12)))
