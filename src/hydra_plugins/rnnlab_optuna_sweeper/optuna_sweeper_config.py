"""The sweeper's settings (`hydra.sweeper.*`), its samplers and its pruners, as Hydra schemas.

Samplers and pruners are config groups: `hydra/sweeper/sampler=random`,
`hydra/sweeper/pruner=median`; each field is the Optuna class's own argument.
"""

# no `from __future__ import annotations`: Hydra's plugin scan runs this module before it is
# in sys.modules, where dataclasses would look string annotations up

from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING


@dataclass
class TPESamplerConfig:
    _target_: str = "optuna.samplers.TPESampler"
    seed: int | None = None
    n_startup_trials: int = 10
    n_ei_candidates: int = 24
    multivariate: bool = False
    constant_liar: bool = False  # True: workers asking at once spread out (parallel searches)


@dataclass
class RandomSamplerConfig:
    _target_: str = "optuna.samplers.RandomSampler"
    seed: int | None = None


@dataclass
class GridSamplerConfig:
    """Every combination once; the sweeper gives it the grid from `params` (discrete only)."""

    _target_: str = "optuna.samplers.GridSampler"
    _partial_: bool = True
    seed: int | None = None


@dataclass
class NopPrunerConfig:
    _target_: str = "optuna.pruners.NopPruner"


@dataclass
class MedianPrunerConfig:
    """Stop a trial whose value at an epoch is worse than the median of earlier trials'."""

    _target_: str = "optuna.pruners.MedianPruner"
    n_startup_trials: int = 5  # trials that always finish before any is pruned
    n_warmup_steps: int = 5  # epochs each trial trains before it can be pruned
    interval_steps: int = 1
    n_min_trials: int = 1


@dataclass
class HyperbandPrunerConfig:
    """Successive halving over several brackets (Li et al., 2018); resources are epochs."""

    _target_: str = "optuna.pruners.HyperbandPruner"
    min_resource: int = 1
    max_resource: Any = "auto"  # "auto": the most epochs any finished trial reported
    reduction_factor: int = 3
    bootstrap_count: int = 0


@dataclass
class OptunaSweeperConf:
    _target_: str = "hydra_plugins.rnnlab_optuna_sweeper.optuna_sweeper.OptunaSweeper"
    _recursive_: bool = False  # the sweeper builds its sampler and pruner itself
    defaults: list[Any] = field(default_factory=lambda: [{"sampler": "tpe"}, {"pruner": "none"}])
    sampler: Any = MISSING
    pruner: Any = MISSING
    direction: str = "minimize"  # or maximize: what the jobs' return value should do
    # null: a SQLite file optuna.db in the sweep folder; or a database URL several workers share
    storage: str | None = None
    study_name: str | None = None  # null: "rnnlab"
    n_trials: int = 20  # trials in the study in all: running the command again continues it
    n_jobs: int = 1  # trials asked at a time and launched together (joblib runs them at once)
    params: dict[str, str] | None = (
        None  # key: choice(..) | range(..) | interval(..) | tag(log, ..)
    )
    # a worker records a heartbeat for its running trials every heartbeat_interval seconds; a
    # trial silent for grace_period (null: 2 x interval) is failed and asked again, up to
    # max_retry times (database storages only; null interval: off)
    heartbeat_interval: int | None = 60
    grace_period: int | None = None
    max_retry: int = 3
    trial: int | None = None  # set by the sweeper for each job: the trial it runs


store = ConfigStore.instance()
store.store(group="hydra/sweeper", name="optuna", node=OptunaSweeperConf, provider="rnnlab")
for name, node in {"tpe": TPESamplerConfig, "random": RandomSamplerConfig,
                   "grid": GridSamplerConfig}.items():  # fmt: skip
    store.store(group="hydra/sweeper/sampler", name=name, node=node, provider="rnnlab")
for name, node in {"none": NopPrunerConfig, "median": MedianPrunerConfig,
                   "hyperband": HyperbandPrunerConfig}.items():  # fmt: skip
    store.store(group="hydra/sweeper/pruner", name=name, node=node, provider="rnnlab")
