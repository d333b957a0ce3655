"""The named choices of the config: composing a config refuses any other value.

Each is a str Enum whose values are its names, so code compares them with plain strings
(`config.kind == "lstm"`) and they print, format and serialise as those strings.
"""

from __future__ import annotations

from enum import Enum


class Choice(str, Enum):
    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def names(cls) -> list[str]:
        return [member.value for member in cls]


class Implementation(Choice):
    torch = "torch"  # torch.nn's RNN/LSTM/GRU (cuDNN on a GPU)
    scratch = "scratch"  # rnnlab's layers written from the equations


class Nonlinearity(Choice):
    tanh = "tanh"
    relu = "relu"


class Init(Choice):
    default = "default"
    small_normal = "small_normal"
    orthogonal = "orthogonal"
    identity = "identity"


class HeadKind(Choice):
    auto = "auto"
    last = "last"
    mean = "mean"
    per_step = "per_step"


class HeadNorm(Choice):
    none = "none"
    batch = "batch"
    layer = "layer"


class ForecastBaselineKind(Choice):
    none = "none"
    window_mean = "window_mean"
    revin = "revin"
    seasonal_naive = "seasonal_naive"
    seasonal_mean = "seasonal_mean"


class OptimizerName(Choice):
    adam = "adam"
    adamw = "adamw"
    sgd = "sgd"


class SchedulerName(Choice):
    none = "none"
    cosine = "cosine"
    step = "step"
    plateau = "plateau"
    warmup = "warmup"


class ClipAlgorithm(Choice):
    norm = "norm"
    value = "value"


class Mode(Choice):
    min = "min"
    max = "max"


class RegressionLoss(Choice):
    mse = "mse"  # squared error: the mean
    mae = "mae"  # absolute error: the median, what MAE and MASE score
    huber = "huber"  # squared near zero, absolute beyond one (scaled) unit


class Decoder(Choice):
    direct = "direct"  # the head forecasts every step of the horizon at once
    recursive = "recursive"  # one step at a time, each fed back as the next input


class ClassicalModel(Choice):
    """statsforecast's per-series models (auto.classical, the panel benchmark's yardsticks)."""

    SeasonalNaive = "SeasonalNaive"
    AutoETS = "AutoETS"
    AutoARIMA = "AutoARIMA"
    AutoTheta = "AutoTheta"
