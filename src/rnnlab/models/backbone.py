"""Recurrent backbones built on torch.nn's cuDNN-backed RNN, LSTM and GRU modules."""

from __future__ import annotations

import torch
from torch import nn

RECURRENT_MODULES: dict[str, type[nn.RNNBase]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class RecurrentBackbone(nn.Module):
    """Reads a batch-first sequence and returns the per-step outputs and the final states.

    The final state of the last layer is what a many-to-one head needs: for a bidirectional
    model it holds the forward direction after t = T-1 *and* the backward direction after
    reading back to t = 0, which `outputs[:, -1]` does not (its backward half has seen one step).
    """

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
        extra = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
        self.kind = kind
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.num_directions = 2 if bidirectional else 1
        self.rnn = RECURRENT_MODULES[kind](
            input_size=input_size,
            hidden_size=hidden_size,
            num_layers=num_layers,
            # torch applies this between layers only, never after the last one
            dropout=dropout if num_layers > 1 else 0.0,
            bidirectional=bidirectional,
            batch_first=True,
            **extra,
        )

    @property
    def output_size(self) -> int:
        return self.hidden_size * self.num_directions

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (batch, time, input) -> outputs (batch, time, D*hidden), final (batch, D*hidden).

        D is 2 for a bidirectional model, else 1; `final` is the last layer's final state.
        """
        outputs, state = self.rnn(x)
        h_n = state[0] if isinstance(state, tuple) else state  # LSTM returns (h_n, c_n)
        # h_n: (layers*D, batch, hidden), ordered layer by layer, forward before backward
        last_layer = h_n[-self.num_directions :]  # (D, batch, hidden)
        final = last_layer.transpose(0, 1).reshape(
            x.shape[0], self.output_size
        )  # (batch, D*hidden)
        return outputs, final
