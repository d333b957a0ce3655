"""The `model` group (conf/model/): a recurrent backbone and an output head.

Each field's default is written here and only here; the comment beside it is its meaning.
Input and output sizes are not settings: they come from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from rnnlab.config.choices import (
    Decoder,
    ForecastBaselineKind,
    HeadKind,
    HeadNorm,
    Implementation,
    Init,
    Nonlinearity,
)


@dataclass
class ModelConfig:
    # the cell; pick it with model=, not by this key (a model of your own names its cell)
    kind: str = MISSING
    # torch: nn.RNN/LSTM/GRU (cuDNN on GPU); scratch: rnnlab's layer written from the
    # equations (src/rnnlab/models/scratch.py). `model=scratch_lstm` is `model=lstm
    # model.implementation=scratch`. Same parameter names, so weights load either way
    implementation: Implementation = Implementation.torch
    # units per layer and direction
    # allowed: an integer >= 1
    hidden_size: int = 64
    # stacked recurrent layers
    # allowed: an integer >= 1
    num_layers: int = 1
    # dropout between stacked layers (torch's placement: none after the last layer, so no
    # effect with one layer)
    # allowed: a number in [0, 1)
    dropout: float = 0.0
    # read both ways; the head then sees the forward state after t = T-1 and the backward
    # state after reading back to t = 0 (not `out[:, -1]`, whose backward half has seen one
    # step)
    bidirectional: bool = False
    # `default`: torch's U(±1/√hidden); `small_normal`: weights N(0, 0.01²), biases 0 (the
    # seeds' scratch RNN); `orthogonal`: each gate's recurrent block orthogonal, biases 0;
    # `identity`: IRNN (Le, Jaitly & Hinton 2015), W_hh = I, biases 0, small input weights;
    # `rnn` only, meant with `nonlinearity=relu`
    init: Init = Init.default
    # `last`: the last layer's final state(s); `mean`: outputs averaged over time;
    # `per_step`: an output at every step (many-to-many, for labeling data). `auto`: per_step
    # for labeling data, else last
    head: HeadKind = HeadKind.auto
    # BatchNorm or LayerNorm before the output layer
    head_norm: HeadNorm = HeadNorm.none
    # dropout before the output layer
    # allowed: a number in [0, 1)
    head_dropout: float = 0.0
    # forecasting one series (sine, passengers, csv): the network reads the window minus its
    # mean and its output is added to a forecast that needs no training. `window_mean`: the
    # window's mean (reversible instance normalisation without the scale, after RevIN, Kim et
    # al. 2022), so a level outside the training range is forecast from the shape; `revin`:
    # also divided by the window's standard deviation, which multiplies the output back;
    # `seasonal_naive`: each step's value at the same point of the window's last season;
    # `seasonal_mean`: the window's seasonal pattern averaged over its whole seasons, at its
    # last season's level (seasonal naive with the noise of one season averaged away). The
    # seasonal ones need data.season <= window and repeat the season over horizons longer
    # than one. data=csv sets seasonal_mean
    baseline: ForecastBaselineKind = ForecastBaselineKind.none
    # forecasting one series: a linear map of the (normalised) window added to the network's
    # output, LSTNet's autoregressive path (Lai et al. 2018); starts at zero
    autoregressive: bool = False
    # forecasting one series: `direct`, the head forecasts the whole horizon at once;
    # `recursive`, one step, fed back as the next input, horizon times (trained through that
    # rollout); not with covariates
    decoder: Decoder = Decoder.direct


@dataclass
class RNNConfig(ModelConfig):
    """Elman RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)."""

    kind: str = "rnn"
    # the cell's activation (relu with init=identity is the IRNN)
    nonlinearity: Nonlinearity = Nonlinearity.tanh


@dataclass
class LSTMConfig(ModelConfig):
    """Long short-term memory."""

    kind: str = "lstm"
    # the forget gate's bias at start (1.0 as Jozefowicz et al. 2015 advise); null keeps the
    # init's
    forget_bias: float | None = None


@dataclass
class GRUConfig(ModelConfig):
    """Gated recurrent unit."""

    kind: str = "gru"


@dataclass
class ModuleModelConfig(ModelConfig):
    """A recurrent layer of your own, by its class: conf/model/<name>.yaml starts from
    `- /schema/model@_here_: module` and sets `kind` (its name) and `module`. Everything
    around the layer (heads, baselines, warm-up, truncated BPTT, metrics) is rnnlab's."""

    # the layer's class, `package.module.Class`: built as Class(input_size=, hidden_size=,
    # num_layers=, dropout=, bidirectional=, batch_first=True, **settings) and called as
    # nn.GRU is, (batch, time, input) and a state or None -> (outputs, state); torch.nn.GRU
    # itself is one
    # allowed: an importable torch.nn.Module class taking those arguments
    module: str = MISSING
    # the layer's own keyword arguments, beyond those above
    # allowed: a mapping of the class's argument names to values
    settings: dict[str, Any] = field(default_factory=dict)


MODEL_CONFIGS: dict[str, type[ModelConfig]] = {
    "rnn": RNNConfig,
    "lstm": LSTMConfig,
    "gru": GRUConfig,
    "module": ModuleModelConfig,
}
