"""Shape checks that stop silent broadcasting in the loss.

The classic pitfall: MSELoss of a (B, 1) prediction against a (B,) target broadcasts to
(B, B), compares every prediction with every target, and training quietly learns the mean.
"""

from __future__ import annotations

import torch


class ShapeMismatchError(ValueError):
    pass


def check_same_shape(prediction: torch.Tensor, target: torch.Tensor) -> None:
    if prediction.shape != target.shape:
        raise ShapeMismatchError(
            f"prediction shape {tuple(prediction.shape)} differs from target shape "
            f"{tuple(target.shape)}; the loss would broadcast them silently. Make the model "
            "output and the data targets agree (e.g. targets (batch, 1) for one value per window)."
        )


def check_classification_shapes(
    logits: torch.Tensor, target: torch.Tensor, num_classes: int
) -> None:
    if logits.dim() != 2 or logits.shape[1] != num_classes or target.shape != logits.shape[:1]:
        raise ShapeMismatchError(
            f"classification expects logits (batch, {num_classes}) and integer targets (batch,); "
            f"got logits {tuple(logits.shape)} and targets {tuple(target.shape)}"
        )


def check_labeling_shapes(logits: torch.Tensor, target: torch.Tensor, num_classes: int) -> None:
    if logits.dim() != 3 or logits.shape[2] != num_classes or target.shape != logits.shape[:2]:
        raise ShapeMismatchError(
            f"sequence labeling expects logits (batch, time, {num_classes}) and integer targets "
            f"(batch, time); got logits {tuple(logits.shape)} and targets {tuple(target.shape)}"
        )
