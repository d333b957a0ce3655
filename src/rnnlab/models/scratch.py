"""Recurrent layers written from their equations, with no nn.RNN/LSTM/GRU inside.

Parameters carry torch.nn's names and shapes (weight_ih_l0, weight_hh_l0_reverse, ...), so a
torch.nn state_dict loads into a scratch module and back. Equations as in torch's docs:

  RNN   h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
  LSTM  i, f, g, o = split(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)      (gate order i f g o)
        c_t = sigmoid(f) * c_{t-1} + sigmoid(i) * tanh(g);  h_t = sigmoid(o) * tanh(c_t)
  GRU   r, z = sigmoid(split(W_ir,iz x_t + b + W_hr,hz h_{t-1} + b))   (gate order r z n)
        n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn));  h_t = (1 - z) * n + z * h_{t-1}

Speed: the input projection W_ih x_t + b_ih is one matrix product over all time steps;
only the recurrent product stays inside the Python loop over time.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]


def rnn_steps(
    projected: torch.Tensor, h: torch.Tensor, w_hh: torch.Tensor, b_hh: torch.Tensor, relu: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """projected (batch, time, hidden) = W_ih x + b_ih -> outputs (batch, time, hidden), h_T."""
    act = torch.relu if relu else torch.tanh
    outputs = []
    for t in range(projected.shape[1]):
        h = act(projected[:, t] + F.linear(h, w_hh, b_hh))  # (batch, hidden)
        outputs.append(h)
    return torch.stack(outputs, dim=1), h


def lstm_steps(
    projected: torch.Tensor,
    state: tuple[torch.Tensor, torch.Tensor],
    w_hh: torch.Tensor,
    b_hh: torch.Tensor,
) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    """projected (batch, time, 4*hidden) -> outputs (batch, time, hidden), (h_T, c_T)."""
    h, c = state
    outputs = []
    for t in range(projected.shape[1]):
        gates = projected[:, t] + F.linear(h, w_hh, b_hh)  # (batch, 4*hidden)
        i, f, g, o = gates.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        outputs.append(h)
    return torch.stack(outputs, dim=1), (h, c)


def gru_steps(
    projected: torch.Tensor, h: torch.Tensor, w_hh: torch.Tensor, b_hh: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """projected (batch, time, 3*hidden) -> outputs (batch, time, hidden), h_T."""
    outputs = []
    for t in range(projected.shape[1]):
        x_r, x_z, x_n = projected[:, t].chunk(3, dim=1)
        h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, dim=1)  # each (batch, hidden)
        r = torch.sigmoid(x_r + h_r)
        z = torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)
        h = (1 - z) * n + z * h
        outputs.append(h)
    return torch.stack(outputs, dim=1), h


class ScratchRecurrent(nn.Module):
    """A drop-in for nn.RNN / nn.LSTM / nn.GRU (batch_first=True): same call, same returns."""

    def __init__(
        self,
        kind: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        dropout: float = 0.0,
        bidirectional: bool = False,
        nonlinearity: str = "tanh",
    ) -> None:
        super().__init__()
        if kind not in GATES:
            raise ValueError(f"kind must be one of {sorted(GATES)}, got {kind!r}")
        self.kind, self.nonlinearity = kind, nonlinearity
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.dropout, self.bidirectional = dropout, bidirectional
        self.batch_first = True
        directions = 2 if bidirectional else 1
        width = GATES[kind] * hidden_size
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * directions
            for suffix in self._suffixes(layer):
                self.register_parameter(
                    f"weight_ih{suffix}", nn.Parameter(torch.empty(width, layer_input))
                )
                self.register_parameter(
                    f"weight_hh{suffix}", nn.Parameter(torch.empty(width, hidden_size))
                )
                self.register_parameter(f"bias_ih{suffix}", nn.Parameter(torch.empty(width)))
                self.register_parameter(f"bias_hh{suffix}", nn.Parameter(torch.empty(width)))
        self.reset_parameters()

    def _suffixes(self, layer: int) -> list[str]:
        return [f"_l{layer}"] + ([f"_l{layer}_reverse"] if self.bidirectional else [])

    def reset_parameters(self) -> None:
        """torch.nn's default: every weight and bias from U(-1/sqrt(hidden), 1/sqrt(hidden))."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -bound, bound)

    def _direction(
        self, x: torch.Tensor, suffix: str, state: State, reverse: bool
    ) -> tuple[torch.Tensor, State]:
        """One layer, one direction: x (batch, time, in) -> (batch, time, hidden), final state."""
        if reverse:
            x = x.flip(1)
        projected = F.linear(
            x, getattr(self, f"weight_ih{suffix}"), getattr(self, f"bias_ih{suffix}")
        )
        w_hh, b_hh = getattr(self, f"weight_hh{suffix}"), getattr(self, f"bias_hh{suffix}")
        if self.kind == "lstm":
            outputs, final = lstm_steps(projected, state, w_hh, b_hh)  # type: ignore[arg-type]
        elif self.kind == "gru":
            outputs, final = gru_steps(projected, state, w_hh, b_hh)  # type: ignore[arg-type]
        else:
            outputs, final = rnn_steps(projected, state, w_hh, b_hh, self.nonlinearity == "relu")  # type: ignore[arg-type]
        return (outputs.flip(1) if reverse else outputs), final

    def forward(self, x: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        """x (batch, time, input), state h_0 or (h_0, c_0) ->
        outputs (batch, time, directions*hidden), h_n or (h_n, c_n);
        every state tensor is (layers*directions, batch, hidden), as in torch."""
        directions = 2 if self.bidirectional else 1
        if state is None:
            zeros = x.new_zeros(self.num_layers * directions, x.shape[0], self.hidden_size)
            state = (zeros, zeros) if self.kind == "lstm" else zeros
        finals: list[State] = []
        layer_input = x
        for layer in range(self.num_layers):
            outputs = []
            for d, suffix in enumerate(self._suffixes(layer)):
                index = layer * directions + d
                start = (state[0][index], state[1][index]) if self.kind == "lstm" else state[index]  # type: ignore[index]
                out, final = self._direction(layer_input, suffix, start, reverse=d == 1)
                outputs.append(out)
                finals.append(final)
            layer_input = torch.cat(outputs, dim=2) if directions == 2 else outputs[0]
            if layer < self.num_layers - 1 and self.dropout > 0:
                layer_input = F.dropout(layer_input, self.dropout, self.training)
        if self.kind == "lstm":
            h_n = torch.stack([f[0] for f in finals])  # type: ignore[index]
            c_n = torch.stack([f[1] for f in finals])  # type: ignore[index]
            return layer_input, (h_n, c_n)
        return layer_input, torch.stack(finals)  # type: ignore[arg-type]
