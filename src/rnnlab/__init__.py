"""rnnlab: train and compare recurrent sequence models."""

__version__ = "0.1.0"
