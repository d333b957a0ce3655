"""Recurrent backbones: torch.nn's cuDNN-backed modules, or the from-scratch ones."""

from __future__ import annotations

from typing import Any

import torch
from hydra.utils import get_class
from torch import nn

from rnnlab.models.scratch import ScratchRecurrent, State

RECURRENT_MODULES: dict[str, type[nn.RNNBase]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class RecurrentBackbone(nn.Module):
    """Reads a batch-first sequence; returns per-step outputs and the state (torch's layout).

    `implementation` picks torch.nn (cuDNN on GPU) or the from-scratch equations; both have
    the same parameter names, so weights move between them with load_state_dict. `module`
    names a layer of your own instead (`package.module.Class`, called as nn.GRU is).
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
        implementation: str = "torch",
        module: str | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.kind, self.implementation = kind, implementation
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.num_directions = 2 if bidirectional else 1
        # dropout acts between layers only, never after the last one (torch's placement)
        dropout = dropout if num_layers > 1 else 0.0
        if implementation == "scratch":
            self.rnn: nn.Module = ScratchRecurrent(
                kind, input_size, hidden_size, num_layers, dropout, bidirectional, nonlinearity
            )
        else:  # torch's layer for the kind, or one of your own built the same way
            layer = get_class(module) if module is not None else RECURRENT_MODULES[kind]
            extra = {"nonlinearity": nonlinearity} if kind == "rnn" and module is None else {}
            self.rnn = layer(
                input_size=input_size,
                hidden_size=hidden_size,
                num_layers=num_layers,
                dropout=dropout,
                bidirectional=bidirectional,
                batch_first=True,
                **extra,
                **(settings or {}),
            )

    @property
    def output_size(self) -> int:
        return self.hidden_size * self.num_directions

    def forward(self, x: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        """x (batch, time, input) -> outputs (batch, time, D*hidden), state h_n or (h_n, c_n),
        each (layers*D, batch, hidden). D is 2 for a bidirectional model, else 1."""
        return self.rnn(x, state)

    def last_layer_final(self, state: State) -> torch.Tensor:
        """The last layer's final state(s) -> (batch, D*hidden).

        For a bidirectional model: the forward direction after t = T-1 *and* the backward
        direction after reading back to t = 0, which `outputs[:, -1]` does not hold (its
        backward half has seen one step).
        """
        h_n = state[0] if isinstance(state, tuple) else state  # LSTM: (h_n, c_n)
        last_layer = h_n[-self.num_directions :]  # (D, batch, hidden)
        return last_layer.transpose(0, 1).reshape(h_n.shape[1], self.output_size)


def detach_state(state: State) -> State:
    """Cut the graph at a state (truncated BPTT, warm-up)."""
    if isinstance(state, tuple):
        return (state[0].detach(), state[1].detach())
    return state.detach()
