"""Weight initialisations, by parameter name, for torch.nn and scratch modules alike.

  default       torch's: U(-1/sqrt(hidden), 1/sqrt(hidden)) everywhere
  small_normal  weights N(0, 0.01^2), biases 0 (the seeds' from-scratch RNN)
  orthogonal    each gate's recurrent block orthogonal (Saxe et al. 2014), biases 0
  identity      IRNN (Le, Jaitly & Hinton 2015): W_hh = I, biases 0, W_ih ~ N(0, 0.001^2);
                meant for a ReLU RNN (kind rnn)
forget_bias sets an LSTM's forget-gate bias (Jozefowicz et al. 2015 recommend 1).
"""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def initialize(rnn: nn.Module, scheme: str, hidden_size: int, forget_bias: float | None) -> None:
    for name, parameter in rnn.named_parameters():
        if scheme == "small_normal":
            nn.init.normal_(parameter, std=0.01) if "weight" in name else nn.init.zeros_(parameter)
        elif scheme == "orthogonal":
            if name.startswith("weight_hh"):
                for block in parameter.split(hidden_size, dim=0):  # one (hidden, hidden) per gate
                    nn.init.orthogonal_(block)
            elif name.startswith("bias"):
                nn.init.zeros_(parameter)
        elif scheme == "identity":
            if name.startswith("weight_hh"):
                parameter.copy_(torch.eye(hidden_size))
            elif name.startswith("weight_ih"):
                nn.init.normal_(parameter, std=0.001)
            else:
                nn.init.zeros_(parameter)
    if forget_bias is not None:
        for name, parameter in rnn.named_parameters():
            if name.startswith("bias_ih"):  # gates i, f, g, o: the forget gate is the 2nd block
                parameter[hidden_size : 2 * hidden_size] = forget_bias
            elif name.startswith("bias_hh"):
                parameter[hidden_size : 2 * hidden_size] = 0.0
