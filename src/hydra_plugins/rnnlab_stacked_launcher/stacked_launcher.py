"""The Launcher Hydra instantiates for `hydra/launcher=stacked`; the work is in _stacked_launch,
imported only when jobs launch (Hydra imports this module whenever it scans for plugins)."""

from __future__ import annotations

from collections.abc import Sequence

from hydra.core.utils import JobReturn
from hydra.plugins.launcher import Launcher
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig

from .stacked_launcher_config import StackedLauncherConf  # noqa: F401 - registers hydra/launcher=stacked


class StackedLauncher(Launcher):
    def __init__(self, max_replicas: int = 64) -> None:
        self.max_replicas = max_replicas
        self.config: DictConfig | None = None
        self.hydra_context: HydraContext | None = None
        self.task_function: TaskFunction | None = None

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        self.config, self.hydra_context, self.task_function = config, hydra_context, task_function

    def launch(
        self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int
    ) -> Sequence[JobReturn]:
        from ._stacked_launch import launch

        assert self.config is not None and self.hydra_context is not None
        assert self.task_function is not None
        return launch(self, job_overrides, initial_job_idx)
