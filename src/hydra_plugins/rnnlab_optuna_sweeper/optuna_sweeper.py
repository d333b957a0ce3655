"""The Sweeper Hydra instantiates for `hydra/sweeper=optuna`; the work is in _optuna_search,
imported only when a search starts (Hydra imports this module whenever it scans for
plugins)."""

from __future__ import annotations

from typing import Any

from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig


class OptunaSweeper(Sweeper):
    def __init__(self, **settings: Any) -> None:
        try:
            import optuna  # noqa: F401
        except ImportError:
            from rnnlab.errors import ConfigError

            raise ConfigError("hydra/sweeper", "optuna", "another sweeper here: Optuna searches "
                              "need Optuna (pip install -e '.[optuna]')") from None  # fmt: skip
        from ._optuna_search import OptunaSearch

        self.search = OptunaSearch(**settings)

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        self.search.setup(hydra_context=hydra_context, task_function=task_function, config=config)

    def sweep(self, arguments: list[str]) -> None:
        self.search.sweep(arguments)
