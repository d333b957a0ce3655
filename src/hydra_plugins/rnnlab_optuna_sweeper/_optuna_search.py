"""The search: ask Optuna for trials, launch them as Hydra jobs, tell Optuna how each ended
(_trial_outcomes).

A job's trial number is its job number (its folder), so `3/` in the sweep folder is trial 3
of the study. A search interrupted by a signal fails its running trials and queues them
again, so running the same command continues.
"""

from __future__ import annotations

import logging
import math
import re
import shutil
import warnings
from pathlib import Path
from typing import Any

import optuna
from hydra.core.plugins import Plugins
from hydra.core.utils import JobReturn
from hydra.types import HydraContext, TaskFunction
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf
from optuna.storages import RetryHeartbeatStaleTrialCallback
from optuna.trial import TrialState
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from rnnlab.callbacks.study_ref import DEFAULT_STUDY, rdb_storage, storage_url
from rnnlab.errors import ConfigError

from ._heartbeat import heartbeats
from ._plots import draw_search
from ._search_space import as_override_value, grid, search_space
from ._trial_outcomes import (
    consecutive,
    mark_retried,
    quiet_experimental,
    running,
    tell,
    trials_counted,
)

log = logging.getLogger(__name__)
RESULTS_FILE = "optimization_results.yaml"


class OptunaSearch:
    def __init__(
        self,
        sampler: DictConfig,
        pruner: DictConfig,
        direction: str,
        storage: str | None,
        study_name: str | None,
        n_trials: int,
        n_jobs: int,
        params: dict[str, str] | None,
        heartbeat_interval: int | None,
        grace_period: int | None,
        max_retry: int,
        trial: int | None = None,
    ) -> None:
        check_settings(direction, storage, n_trials, n_jobs, heartbeat_interval, grace_period)
        # built here, not by Hydra (optuna_sweeper_config.py: _recursive_ false), so a missing
        # optuna is one line (optuna_sweeper.py), and the grid sampler can be given its grid
        self.sampler_settings, self.direction = sampler, direction
        self.pruner = instantiate(pruner)
        self.storage, self.study_name = storage, study_name or DEFAULT_STUDY
        self.n_trials, self.n_jobs = n_trials, n_jobs
        self.params = dict(params or {})
        self.heartbeat_interval, self.grace_period, self.max_retry = (
            heartbeat_interval,
            grace_period,
            max_retry,
        )

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            config=config, hydra_context=hydra_context, task_function=task_function
        )

    def sweep(self, arguments: list[str]) -> None:
        try:
            space, fixed = search_space(self.params, arguments)
        except ValueError as error:
            raise ConfigError("hydra.sweeper.params", self.params, str(error)) from error
        if not space:
            raise ConfigError("hydra.sweeper.params", self.params, "at least one key to search")
        sweep_dir = Path(self.config.hydra.sweep.dir)
        if self.sampler_settings.get("_partial_"):  # the grid sampler: it needs the grid
            try:
                values = grid(space)
            except ValueError as error:
                raise ConfigError("hydra/sweeper/sampler", "grid", str(error)) from error
            sampler = instantiate(self.sampler_settings, search_space=values)()
            self.n_trials = min(self.n_trials, math.prod(len(v) for v in values.values()))
        else:
            sampler = instantiate(self.sampler_settings)
        new_folder = not sweep_dir.exists()
        sweep_dir.mkdir(parents=True, exist_ok=True)  # the default storage lives there
        try:
            study = self.open_study(sweep_dir, sampler)
        except ConfigError:
            if new_folder:  # nothing half-written
                shutil.rmtree(sweep_dir, ignore_errors=True)
            raise
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        log.info("Optuna study %r in %s: %d trials in all, %d done", study.study_name,
                 shown(storage_url(self.storage, sweep_dir)), self.n_trials,
                 trials_counted(study))  # fmt: skip
        while True:
            with quiet_experimental():
                optuna.storages.fail_stale_trials(study)  # a dead worker's trials: retried
            mark_retried(study, sweep_dir)
            wanted = self.n_trials - trials_counted(study)
            if wanted <= 0:
                break
            with warnings.catch_warnings():  # this sweeper records heartbeats itself
                warnings.filterwarnings("ignore", "Heartbeat of storage is supposed to be used")
                self.reseed(study)
                trials = [study.ask(space) for _ in range(min(self.n_jobs, wanted))]
            self.run_trials(study, trials, fixed)
        write_results(study, sweep_dir / RESULTS_FILE)
        draw_search(study, sweep_dir, str(self.config.get("optimized_metric", "value")))

    def reseed(self, study: optuna.Study) -> None:
        """A seeded sampler draws from seed + the trials the study holds: the same draws on a
        fresh run, new ones when a run continues the study or a worker joins it (reseeded
        with the same seed each time, it would ask for the trials it already ran)."""
        settings = self.sampler_settings
        if settings.get("seed") is None or settings.get("_partial_"):  # unseeded, or the grid
            return
        study.sampler = instantiate(settings, seed=settings.seed + len(study.trials))

    def open_study(self, sweep_dir: Path, sampler: Any) -> optuna.Study:
        url = storage_url(self.storage, sweep_dir)
        heartbeat = {
            "heartbeat_interval": self.heartbeat_interval,
            "grace_period": self.grace_period,
        }
        try:
            with quiet_experimental():
                if self.heartbeat_interval:  # a stale trial is failed, then queued again
                    retry = RetryHeartbeatStaleTrialCallback(self.max_retry)
                    heartbeat["heartbeat_stale_trial_callback"] = retry
                self.storage_of_study = rdb_storage(url, **heartbeat)
        except (ImportError, RuntimeError, SQLAlchemyError) as error:  # driver, schema, server
            reason = re.sub(r"\s*\(Background on this error.*", "", " ".join(str(error).split()))
            allowed = f"a database this machine can open: {reason[:300]}"
            raise ConfigError("hydra.sweeper.storage", shown(url), allowed) from error
        study = optuna.create_study(
            storage=self.storage_of_study,
            sampler=sampler,
            pruner=self.pruner,
            study_name=self.study_name,
            direction=self.direction,
            load_if_exists=True,
        )
        if study.direction.name.lower() != self.direction:
            raise ConfigError(
                "hydra.sweeper.direction",
                self.direction,
                f"{study.direction.name.lower()}, the direction of the existing study "
                f"{self.study_name!r} it continues",
            )
        return study

    def run_trials(self, study: optuna.Study, trials: list[optuna.Trial], fixed: dict) -> None:
        storage = self.storage_of_study
        study_id = storage.get_study_id_from_name(study.study_name)
        ids = [storage.get_trial_id_from_study_id_trial_number(study_id, t.number) for t in trials]
        log.info("Trials %s of %d", ", ".join(str(t.number) for t in trials), self.n_trials)
        try:
            with heartbeats(storage, ids, self.heartbeat_interval):
                returns = [ret for group in consecutive(trials)
                           for ret in self.launch(group, fixed)]  # fmt: skip
        except BaseException:  # interrupted: these trials run again when the search continues
            for trial in trials:
                if trial.number in running(study, [trial.number]):
                    trial.set_user_attr("failure", "interrupted")
            for frozen in running(study, [t.number for t in trials]).values():
                study.tell(frozen.number, state=TrialState.FAIL, skip_if_finished=True)
                with quiet_experimental():
                    RetryHeartbeatStaleTrialCallback(self.max_retry)(study, frozen)
            mark_retried(study, Path(self.config.hydra.sweep.dir))
            raise
        for trial, ret in zip(trials, returns, strict=True):
            tell(study, trial, ret)

    def launch(self, trials: list[optuna.Trial], fixed: dict[str, str]) -> list[JobReturn]:
        """One launch of consecutive trials; job numbers are trial numbers."""
        overrides = [
            (
                *fixed.values(),
                *(f"{key}={as_override_value(value)}" for key, value in trial.params.items()),
                f"hydra.sweeper.trial={trial.number}",
            )
            for trial in trials
        ]
        return list(self.launcher.launch(overrides, initial_job_idx=trials[0].number))


def check_settings(
    direction: str,
    storage: str | None,
    n_trials: int,
    n_jobs: int,
    heartbeat_interval: int | None,
    grace_period: int | None,
) -> None:
    """Refuse settings Optuna would take and fail on later, or silently misread."""
    if direction not in ("minimize", "maximize"):
        raise ConfigError("hydra.sweeper.direction", direction, "minimize or maximize")
    if storage is not None and "://" not in storage:
        raise ConfigError("hydra.sweeper.storage", storage,
                          "a database URL (sqlite:///optuna.db, postgresql://user@host/db) "
                          "or null for a SQLite file in the sweep folder")  # fmt: skip
    for key, value in {"n_trials": n_trials, "n_jobs": n_jobs}.items():
        if value < 1:
            raise ConfigError(f"hydra.sweeper.{key}", value, "an integer >= 1")
    if heartbeat_interval is not None and heartbeat_interval < 1:
        raise ConfigError("hydra.sweeper.heartbeat_interval", heartbeat_interval,
                          "seconds >= 1, or null for no heartbeats")  # fmt: skip
    if grace_period is not None and heartbeat_interval and grace_period <= heartbeat_interval:
        raise ConfigError("hydra.sweeper.grace_period", grace_period,
                          f"seconds > heartbeat_interval ({heartbeat_interval})")  # fmt: skip


def shown(url: str) -> str:
    """A storage URL fit for a log: its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def write_results(study: optuna.Study, path: Path) -> None:
    states = [t.state.name for t in study.get_trials(deepcopy=False)]
    results: dict[str, Any] = {
        "name": "optuna",
        "study_name": study.study_name,
        "direction": study.direction.name.lower(),
        "trials": {state: states.count(state) for state in sorted(set(states))},
        "best_trial": None,
        "best_params": None,
        "best_value": None,
    }
    try:
        best = study.best_trial
    except ValueError:
        log.error("no trial of study %r completed: see the failures in summary.md",
                  study.study_name)  # fmt: skip
    else:
        results |= {"best_trial": best.number, "best_params": best.params, "best_value": best.value}
        log.info("Best trial %d: %s = %s", best.number, best.params, best.value)
    OmegaConf.save(OmegaConf.create(results), path)
