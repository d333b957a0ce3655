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

import logging
import math
from dataclasses import replace

import torch

from rnnlab.config.convert import resolved
from rnnlab.config.data import AUTOMATIC_WINDOW_SEASONS, SeriesConfig
from rnnlab.data.dates import season_phase
from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.log_choice import use_log
from rnnlab.data.series_file import SeriesValues
from rnnlab.data.windows import sliding_windows, split_by_target
from rnnlab.errors import ConfigError, DataError
from rnnlab.forecast.accuracy import seasonal_naive_scale

log = logging.getLogger(__name__)


def fitted_window(series: SeriesValues, config: SeriesConfig) -> int:
    """data.window, or for null the most whole seasons (four at most, one at least) whose
    windows leave at least a season of training windows in the series' training part: a
    short series is forecast with a shorter window, not refused. Below one season it is
    refused, saying how many periods it would need."""
    if config.window is not None:
        return config.window
    length, season, horizon = len(series.values), config.season, config.horizon
    training = length - config.val_periods - config.test_periods
    for seasons in range(AUTOMATIC_WINDOW_SEASONS, 0, -1):
        window = seasons * season
        if training - window - horizon + 1 >= season:  # a season of training windows
            if seasons < AUTOMATIC_WINDOW_SEASONS:
                log.info("data.window: %d seasons (%d periods) fit this %d-period series' "
                         "training part, not %d", seasons, window, length,
                         AUTOMATIC_WINDOW_SEASONS)  # fmt: skip
            return window
    needed = 2 * season + horizon - 1 + config.val_periods + config.test_periods
    raise DataError(series.file, f"{length} rows are too few: data.window=null (fitted to the "
                                 f"series) needs at least {needed}: one season ({season}) of "
                                 f"window, the horizon ({horizon}), a season of training "
                                 f"windows, val_periods ({config.val_periods}) and test_periods "
                                 f"({config.test_periods})", column=series.column)  # fmt: skip


def check_series_fits(series: SeriesValues, config: SeriesConfig) -> None:
    """The settings need enough values, and a log needs every value > 0 (named by line)."""
    length, horizon = len(series.values), config.horizon
    needed = config.window + horizon + config.val_periods + config.test_periods
    if length < 1 + needed - config.window:  # not even a window of one value trains
        raise DataError(series.file, f"{length} rows are too few for window ({config.window}) + "
                                     f"horizon ({horizon}) + val_periods ({config.val_periods}) "
                                     f"+ test_periods ({config.test_periods}) = {needed}",
                        column=series.column)  # fmt: skip
    training = length - config.val_periods - config.test_periods
    if config.window + horizon > training:
        raise ConfigError("data.window", config.window,
                          f"window + horizon ({horizon}) must fit in the {training} training "
                          f"periods of the {length}-period series: window <= "
                          f"{training - horizon}")  # fmt: skip
    if config.log_transform is True and bool((series.values <= 0).any()):
        index = int((series.values <= 0).nonzero()[0])
        value = series.values[index].item()
        raise DataError(series.file, f"holds {value:g} ({series.labels[index]}), not > 0, and "
                                     "data.log_transform=true needs every value > 0",
                        series.lines[index], series.column)  # fmt: skip


def calendar_features(length: int, first_date: object, season: int) -> torch.Tensor:
    """-> (length, 2): sine and cosine of each period's place in its season, known ahead."""
    phase = (torch.arange(length) + season_phase(first_date, season)) % season
    angle = 2 * math.pi * phase.double() / season
    return torch.stack([angle.sin(), angle.cos()], dim=1).float()


def standardised(columns: torch.Tensor, train_end: int) -> torch.Tensor:
    """Covariates (length, k) on the scale of their training part (statistics from it only)."""
    train = columns[:train_end]
    std = train.std(dim=0)
    return (columns - train.mean(dim=0)) / torch.where(std > 0, std, torch.ones_like(std))


class SeriesDataModule(InMemoryDataModule):
    def __init__(self, series: SeriesValues, config: SeriesConfig) -> None:
        config = resolved(config)  # a config made in Python keeps `${.season}` unresolved
        super().__init__(batch_size=config.batch_size, seed=config.seed)
        series = series.first(len(series.values) - config.hold_back)
        config = replace(config, window=fitted_window(series, config))
        check_series_fits(series, config)
        self.config = config
        self.series = series
        self.labels, self.values = series.labels, series.values  # (length,) in series units
        self.window, self.train_through_val = config.window, config.train_through_val
        self.test_start = len(self.values) - config.test_periods
        self.val_start = self.test_start - config.val_periods
        train_end = self.test_start if config.train_through_val else self.val_start
        self.log_transform = use_log(config.log_transform, self.values, train_end, config.season)
        transformed = torch.log(self.values) if self.log_transform else self.values
        train_part = transformed[:train_end]  # scaling sees the training part only
        mean, std = train_part.mean().item(), train_part.std().item()
        self.mean, self.std = mean, std if std > 0 else 1.0
        channels = [self.scale(self.values).unsqueeze(1)]  # (length, 1): the series
        if config.calendar:
            channels.append(calendar_features(len(self.values), series.first_date, config.season))
        if series.extra is not None:
            channels.append(standardised(series.extra, train_end))
        table = torch.cat(channels, dim=1)  # (length, channels)
        inputs, targets, first = sliding_windows(table, self.window, config.horizon)
        self.splits = split_by_target(inputs, targets, first, config.horizon, self.val_start,
                                      self.test_start, train_end)  # fmt: skip
        self.facts = DataFacts(
            task="forecasting",
            input_size=table.shape[1],
            output_size=config.horizon,
            target_mean=self.mean,
            target_std=self.std,
            target_log=self.log_transform,
            percentage_errors=bool((self.values > 0).all()),
            # the scale uses all values before the test period, as the baselines' fits do
            mase_scale=seasonal_naive_scale(self.values[: self.test_start], config.season),
            season=config.season,
            window=config.window,
        )

    def scale(self, values: torch.Tensor) -> torch.Tensor:
        """Series units -> what the model reads: (log v if log_transform else v - mean) / std."""
        transformed = torch.log(values) if self.log_transform else values
        return (transformed - self.mean) / self.std
