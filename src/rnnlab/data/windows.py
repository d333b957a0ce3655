"""Sliding windows over a univariate series, assigned to splits by where their targets lie."""

from __future__ import annotations

import torch


def sliding_windows(
    series: torch.Tensor, window: int, horizon: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """series (length,) or (length, channels), the target in channel 0 -> inputs
    (n, window, channels), targets (n, horizon), first target index (n,).

    Window i reads series[i : i+window] and predicts series[i+window : i+window+horizon] of
    channel 0: the other channels (covariates) enter only up to the window's last step.
    """
    table = series if series.dim() == 2 else series.unsqueeze(1)  # (length, channels)
    span = window + horizon
    n = len(table) - span + 1
    if n < 1:
        raise ValueError(f"a series of {len(table)} values has no window of {span}")
    frames = table.unfold(0, span, 1)  # (n, channels, window + horizon)
    inputs = frames[:, :, :window].transpose(1, 2).contiguous()  # (n, window, channels)
    targets = frames[:, 0, window:].contiguous()  # (n, horizon)
    first_target = torch.arange(n) + window
    return inputs, targets, first_target


def split_by_target(
    inputs: torch.Tensor,
    targets: torch.Tensor,
    first_target: torch.Tensor,
    horizon: int,
    val_start: int,
    test_start: int,
    train_end: int | None = None,
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """A window belongs to the split that holds *all* of its targets; straddlers are dropped.

    So no training target lies in the validation or test period, and no validation target
    in the test period. Inputs may reach back into earlier periods, as in any forecast.
    train_end (default val_start) moves the end of training targets: test_start trains on
    the validation period too, for a final fit after settings were chosen on validation.
    """
    last_target = first_target + horizon - 1
    masks = {
        "train": last_target < (val_start if train_end is None else train_end),
        "val": (first_target >= val_start) & (last_target < test_start),
        "test": first_target >= test_start,
    }
    return {name: (inputs[mask], targets[mask]) for name, mask in masks.items()}
