"""A user's own univariate series from a CSV file: `data=csv data.path=... data.target=...`."""

from __future__ import annotations

import csv
from pathlib import Path

import torch

from rnnlab.config_errors import ConfigError
from rnnlab.data.series import SeriesDataModule


def load_series_csv(path: str, target: str, date_column: str) -> tuple[list[str], torch.Tensor]:
    """-> (date labels, values) from the rows of `path`, in file order (oldest first)."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise ConfigError("data.path", path, "an existing CSV file")
    with file.open(newline="") as stream:
        reader = csv.DictReader(stream)
        columns = reader.fieldnames or []
        for key, column in (("data.target", target), ("data.date_column", date_column)):
            if column not in columns:
                raise ConfigError(key, column, f"a column of {file.name}: {', '.join(columns)}")
        dates, values = [], []
        for line, row in enumerate(reader, start=2):  # line 1 is the header
            try:
                values.append(float(row[target]))
            except (TypeError, ValueError):
                raise ConfigError("data.target", target,
                                  f"a column of numbers; line {line} of {file.name} "
                                  f"holds {row[target]!r}") from None  # fmt: skip
            dates.append(row[date_column])
    if len(values) < 3:
        raise ConfigError(
            "data.path", path, f"a series of at least 3 rows; {file.name} has {len(values)}"
        )
    return dates, torch.tensor(values)


class CsvSeriesDataModule(SeriesDataModule):
    """The same windows, splits, scaling and metrics as passengers, on the user's series."""

    def __init__(
        self,
        path: str,
        target: str,
        date_column: str = "date",
        window: int = 24,
        horizon: int = 12,
        val_periods: int = 12,
        test_periods: int = 12,
        log_transform: bool = False,
        batch_size: int = 16,
        seed: int = 0,
        season: int = 1,
        train_through_val: bool = False,
    ) -> None:
        dates, values = load_series_csv(path, target, date_column)
        super().__init__(dates, values, window, horizon, val_periods, test_periods,
                         log_transform, batch_size, seed, season, train_through_val)  # fmt: skip
