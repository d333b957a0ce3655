"""The model group's checks, and whether a model suits the data it is given."""

from __future__ import annotations

from rnnlab.config.checks.module_checks import check_model_module
from rnnlab.config.checks.require import require_choice_fixed, require_fraction, require_int
from rnnlab.config.data import (
    DataConfig,
)
from rnnlab.config.model import ModelConfig, ModuleModelConfig
from rnnlab.errors import ConfigError


def check_model(model: ModelConfig) -> None:
    if isinstance(model, ModuleModelConfig):
        check_model_module(model)
    else:
        require_choice_fixed("model.kind", model.kind, type(model).kind, "model")  # type: ignore[attr-defined]
    require_int("model.hidden_size", model.hidden_size, 1)
    require_int("model.num_layers", model.num_layers, 1)
    require_fraction("model.dropout", model.dropout)
    require_fraction("model.head_dropout", model.head_dropout)
    if model.init == "identity" and model.kind != "rnn":
        allowed = "identity (IRNN) is for model=rnn; use orthogonal"
        raise ConfigError("model.init", "identity", allowed)


def check_model_fits_data(model: ModelConfig, data: DataConfig) -> None:
    """The head must suit the task; a forecast baseline needs one series and its season."""
    per_step = data.task == "labeling"
    if model.head != "auto" and (model.head == "per_step") != per_step:
        wanted = "per_step (or auto)" if per_step else "last or mean (or auto)"
        raise ConfigError("model.head", str(model.head), f"data={data.name} needs head {wanted}")
    covariates = (getattr(data, "calendar", False) or getattr(data, "covariates", [])
                  or getattr(data, "series_id", False))  # fmt: skip
    if model.decoder == "recursive" and covariates:
        raise ConfigError("model.decoder", "recursive", "direct with covariates, calendar "
                          "features or series identity (the recursion would need their "
                          "future values)")  # fmt: skip
    if model.decoder == "recursive" and data.forecast_horizon() is None:
        raise ConfigError("model.decoder", "recursive", f"direct for data={data.name}: the "
                          "recursive strategy is for one series forecast from itself")  # fmt: skip
    if model.autoregressive and data.forecast_horizon() is None:
        raise ConfigError("model.autoregressive", True, f"false for data={data.name}: the "
                          "linear path is for one series forecast from itself")  # fmt: skip
    if model.baseline == "none":
        return
    horizon = data.forecast_horizon()
    if horizon is None:
        raise ConfigError(
            "model.baseline",
            str(model.baseline),
            f"none for data={data.name}: a baseline is for one series forecast "
            "from itself (sine, passengers, csv)",
        )
    if model.baseline in ("seasonal_naive", "seasonal_mean"):
        season, window = data.seasonal_period(), data.window_length()
        kind = str(model.baseline)
        if season is None:
            allowed = (
                f"window_mean or none: {kind} needs a seasonal series "
                f"(data.season of passengers or csv); data={data.name} has no season"
            )
            raise ConfigError("model.baseline", kind, allowed)
        if not season <= window:
            allowed = (
                f"window_mean or none here: {kind} needs data.season ({season}) <= "
                f"the window ({window})"
            )
            raise ConfigError("model.baseline", kind, allowed)
