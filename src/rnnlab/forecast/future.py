"""Forecasting past the end of a series with a trained model, `horizon` values at a time."""

from __future__ import annotations

import torch

from rnnlab.data.series import SeriesDataModule
from rnnlab.tasks.regression import RegressionTask, TargetScaler


@torch.no_grad()
def forecast_future(task: RegressionTask, data: SeriesDataModule, steps: int) -> torch.Tensor:
    """The next `steps` values after the series' end, in its units -> (steps,).

    The model reads the last `window` values and predicts its horizon; for more steps than
    that, its own predictions are appended and it predicts again (recursive forecasting).
    `data` may be one member of several series: its own scaling goes in and comes out.
    """
    task.eval()
    history = data.scale(data.values)  # (length,) in the model's scaled units
    predicted: list[torch.Tensor] = []
    while sum(len(p) for p in predicted) < steps:
        window = history[-data.window :].view(1, -1, 1)  # (1, window, 1)
        step = task(window)[0]  # (horizon,) scaled
        predicted.append(step)
        history = torch.cat([history, step])
    return TargetScaler(data.facts)(torch.cat(predicted)[:steps])
