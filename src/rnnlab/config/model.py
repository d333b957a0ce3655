"""The `model` group (conf/model/): a recurrent backbone and an output head.

Each field's default is written here and only here; the comment beside it is its meaning.
Input and output sizes are not settings: they come from the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from omegaconf import MISSING

from rnnlab.config.choices import (
    Decoder,
    ForecastBaselineKind,
    HeadKind,
    HeadNorm,
    Implementation,
    Init,
    Nonlinearity,
    RecurrentKind,
)


@dataclass
class ModelConfig:
    # rnn | lstm | gru: set by the model= choice
    kind: RecurrentKind = MISSING
    # torch: nn.RNN/LSTM/GRU (cuDNN on GPU); scratch: the equations (src/rnnlab/models/scratch.py)
    implementation: Implementation = Implementation.torch
    # units per layer and direction, >= 1
    hidden_size: int = 64
    # stacked recurrent layers, >= 1
    num_layers: int = 1
    # dropout between stacked layers, in [0, 1); none after the last layer (torch's placement)
    dropout: float = 0.0
    # read the sequence both ways; the head sees both directions' final states
    bidirectional: bool = False
    # default: torch's U(+-1/sqrt(hidden)); small_normal: N(0, 0.01^2), biases 0; orthogonal:
    # each gate's recurrent block orthogonal; identity: IRNN (model=rnn only)
    init: Init = Init.default
    # auto: per_step for labeling data, else last; last: final state(s); mean: outputs
    # averaged over time; per_step: an output at every step (many-to-many)
    head: HeadKind = HeadKind.auto
    # none | batch | layer: a BatchNorm or LayerNorm before the output layer
    head_norm: HeadNorm = HeadNorm.none
    # dropout before the output layer, in [0, 1)
    head_dropout: float = 0.0
    # forecasting one series: none; window_mean (read the window minus its mean, add the mean
    # back, after RevIN); revin (also divide by the window's spread); seasonal_naive (add the
    # output to the value one data.season earlier); seasonal_mean (to the window's seasonal
    # pattern averaged over its seasons, at the last season's level)
    baseline: ForecastBaselineKind = ForecastBaselineKind.none
    # forecasting one series: a linear map of the (normalised) window added to the network's
    # output, LSTNet's autoregressive path (Lai et al. 2018); it starts at zero
    autoregressive: bool = False
    # forecasting one series: direct (the head forecasts the whole horizon at once) or
    # recursive (one step, fed back as the next input, horizon times; trained through that)
    decoder: Decoder = Decoder.direct


@dataclass
class RNNConfig(ModelConfig):
    """Elman RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)."""

    kind: RecurrentKind = RecurrentKind.rnn
    # tanh or relu (relu with init=identity is the IRNN)
    nonlinearity: Nonlinearity = Nonlinearity.tanh


@dataclass
class LSTMConfig(ModelConfig):
    """Long short-term memory."""

    kind: RecurrentKind = RecurrentKind.lstm
    # the forget gate's bias at start (1.0 as Jozefowicz et al. 2015 advise); null keeps init's
    forget_bias: float | None = None


@dataclass
class GRUConfig(ModelConfig):
    """Gated recurrent unit."""

    kind: RecurrentKind = RecurrentKind.gru


MODEL_CONFIGS: dict[str, type[ModelConfig]] = {
    "rnn": RNNConfig,
    "lstm": LSTMConfig,
    "gru": GRUConfig,
}
