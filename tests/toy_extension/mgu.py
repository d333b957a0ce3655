"""A layer of one's own, as docs/ARCHITECTURE.md's recipe adds it: the minimal gated unit
(Zhou et al. 2016), one gate where the GRU has two. Called as nn.GRU is."""

from __future__ import annotations

import torch
from torch import nn


class MGU(nn.Module):
    """f = σ(W_f x + U_f h + b_f); h̃ = tanh(W_h x + U_h (f ⊙ h) + b_h); h ← (1 - f) h + f h̃."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 dropout: float = 0.0, bidirectional: bool = False,
                 batch_first: bool = True) -> None:  # fmt: skip
        super().__init__()
        if bidirectional or not batch_first:
            raise ValueError("this MGU reads forwards, batch first")
        self.hidden_size, self.num_layers, self.dropout = hidden_size, num_layers, dropout
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size
            # torch's names, so rnnlab's initialisations find them: two blocks (f, h) each
            self.register_parameter(
                f"weight_ih_l{layer}", nn.Parameter(torch.randn(2 * hidden_size, width) * 0.1)
            )
            self.register_parameter(
                f"weight_hh_l{layer}", nn.Parameter(torch.randn(2 * hidden_size, hidden_size) * 0.1)
            )
            self.register_parameter(f"bias_ih_l{layer}", nn.Parameter(torch.zeros(2 * hidden_size)))

    def forward(self, x: torch.Tensor, state: torch.Tensor | None = None):
        """x (batch, time, input) -> outputs (batch, time, hidden), h_n (layers, batch, hidden)."""
        batch, finals = x.shape[0], []
        for layer in range(self.num_layers):
            w_ih, w_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            u_f, u_h = w_hh.split(self.hidden_size)
            inputs = x @ w_ih.T + getattr(self, f"bias_ih_l{layer}")  # (batch, time, 2 hidden)
            h = x.new_zeros(batch, self.hidden_size) if state is None else state[layer]
            steps = []
            for step in inputs.unbind(1):
                from_x_f, from_x_h = step.split(self.hidden_size, dim=-1)
                f = torch.sigmoid(from_x_f + h @ u_f.T)
                h = (1 - f) * h + f * torch.tanh(from_x_h + (f * h) @ u_h.T)
                steps.append(h)
            x = torch.stack(steps, 1)  # (batch, time, hidden)
            if layer < self.num_layers - 1:
                x = nn.functional.dropout(x, self.dropout, self.training)
            finals.append(h)
        return x, torch.stack(finals)
