"""Forecasting windows over one univariate series: the machinery behind passengers and csv.

The last `test_periods` values are the test period and the `val_periods` before them
validation; `window` past values predict the next `horizon`. A window belongs to the split
that holds all its targets. The log (optional) and the standardisation are fitted on the
training part only, and metrics are reported back in the series' own units. `season` is
the seasonal period MASE scales by (12 for monthly data; 1 compares with the last value).

`train_through_val` is for the final fit, once settings (epochs included) were chosen on
validation: the validation period then trains too, so the model has seen the latest year
before forecasting the test period, as a classical model refitted on all history has.
Validation metrics are then in-sample, so the run keeps its last epoch (checkpoint.monitor
null).
"""

from __future__ import annotations

import torch

from rnnlab.config_errors import ConfigError, require_bool, require_int
from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.windows import sliding_windows, split_by_target
from rnnlab.forecast.errors import seasonal_naive_scale


class SeriesDataModule(InMemoryDataModule):
    def __init__(
        self,
        labels: list[str],
        values: torch.Tensor,
        window: int,
        horizon: int,
        val_periods: int,
        test_periods: int,
        log_transform: bool,
        batch_size: int,
        seed: int,
        season: int = 1,
        train_through_val: bool = False,
    ) -> None:
        super().__init__(batch_size=batch_size, seed=seed)
        require_int("data.window", window, 1)
        require_int("data.horizon", horizon, 1)
        require_int("data.val_periods", val_periods, 1)
        require_int("data.test_periods", test_periods, 1)
        require_bool("data.log_transform", log_transform)
        require_int("data.season", season, 1)
        require_bool("data.train_through_val", train_through_val)
        self.train_through_val = train_through_val
        self.labels, self.values = labels, values  # (length,) in the series' units
        self.test_start = len(values) - test_periods
        self.val_start = self.test_start - val_periods
        if horizon > min(val_periods, test_periods):
            allowed = f"at most val_periods/test_periods ({val_periods}/{test_periods})"
            raise ConfigError("data.horizon", horizon, allowed)
        if window + horizon > self.val_start:
            raise ConfigError(
                "data.window",
                window,
                f"window + horizon ({horizon}) must fit in the {self.val_start} training periods "
                f"of the {len(values)}-period series: window <= {self.val_start - horizon}",
            )
        if log_transform and bool((values <= 0).any()):
            row = int((values <= 0).nonzero()[0])
            allowed = f"false: value {values[row].item():g} at {labels[row]} is not > 0"
            raise ConfigError("data.log_transform", True, allowed)
        transformed = torch.log(values) if log_transform else values
        train_end = self.test_start if train_through_val else self.val_start
        train_part = transformed[:train_end]  # scaling sees the training part only
        mean, std = train_part.mean().item(), train_part.std().item()
        self.log_transform, self.mean, self.std = log_transform, mean, std if std > 0 else 1.0
        scaled = self.scale(values)
        inputs, targets, first = sliding_windows(scaled, window, horizon)
        self.splits = split_by_target(
            inputs, targets, first, horizon, self.val_start, self.test_start, train_end
        )
        self.window = window
        self.facts = DataFacts(
            task="forecasting",
            input_size=1,
            output_size=horizon,
            target_mean=mean,
            target_std=std if std > 0 else 1.0,
            target_log=log_transform,
            percentage_errors=bool((values > 0).all()),
            # the scale uses all values before the test period, as the baselines' fits do
            mase_scale=seasonal_naive_scale(values[: self.test_start], season),
        )

    def scale(self, values: torch.Tensor) -> torch.Tensor:
        """Series units -> what the model reads: (log v if log_transform else v - mean) / std."""
        transformed = torch.log(values) if self.log_transform else values
        return (transformed - self.mean) / self.std
