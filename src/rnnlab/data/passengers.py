"""Monthly international airline passengers, 1949-01 to 1960-12 (Box & Jenkins series G)."""

from __future__ import annotations

import csv
from importlib import resources

import torch

from rnnlab.data.series import SeriesDataModule


def load_passengers() -> tuple[list[str], torch.Tensor]:
    """The 144 months shipped in the package -> (month labels, values (144,) in passengers)."""
    text = resources.files("rnnlab.data").joinpath("resources/airpassengers.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    months = [row["month"] for row in rows]
    values = torch.tensor([float(row["passengers"]) for row in rows])
    return months, values


class PassengersDataModule(SeriesDataModule):
    """1960 (the last 12 months) is the test period, 1959 validation, by default."""

    def __init__(
        self,
        window: int = 24,
        horizon: int = 12,
        val_periods: int = 12,
        test_periods: int = 12,
        log_transform: bool = True,
        batch_size: int = 16,
        seed: int = 0,
        season: int = 12,
        train_through_val: bool = False,
    ) -> None:
        months, values = load_passengers()
        super().__init__(months, values, window, horizon, val_periods, test_periods,
                         log_transform, batch_size, seed, season, train_through_val)  # fmt: skip
