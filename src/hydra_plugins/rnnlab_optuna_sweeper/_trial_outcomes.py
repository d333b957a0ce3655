"""How a job's end becomes its trial's state, and which trials count towards n_trials.

A finite return value is COMPLETE; a job the pruner stopped PRUNED (the job marked its trial
through the storage: see rnnlab/callbacks/report_to_trial.py); a failed job, or one that
returned inf or NaN, FAIL, with the job's error as the trial's `failure` attribute. A trial
failed as stale (its worker's heartbeat stopped) and run again as another counts once.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import optuna
from hydra.core.utils import JobReturn
from optuna.storages import RetryHeartbeatStaleTrialCallback
from optuna.trial import FrozenTrial, TrialState

from rnnlab.callbacks.study_ref import PRUNED_MARK
from rnnlab.report import write_json_atomically
from rnnlab.run_folder import FAILURE_FILE, RETRIED_FILE, finished

log = logging.getLogger(__name__)


class quiet_experimental(warnings.catch_warnings):
    """Optuna marks heartbeats experimental (since 2.9); say so once, in the docs."""

    def __enter__(self) -> Any:
        entered = super().__enter__()
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return entered


def trials_counted(study: optuna.Study) -> int:
    """Trials towards n_trials: finished or running, less those failed and queued again."""
    trials = study.get_trials(deepcopy=False)
    with quiet_experimental():
        retried = {n for t in trials for n in RetryHeartbeatStaleTrialCallback.retry_history(t)}
    return sum(t.state != TrialState.WAITING and t.number not in retried for t in trials)


def mark_retried(study: optuna.Study, sweep_dir: Path) -> None:
    """retried.json in this sweep's folders of trials that run again as another trial, so the
    summary shows them as superseded, not failed (a dead worker's own folder may be
    elsewhere)."""
    trials = study.get_trials(deepcopy=False)
    for trial in trials:
        with quiet_experimental():
            history = RetryHeartbeatStaleTrialCallback.retry_history(trial)
        if not history:
            continue
        stopped = trials[history[-1]]
        folder = sweep_dir / str(stopped.number)
        if not (folder / ".hydra").is_dir() or finished(folder):
            continue
        reason = stopped.user_attrs.get("failure", "its worker died: no heartbeat")
        write_json_atomically(folder / RETRIED_FILE, {"reason": reason, "as_job": trial.number})


def consecutive(trials: list[optuna.Trial]) -> Iterator[list[optuna.Trial]]:
    """Runs of consecutive trial numbers (another worker may take numbers in between)."""
    group = [trials[0]]
    for trial in trials[1:]:
        if trial.number != group[-1].number + 1:
            yield group
            group = []
        group.append(trial)
    yield group


def running(study: optuna.Study, numbers: list[int]) -> dict[int, FrozenTrial]:
    trials = study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
    return {t.number: t for t in trials if t.number in numbers}


def tell(study: optuna.Study, trial: optuna.Trial, ret: JobReturn) -> None:
    frozen = running(study, [trial.number]).get(trial.number)
    if frozen is None:  # failed as stale by another worker meanwhile: its retry counts
        log.warning("trial %d was no longer running when its job ended", trial.number)
        return
    if PRUNED_MARK in frozen.user_attrs:
        finish(study, trial.number, state=TrialState.PRUNED)
        log.info("trial %d pruned at epoch %s", trial.number, frozen.user_attrs[PRUNED_MARK])
        return
    value, failure = job_value(ret)
    if value is not None:
        finish(study, trial.number, values=value)
        return
    trial.set_user_attr("failure", failure)
    finish(study, trial.number, state=TrialState.FAIL)
    log.warning("trial %d failed: %s", trial.number, failure)


def finish(study: optuna.Study, number: int, **outcome: Any) -> None:
    """study.tell; the grid sampler calls study.stop() once every point is told, which Optuna
    allows only inside study.optimize: the trial is stored all the same (Optuna stores it in
    a `finally`), and this search stops by its own count (n_trials is the grid's size)."""
    try:
        study.tell(number, **outcome)
    except RuntimeError as error:
        if "Study.stop" not in str(error):
            raise


def job_value(ret: JobReturn) -> tuple[float | None, str]:
    """(the job's finite value, "") or (None, why it has none)."""
    try:
        value = float(ret.return_value)  # re-raises the job's own exception, if any
    except Exception as error:  # noqa: BLE001 - any job error is the trial's failure
        return None, f"{type(error).__name__}: {error}"
    if math.isfinite(value):
        return value, ""
    failure = (
        Path(str(ret.hydra_cfg.hydra.runtime.output_dir)) / FAILURE_FILE if ret.hydra_cfg else None
    )
    if failure is not None and failure.exists():
        recorded = json.loads(failure.read_text())
        return None, f"{recorded['error_type']}: {recorded['error']}"
    return None, f"the job returned {value}"
