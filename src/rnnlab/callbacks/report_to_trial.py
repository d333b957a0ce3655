"""A job of an Optuna search (hydra/sweeper=optuna) reports to its trial after each validation,
and stops training when the study's pruner says the trial is not worth finishing.

Training stops the way early stopping stops it, not by an exception: the job still tests its
best checkpoint and writes metrics.json, so a pruned job's folder is as complete as any other;
pruned.json says when and why. The trial is reached through the study's storage, so this works
whatever launcher runs the job (in the sweeper's process, joblib's workers, submitit).
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import lightning as L
from lightning.pytorch.trainer.states import TrainerFn

from rnnlab.report import write_json_atomically

log = logging.getLogger(__name__)
PRUNED_FILE = "pruned.json"


class ReportToTrial(L.Callback):
    def __init__(self, trial: Any, metric: str, output_dir: Path) -> None:
        self.trial_ref, self.metric, self.output_dir = trial, metric, output_dir
        self._trial: Any = None  # opened on first use, in the process that trains

    def __getstate__(self) -> dict[str, Any]:  # spawned ranks get the reference, not the trial
        return {**self.__dict__, "_trial": None}

    def on_validation_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if trainer.sanity_checking or trainer.state.fn != TrainerFn.FITTING:
            return  # not the validation of an epoch (the best checkpoint's, after fit)
        prune = self.report(trainer) if trainer.is_global_zero else False
        if trainer.strategy.broadcast(prune):
            trainer.should_stop = True

    def report(self, trainer: L.Trainer) -> bool:
        """Report this epoch's value of the optimized metric; -> whether to stop here."""
        value = trainer.callback_metrics.get(self.metric)
        if value is None or not math.isfinite(float(value)):
            return False  # a test/ metric, or a diverging step: nothing to compare this epoch
        from rnnlab.callbacks.study_ref import PRUNED_MARK

        if self._trial is None:
            self._trial = self.trial_ref.open()
        epoch = trainer.current_epoch
        self._trial.report(float(value), step=epoch)
        if not self._trial.should_prune():
            return False
        self._trial.set_user_attr(PRUNED_MARK, epoch)
        reason = {"trial": self.trial_ref.number, "epoch": epoch, self.metric: float(value)}
        write_json_atomically(self.output_dir / PRUNED_FILE, reason)
        log.info("trial %d pruned at epoch %d (%s %.4g)", reason["trial"], epoch, self.metric,
                 float(value))  # fmt: skip
        return True


def trial_callbacks(metric: str, output_dir: Path) -> list[L.Callback]:
    """[ReportToTrial] in a job of rnnlab's Optuna sweeper, [] in any other run."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        return []
    from rnnlab.callbacks.study_ref import trial_of_job

    trial = trial_of_job(HydraConfig.get())
    return [] if trial is None else [ReportToTrial(trial, metric, output_dir)]
