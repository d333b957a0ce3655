"""k-step-ahead predictions by feeding a model its own predictions (d2l.ai, ch. 9.1)."""

from __future__ import annotations

from collections.abc import Callable

import torch

OneStep = Callable[[torch.Tensor], torch.Tensor]  # (n, tau, 1) -> (n, 1)


@torch.no_grad()
def k_step_predictions(
    one_step: OneStep, series: torch.Tensor, tau: int, max_k: int
) -> torch.Tensor:
    """-> (max_k, length): row k-1 holds the k-step-ahead prediction of every time step
    (NaN where there is no room), each made from observations ending k steps before it.

    Column c of the working matrix holds time r + c for row r: the first tau columns are
    observed, every later one is the model's prediction from the tau columns before it.
    """
    length = len(series)
    rows = length - tau - max_k + 1
    features = torch.zeros(rows, tau + max_k)
    for c in range(tau):
        features[:, c] = series[c : c + rows]
    for c in range(tau, tau + max_k):
        features[:, c] = one_step(features[:, c - tau : c].unsqueeze(-1)).reshape(rows)
    predictions = torch.full((max_k, length), float("nan"))
    for k in range(1, max_k + 1):
        times = torch.arange(rows) + tau + k - 1
        predictions[k - 1, times] = features[:, tau + k - 1]
    return predictions


def least_squares_ar(series: torch.Tensor, tau: int, train_end: int) -> torch.Tensor:
    """AR(tau) with intercept fitted by least squares on targets before train_end -> (tau + 1,)."""
    windows = series.unfold(0, tau + 1, 1)  # (n, tau + 1): tau inputs then the target
    train = windows[: train_end - tau]
    design = torch.cat([train[:, :tau], torch.ones(len(train), 1)], dim=1).double()
    return torch.linalg.lstsq(design, train[:, tau:].double()).solution.squeeze(1)
