"""LightningDataModules for the built-in data sets, and what they tell the model."""

from rnnlab.data.facts import DataFacts
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.passengers import PassengersDataModule
from rnnlab.data.sine import SineDataModule
from rnnlab.data.synthetic import TemporalOrderDataModule

__all__ = [
    "DataFacts",
    "InMemoryDataModule",
    "PassengersDataModule",
    "SineDataModule",
    "TemporalOrderDataModule",
]
