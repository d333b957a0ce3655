"""Monthly international airline passengers, 1949-01 to 1960-12 (Box & Jenkins series G)."""

from __future__ import annotations

from importlib import resources

from rnnlab.config.data import PassengersConfig
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.series_file import SeriesValues, read_series_csv


def load_passengers() -> SeriesValues:
    """The 144 months shipped in the package, read and checked as any user's CSV."""
    resource = resources.files("rnnlab.data").joinpath("resources/airpassengers.csv")
    with resources.as_file(resource) as path:
        return read_series_csv(path, target="passengers", date_column="month")


class PassengersDataModule(SeriesDataModule):
    """1960 (the last 12 months) is the test period, 1959 validation, by default."""

    def __init__(self, config: PassengersConfig) -> None:
        super().__init__(load_passengers(), config)
