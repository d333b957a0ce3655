"""What a forecasting model predicts relative to, for one series forecast from itself.

none            the model's output is the forecast
window_mean     the model reads its window minus the window's mean and the mean is added
                back to its output: a reversible instance normalisation (after RevIN, Kim et
                al. 2022, without the scale), so a level never seen in training is no problem
revin           as window_mean, also divided by the window's standard deviation, which
                multiplies the output back (RevIN without its learned affine map): a swing
                never seen in training is no problem either
seasonal_naive  as window_mean for the input; the output is added to the seasonal naive
                forecast (each step's value at the same point of the window's last
                season), so the network learns the change over a season, as the SARIMA
                airline model does
"""

from __future__ import annotations

import torch
from torch import nn


def seasonal_mean(x: torch.Tensor, season: int, horizon: int) -> torch.Tensor:
    """The window's seasonal pattern, averaged over its whole seasons and set at the last
    season's level: x (batch, time) -> (batch, horizon). Seasonal naive with the noise of one
    season averaged away."""
    seasons = x.shape[1] // season
    recent = x[:, x.shape[1] - seasons * season :].reshape(x.shape[0], seasons, season)
    pattern = (recent - recent.mean(dim=2, keepdim=True)).mean(dim=1)  # (batch, season)
    level = recent[:, -1].mean(dim=1, keepdim=True)  # (batch, 1): the last season's mean
    return cycle(pattern + level, horizon)


def cycle(season_values: torch.Tensor, horizon: int) -> torch.Tensor:
    """One season's values (batch, season) repeated over the horizon -> (batch, horizon): the
    classical seasonal naive rule for horizons longer than a season."""
    steps = torch.arange(horizon, device=season_values.device) % season_values.shape[1]
    return season_values[:, steps]


def spread(x: torch.Tensor) -> torch.Tensor:
    """Each window's standard deviation, kept off zero: x (batch, time, 1) -> (batch, 1, 1)."""
    return torch.sqrt(x.var(dim=1, keepdim=True, unbiased=False) + 1e-5)


class ForecastBaseline(nn.Module):
    def __init__(self, kind: str = "none", season: int = 1) -> None:
        super().__init__()
        self.kind, self.season = kind, season

    def normalise(self, x: torch.Tensor) -> torch.Tensor:
        """x (batch, time, channels), the series in channel 0 -> what the network reads: the
        series relative to its window; covariates (other channels) as they are."""
        if self.kind == "none":
            return x
        series = x[:, :, :1]  # (batch, time, 1)
        centred = series - series.mean(dim=1, keepdim=True)
        if self.kind == "revin":
            centred = centred / spread(series)
        return torch.cat([centred, x[:, :, 1:]], dim=2)

    def add_back(self, x: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
        """The network's output (batch, horizon) -> the forecast (batch, horizon)."""
        if self.kind == "window_mean":
            return output + x[:, :, 0].mean(dim=1, keepdim=True)  # + (batch, 1)
        if self.kind == "revin":
            series = x[:, :, :1]
            return output * spread(series)[:, :, 0] + series.mean(dim=1)  # (batch, horizon)
        if self.kind == "seasonal_naive":  # season <= window: checked in the config
            last_season = x[:, x.shape[1] - self.season :, 0]  # (batch, season)
            return output + cycle(last_season, output.shape[1])
        if self.kind == "seasonal_mean":
            return output + seasonal_mean(x[:, :, 0], self.season, output.shape[1])
        return output
