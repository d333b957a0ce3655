"""A backbone plus a head: the plain nn.Module a task trains, and how config builds it."""

from __future__ import annotations

import torch
from torch import nn

from rnnlab.config.convert import plain
from rnnlab.config.model import ModelConfig
from rnnlab.data.facts import DataFacts
from rnnlab.models.backbone import RecurrentBackbone
from rnnlab.models.forecast_baseline import ForecastBaseline
from rnnlab.models.heads import Head
from rnnlab.models.init import initialize
from rnnlab.models.scratch import State


class SequenceModel(nn.Module):
    """Backbone + head, forecasting relative to a baseline where asked (forecast_baseline.py)."""

    def __init__(
        self,
        backbone: RecurrentBackbone,
        head: Head,
        baseline: ForecastBaseline | None = None,
        autoregressive: nn.Linear | None = None,
        recursive_steps: int = 0,
    ) -> None:
        super().__init__()
        self.backbone = backbone
        self.head = head
        self.baseline = baseline or ForecastBaseline()
        self.autoregressive = autoregressive
        self.recursive_steps = recursive_steps  # 0: the head forecasts the horizon at once

    def forward(self, x: torch.Tensor, warmup_steps: int = 0) -> torch.Tensor:
        """x (batch, time, input) -> (batch, out), or (batch, time - warmup_steps, out) per step."""
        if self.recursive_steps:
            return self.forward_recursive(x)
        return self.forward_with_state(x, None, warmup_steps)[0]

    def forward_recursive(self, x: torch.Tensor) -> torch.Tensor:
        """The recursive strategy: forecast one step, append it to the window, slide, repeat.
        x (batch, time, 1) -> (batch, recursive_steps); gradients flow through the rollout."""
        forecasts = []
        for _ in range(self.recursive_steps):
            step = self.forward_with_state(x, None)[0]  # (batch, 1)
            forecasts.append(step)
            x = torch.cat([x[:, 1:], step.unsqueeze(-1)], dim=1)  # (batch, time, 1)
        return torch.cat(forecasts, dim=1)

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
        if self.autoregressive is not None:  # LSTNet's linear path beside the network
            prediction = prediction + self.autoregressive(x[:, :, 0])  # (batch, horizon)
        return self.baseline.add_back(window, prediction), state


def head_kind(config: ModelConfig, per_step_targets: bool) -> str:
    """`auto` means per_step for sequence labeling and last otherwise (checked in config)."""
    if config.head == "auto":
        return "per_step" if per_step_targets else "last"
    return str(config.head)


def build_model(config: ModelConfig, facts: DataFacts) -> SequenceModel:
    """Build from a checked `model` config plus the sizes the data module reports."""
    backbone = RecurrentBackbone(
        kind=str(config.kind),
        input_size=facts.input_size,
        hidden_size=config.hidden_size,
        num_layers=config.num_layers,
        dropout=config.dropout,
        bidirectional=config.bidirectional,
        nonlinearity=str(getattr(config, "nonlinearity", "tanh")),
        implementation=str(config.implementation),
        module=getattr(config, "module", None),
        settings=plain(getattr(config, "settings", {})),
    )
    forget_bias = getattr(config, "forget_bias", None)
    initialize(backbone.rnn, str(config.init), config.hidden_size, forget_bias)
    per_step = facts.task == "labeling"
    recursive = config.decoder == "recursive"  # one step at a time, facts.output_size steps
    outputs = 1 if recursive else facts.output_size
    head = Head(
        head_kind(config, per_step),
        backbone.output_size,
        outputs,
        norm=str(config.head_norm),
        dropout=config.head_dropout,
    )
    baseline = ForecastBaseline(str(config.baseline), facts.season or 1)
    autoregressive = None
    if config.autoregressive:  # starts at zero: at first the forecast is the baseline's
        autoregressive = nn.Linear(facts.window or 1, outputs)
        nn.init.zeros_(autoregressive.weight)
        nn.init.zeros_(autoregressive.bias)
    steps = facts.output_size if recursive else 0
    return SequenceModel(backbone, head, baseline, autoregressive, steps)
