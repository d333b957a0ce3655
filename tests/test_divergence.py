"""Divergence stops the run at its step: a non-finite loss or gradient norm, or a runaway loss,
names the step; the weights and checkpoints before it are kept; no metrics.json pretends the
run finished; failure.json records it."""

import json
import math
from types import SimpleNamespace

import pytest
import torch
from hydra.types import RunMode

from conftest import compose_config
from rnnlab.callbacks import DivergenceMonitor
from rnnlab.errors import DivergenceError
from rnnlab.sweep.job import run_job
from rnnlab.tasks.regression import RegressionTask

SINE = ("data=sine", "trainer.max_epochs=3", "plots=false", "trainer.enable_progress_bar=false",
        "trainer.enable_model_summary=false")  # fmt: skip
STEPS_PER_EPOCH = 18  # sine: 596 training windows in batches of 32


@pytest.fixture
def loss_turns_nan_at(monkeypatch):
    """The training loss becomes NaN at one optimizer step (as a blow-up would make it)."""

    def at(step: int) -> None:
        compute_loss = RegressionTask.compute_loss

        def poisoned(self, prediction, target):
            loss = compute_loss(self, prediction, target)
            hit = self.training and self.trainer.global_step == step
            return loss * float("nan") if hit else loss

        monkeypatch.setattr(RegressionTask, "compute_loss", poisoned)

    return at


class FakeHydra(dict):
    """What run_job reads of HydraConfig."""

    def __init__(self, mode: RunMode) -> None:
        super().__init__(launcher={})
        self.mode = mode
        self.job = SimpleNamespace(num=0, override_dirname="x")
        self.overrides = SimpleNamespace(task=["data=sine"])


def test_a_nan_loss_stops_the_run_at_its_step_and_keeps_the_last_good_checkpoint(
    tmp_path, loss_turns_nan_at
):
    step = STEPS_PER_EPOCH + 5  # inside the second epoch
    loss_turns_nan_at(step)
    with pytest.raises(SystemExit) as stopped:
        run_job(compose_config(*SINE), tmp_path, FakeHydra(RunMode.RUN))
    assert stopped.value.code == 1
    failure = json.loads((tmp_path / "failure.json").read_text())
    assert failure["error_type"] == "DivergenceError"
    assert failure["step"] == step and failure["epoch"] == 1
    assert f"step {step} (epoch 1): train/loss is nan" in failure["error"]
    assert not (tmp_path / "metrics.json").exists()
    last = torch.load(tmp_path / "checkpoints" / "last.ckpt", weights_only=True)
    assert last["global_step"] == STEPS_PER_EPOCH  # the end of the first epoch, not after
    assert all(torch.isfinite(tensor).all() for tensor in last["state_dict"].values())


def test_in_a_sweep_the_job_is_recorded_as_failed_and_the_sweep_goes_on(
    tmp_path, loss_turns_nan_at
):
    loss_turns_nan_at(3)
    value = run_job(compose_config(*SINE), tmp_path, FakeHydra(RunMode.MULTIRUN))
    assert value == math.inf
    failure = json.loads((tmp_path / "failure.json").read_text())
    assert failure["step"] == 3 and failure["last_checkpoint"] is None  # none yet at step 3


def test_a_runaway_loss_stops_the_run_well_before_the_epoch_ends(tmp_path):
    with pytest.raises(SystemExit):
        run_job(compose_config(*SINE, "optimizer.lr=1e12"), tmp_path, FakeHydra(RunMode.RUN))
    failure = json.loads((tmp_path / "failure.json").read_text())
    assert failure["step"] < STEPS_PER_EPOCH and failure["epoch"] == 0


def test_the_monitor_names_what_went_wrong():
    monitor = DivergenceMonitor(factor=1000.0)
    assert monitor.problem(1.0, 2.0) is None
    assert "train/grad_norm is inf" in monitor.problem(1.0, math.inf)
    assert "train/loss is nan" in monitor.problem(math.nan, 2.0)
    monitor.first_loss = 0.5
    assert "over training.divergence_factor=1000" in monitor.problem(600.0, 2.0)
    assert DivergenceMonitor(factor=None).problem(1e30, 1.0) is None  # only non-finite then
    restored = DivergenceMonitor(factor=1000.0)
    restored.load_state_dict(monitor.state_dict())  # the yardstick survives a resume
    assert restored.first_loss == 0.5


def test_divergence_error_survives_crossing_processes():
    import pickle

    error = pickle.loads(pickle.dumps(DivergenceError("boom", step=7, epoch=1)))
    assert (str(error), error.step, error.epoch) == ("boom", 7, 1)
