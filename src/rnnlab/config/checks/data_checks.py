"""The data group's checks: ranges, and a CSV's target and id columns."""

from __future__ import annotations

from rnnlab.config.checks.module_checks import check_data_module
from rnnlab.config.checks.require import (
    require,
    require_choice_fixed,
    require_int,
    require_non_negative,
)
from rnnlab.config.data import (
    CsvConfig,
    DataConfig,
    EchoConfig,
    GeneratedConfig,
    ModuleDataConfig,
    SeriesConfig,
    SineConfig,
)
from rnnlab.errors import ConfigError


def check_data(data: DataConfig) -> None:
    if isinstance(data, ModuleDataConfig):
        check_data_module(data)
    else:
        require_choice_fixed("data.name", data.name, type(data).name, "data")  # type: ignore[attr-defined]
    require_int("data.batch_size", data.batch_size, 1)
    require_int("data.seed", data.seed, 0)
    if isinstance(data, SineConfig):
        require_int("data.num_points", data.num_points, 3)
        require_int("data.tau", data.tau, 1)
        require_non_negative("data.noise_std", data.noise_std)
        if not data.tau < data.train_end < data.val_end < data.num_points:
            raise ConfigError(
                "data.train_end/val_end",
                (data.train_end, data.val_end),
                f"need tau ({data.tau}) < train_end < val_end < num_points ({data.num_points})",
            )
    elif isinstance(data, GeneratedConfig):
        require_int("data.length", data.length, type(data).min_length)
        for split in ("train", "val", "test"):
            require_int(f"data.num_{split}", getattr(data, f"num_{split}"), 1)
        if isinstance(data, EchoConfig):
            require_int("data.symbols", data.symbols, 2)
            require_int("data.delay", data.delay, 0)
            if data.delay >= data.length:
                allowed = f"less than data.length ({data.length})"
                raise ConfigError("data.delay", data.delay, allowed)
    elif isinstance(data, SeriesConfig):
        for key in ("window", "horizon", "val_periods", "test_periods", "season"):
            if key != "window" or data.window is not None:  # null: fitted to the series
                require_int(f"data.{key}", getattr(data, key), 1)
        require_int("data.hold_back", data.hold_back, 0)
        if data.calendar and data.season < 2:
            raise ConfigError("data.calendar", True, "false without a season (data.season > 1 "
                              "says where each period falls in it)")  # fmt: skip
        require("data.log_transform", data.log_transform, lambda v: v in (True, False, "auto"),
                "true, false or auto")  # fmt: skip
        if isinstance(data, CsvConfig):
            check_csv_series(data)
        if data.horizon > min(data.val_periods, data.test_periods):
            allowed = f"at most val_periods/test_periods ({data.val_periods}/{data.test_periods})"
            raise ConfigError("data.horizon", data.horizon, allowed)


def check_csv_series(data: CsvConfig) -> None:
    """One target column, or several (one series each); an id column with one target."""
    target, names = data.target, data.target_columns()
    if names is not None:
        ok = bool(names) and all(isinstance(n, str) and n for n in names)
        if not ok or len(set(names)) != len(names):
            raise ConfigError("data.target", names, "a column name, or a list of distinct "
                              "column names (one series each)")  # fmt: skip
        if data.id_column is not None:
            allowed = "null with several target columns (long format has one value column)"
            raise ConfigError("data.id_column", data.id_column, allowed)
    elif not isinstance(target, str) or not target:
        raise ConfigError("data.target", target, "a column name, or a list of column names")
    if data.series_id and not data.several_series():
        raise ConfigError("data.series_id", True, "false for one series (identity is for "
                          "several: data.id_column or a list of data.target columns)")  # fmt: skip
