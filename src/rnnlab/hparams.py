"""TensorBoard HPARAMS: the run's hyperparameters next to its real final metrics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lightning.pytorch.loggers import TensorBoardLogger

Scalar = bool | int | float | str


def flat_hyperparameters(config: Mapping[str, Any], groups: tuple[str, ...]) -> dict[str, Scalar]:
    """Flatten the chosen config groups to {'model/hidden_size': 64, ...}; None becomes 'None'."""
    flat: dict[str, Scalar] = {}

    def visit(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                visit(f"{prefix}/{key}" if prefix else str(key), inner)
        elif isinstance(value, (bool, int, float, str)):
            flat[prefix] = value
        else:
            flat[prefix] = str(value)

    for group in groups:
        if group in config:
            visit(group, config[group])
    return flat


def log_hparams_with_metrics(
    logger: TensorBoardLogger, hyperparameters: Mapping[str, Scalar], metrics: Mapping[str, float]
) -> None:
    """One HPARAMS entry whose metric columns (`hp/val/loss`, ...) hold the final values.

    Written once, when the values are known, instead of Lightning's placeholder hp_metric.
    """
    logger.log_hyperparams(dict(hyperparameters), {f"hp/{k}": v for k, v in metrics.items()})
    logger.finalize("success")
