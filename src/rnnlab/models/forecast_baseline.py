"""What a forecasting model predicts relative to, for one series forecast from itself.

none            the model's output is the forecast
window_mean     the model reads its window minus the window's mean and the mean is added
                back to its output: a reversible instance normalisation (after RevIN, Kim et
                al. 2022, without the scale), so a level never seen in training is no problem
seasonal_naive  as window_mean for the input; the output is added to the seasonal naive
                forecast (each step's value one data.season earlier), so the network learns
                the change over a season, as the SARIMA airline model does
"""

from __future__ import annotations

import torch
from torch import nn


class ForecastBaseline(nn.Module):
    def __init__(self, kind: str = "none", season: int = 1) -> None:
        super().__init__()
        self.kind, self.season = kind, season

    def normalise(self, x: torch.Tensor) -> torch.Tensor:
        """x (batch, time, 1) -> what the network reads."""
        if self.kind == "none":
            return x
        return x - x.mean(dim=1, keepdim=True)

    def add_back(self, x: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
        """The network's output (batch, horizon) -> the forecast (batch, horizon)."""
        if self.kind == "window_mean":
            return output + x.mean(dim=1)[:, :1]  # + (batch, 1)
        if self.kind == "seasonal_naive":  # horizon <= season <= window: checked in config
            time, horizon = x.shape[1], output.shape[1]
            start = time - self.season
            return output + x[:, start : start + horizon, 0]  # value one season before each step
        return output
