"""Monthly international airline passengers, 1949-01 to 1960-12 (Box & Jenkins series G)."""

from __future__ import annotations

import csv
from importlib import resources

import torch

from rnnlab.config_errors import ConfigError, require_bool, require_int
from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.windows import sliding_windows, split_by_target


def load_passengers() -> tuple[list[str], torch.Tensor]:
    """The 144 months shipped in the package -> (month labels, values (144,) in passengers)."""
    text = resources.files("rnnlab.data").joinpath("resources/airpassengers.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    months = [row["month"] for row in rows]
    values = torch.tensor([float(row["passengers"]) for row in rows])
    return months, values


class PassengersDataModule(InMemoryDataModule):
    """Windows of `window` past months predict the next `horizon` months.

    The last `test_months` (1960) are the test period and the `val_months` before them (1959)
    validation. A window belongs to the split holding all its targets. The log (optional) and
    the standardisation are fitted on the training months only; metrics are reported back in
    passengers.
    """

    def __init__(
        self,
        window: int = 24,
        horizon: int = 12,
        val_months: int = 12,
        test_months: int = 12,
        log_transform: bool = True,
        batch_size: int = 16,
        seed: int = 0,
    ) -> None:
        super().__init__(batch_size=batch_size, seed=seed)
        require_int("data.window", window, 1)
        require_int("data.horizon", horizon, 1)
        require_int("data.val_months", val_months, 1)
        require_int("data.test_months", test_months, 1)
        require_bool("data.log_transform", log_transform)
        self.months, self.values = load_passengers()
        test_start = len(self.values) - test_months
        val_start = test_start - val_months
        if horizon > min(val_months, test_months):
            raise ConfigError(
                "data.horizon",
                horizon,
                f"at most val_months/test_months ({val_months}/{test_months})",
            )
        if window + horizon > val_start:
            raise ConfigError(
                "data.window",
                window,
                f"window + horizon ({horizon}) must fit in the {val_start} training months "
                f"of the {len(self.values)}-month series: window <= {val_start - horizon}",
            )
        transformed = torch.log(self.values) if log_transform else self.values
        train_part = transformed[:val_start]  # scaling sees training months only
        mean, std = train_part.mean().item(), train_part.std().item()
        scaled = (transformed - mean) / std
        inputs, targets, first = sliding_windows(scaled, window, horizon)
        self.splits = split_by_target(inputs, targets, first, horizon, val_start, test_start)
        self.facts = DataFacts(
            task="forecasting",
            input_size=1,
            output_size=horizon,
            target_mean=mean,
            target_std=std,
            target_log=log_transform,
            percentage_errors=True,
        )
