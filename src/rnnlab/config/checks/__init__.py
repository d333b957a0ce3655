"""Every range and cross-field check of a run's config, run before any data, model or
Trainer is built; one module per group it checks (model_checks, data_checks, trainer_checks,
training_checks, callback_checks, run_checks), made of require's small checks.

Types, choices and key names are already enforced by the schemas when Hydra composes; these
modules check what a type cannot say (ranges, and settings that do not go together). Each
failure is a ConfigError naming the key, the value and what is allowed. The one check that
needs the data itself (which metrics the task logs) is `check_metric_names`, run once the
data module has been built and before the model.
"""

from __future__ import annotations

from rnnlab.config.checks.callback_checks import (
    check_callback_targets,
    check_callbacks,
    check_chosen_names,
)
from rnnlab.config.checks.data_checks import check_csv_series, check_data
from rnnlab.config.checks.model_checks import check_model, check_model_fits_data
from rnnlab.config.checks.require import require_int
from rnnlab.config.checks.run_checks import check_auto, check_metric_names, check_resume
from rnnlab.config.checks.trainer_checks import (
    check_trainer,
    check_validation,
    validation_batches_off,
)
from rnnlab.config.checks.training_checks import check_optimizer, check_scheduler, check_training
from rnnlab.config.run_config import RunConfig

__all__ = [
    "check_config",
    "check_csv_series",
    "check_data",
    "check_metric_names",
    "check_model",
    "check_model_fits_data",
    "validation_batches_off",
]


def check_config(config: RunConfig, multirun: bool = False) -> None:
    """Raise ConfigError for the first bad value, naming its key."""
    require_int("seed", config.seed, 0)
    if config.torch_threads is not None:
        require_int("torch_threads", config.torch_threads, 1)
    check_model(config.model)
    check_optimizer(config.optimizer)
    check_trainer(config.trainer, multirun)
    check_data(config.data)
    check_training(config)
    check_model_fits_data(config.model, config.data)
    check_validation(config)
    check_resume(config)
    check_auto(config)
    check_chosen_names(config)
    check_callbacks(config)
    check_callback_targets(config)
    check_scheduler(config)
