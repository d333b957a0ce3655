"""Where a job finds its Optuna trial: the study's storage and name and the trial's number,
read from the job's own Hydra config (`hydra.sweeper.*`, where the sweeper sets `trial` for
each job). Jobs under any launcher (in this process, joblib's workers, submitit on a cluster)
reach their trial through the storage, never through the sweeper's memory.
"""

# no `from __future__ import annotations`: see
# src/hydra_plugins/rnnlab_optuna_sweeper/optuna_sweeper_config.py

from dataclasses import dataclass
from pathlib import Path
from typing import Any

SWEEPER_TARGET = "hydra_plugins.rnnlab_optuna_sweeper.optuna_sweeper.OptunaSweeper"
DEFAULT_STUDY = "rnnlab"
LOCAL_STORAGE = "optuna.db"  # in the sweep folder when hydra.sweeper.storage is null
PRUNED_MARK = "pruned_at_epoch"  # the trial attribute a job sets when its pruner stops it


def storage_url(storage: str | None, sweep_dir: str | Path) -> str:
    """The study's database: the one given, or a SQLite file in the sweep folder."""
    return storage or f"sqlite:///{Path(sweep_dir).resolve() / LOCAL_STORAGE}"


def rdb_storage(url: str, **heartbeat: Any) -> Any:
    """-> optuna.storages.RDBStorage; SQLite waits up to a minute for a lock, as jobs running
    side by side (joblib) write their trials' values to one file."""
    from optuna.storages import RDBStorage

    sqlite = {"connect_args": {"timeout": 60}} if url.startswith("sqlite") else None
    return RDBStorage(url, engine_kwargs=sqlite, **heartbeat)


@dataclass(frozen=True)
class TrialRef:
    storage: str
    study_name: str
    number: int
    pruner: dict[str, Any]  # the sweeper's pruner config: a study loaded elsewhere needs it

    def open(self) -> Any:
        """-> optuna.trial.Trial, for report() and should_prune() from the job's process."""
        import optuna
        from hydra.utils import instantiate

        storage = rdb_storage(self.storage)
        study = optuna.load_study(
            study_name=self.study_name, storage=storage, pruner=instantiate(self.pruner)
        )
        study_id = storage.get_study_id_from_name(self.study_name)
        trial_id = storage.get_trial_id_from_study_id_trial_number(study_id, self.number)
        return optuna.trial.Trial(study, trial_id)


def trial_of_job(hydra_cfg: Any) -> TrialRef | None:
    """The trial a job of this sweeper runs; None for any other run."""
    from omegaconf import OmegaConf

    sweeper = hydra_cfg.get("sweeper") or {}
    if sweeper.get("_target_") != SWEEPER_TARGET or sweeper.get("trial") is None:
        return None
    return TrialRef(
        storage=storage_url(sweeper.get("storage"), hydra_cfg.sweep.dir),
        study_name=sweeper.get("study_name") or DEFAULT_STUDY,
        number=int(sweeper.trial),
        pruner=OmegaConf.to_container(sweeper.pruner, resolve=True),
    )
