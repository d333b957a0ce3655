"""Interrupted runs resume exactly: weights and metrics bitwise equal to a run never stopped,
whether the signal came inside an epoch, on its last batch, or during validation; a finished
run extended with a larger max_epochs equals one trained that long from the start."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import lightning as L
import pytest
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import ROOT, compose_config
from rnnlab.errors import ConfigError, RunInterrupted
from rnnlab.run import train

# dropout draws from the global generator, so the generators' states must resume too;
# 2000 / 64 = 31 batches an epoch
RUN = ("data=synthetic", "model.num_layers=2", "model.dropout=0.3", "model.hidden_size=16",
       "trainer.max_epochs=3", "trainer.deterministic=true", "plots=false",
       "trainer.enable_progress_bar=false", "trainer.enable_model_summary=false")  # fmt: skip


class SignalAt(L.Callback):
    """Sends this process `signum` at a chosen point of the fit, as Ctrl-C or SLURM would."""

    def __init__(self, hook: str, epoch: int, batch: int = 0, signum: int = signal.SIGINT):
        self.hook, self.epoch, self.batch, self.signum = hook, epoch, batch, signum

    def _maybe(self, trainer: L.Trainer, hook: str, batch: int = 0) -> None:
        if hook == self.hook and trainer.current_epoch == self.epoch and batch == self.batch:
            os.kill(os.getpid(), self.signum)

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        self._maybe(trainer, "train_batch", batch_idx)

    def on_validation_start(self, trainer, pl_module):
        if not trainer.sanity_checking:
            self._maybe(trainer, "validation")


def outcome(folder: Path) -> tuple[dict, dict]:
    """(metrics, final weights) of a finished run folder."""
    report = json.loads((folder / "metrics.json").read_text())
    last = torch.load(folder / "checkpoints" / "last.ckpt", weights_only=True)["state_dict"]
    return report["metrics"], last


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("uninterrupted")
    train(compose_config(*RUN), folder)
    return outcome(folder)


def assert_bitwise_equal(resumed: tuple[dict, dict], reference: tuple[dict, dict]) -> None:
    metrics, weights = resumed
    assert metrics == reference[0]  # float equality: bitwise, not approximately
    assert weights.keys() == reference[1].keys()
    for name, tensor in weights.items():
        assert torch.equal(tensor, reference[1][name]), name


@pytest.mark.slow
@pytest.mark.parametrize(
    ("where", "signum"),
    [
        (SignalAt("train_batch", epoch=1, batch=12), signal.SIGINT),  # mid-epoch
        (SignalAt("train_batch", epoch=0, batch=30), signal.SIGTERM),  # the epoch's last batch
        (SignalAt("validation", epoch=1), signal.SIGTERM),  # between epochs
    ],
    ids=["mid-epoch", "last-batch", "between-epochs"],
)
def test_an_interrupted_run_resumes_bitwise_equal(tmp_path, uninterrupted, where, signum):
    where.signum = signum
    handler_before = signal.getsignal(signal.SIGINT)  # SIG_IGN under nohup or a CI runner
    with pytest.raises(RunInterrupted) as caught:
        train(compose_config(*RUN), tmp_path, callbacks=[where])  # the signal, where asked
    assert caught.value.signum == signum and caught.value.epoch == where.epoch
    assert Path(caught.value.checkpoint) == tmp_path / "checkpoints" / "last.ckpt"
    assert not (tmp_path / "metrics.json").exists()  # nothing pretends the run finished
    assert signal.getsignal(signal.SIGINT) is handler_before  # handlers put back as found
    train(compose_config(*RUN, "resume=true"), tmp_path)
    assert_bitwise_equal(outcome(tmp_path), uninterrupted)
    # TensorBoard's curves go on from where they stopped: every step once, none restarted
    events = EventAccumulator(str(tmp_path / "tensorboard"), size_guidance={"scalars": 0})
    events.Reload()
    for tag in ("train/loss_step", "train/grad_norm"):
        assert [event.step for event in events.Scalars(tag)] == list(range(3 * 31)), tag


@pytest.mark.slow
def test_a_finished_run_extended_equals_one_trained_that_long(tmp_path, uninterrupted):
    short = [item for item in RUN if not item.startswith("trainer.max_epochs")]
    train(compose_config(*short, "trainer.max_epochs=2"), tmp_path)
    train(compose_config(*short, "trainer.max_epochs=3", "resume=true"), tmp_path)
    assert_bitwise_equal(outcome(tmp_path), uninterrupted)
    report = json.loads((tmp_path / "metrics.json").read_text())
    assert report["epochs"] == 3 and report["config"]["trainer"]["max_epochs"] == 3


@pytest.mark.slow
def test_a_new_run_from_a_checkpoint_continues_its_training(tmp_path, uninterrupted):
    short = [item for item in RUN if not item.startswith("trainer.max_epochs")]
    train(compose_config(*short, "trainer.max_epochs=2"), tmp_path / "first")
    checkpoint = tmp_path / "first" / "checkpoints" / "last.ckpt"
    train(compose_config(*short, "trainer.max_epochs=3", f"ckpt_path={checkpoint}"),
          tmp_path / "second")  # fmt: skip
    assert_bitwise_equal(outcome(tmp_path / "second"), uninterrupted)


def test_resume_is_refused_with_other_settings_or_nothing_to_resume(tmp_path):
    quick = ("data=sine", "trainer.max_epochs=1", "plots=false")
    train(compose_config(*quick), tmp_path)
    with pytest.raises(ConfigError, match=r"model.hidden_size=32 is not allowed: 64, as in"):
        train(compose_config(*quick, "model.hidden_size=32", "resume=true"), tmp_path)
    with pytest.raises(ConfigError, match="resume=True is not allowed: a run folder holding"):
        train(compose_config(*quick, "resume=true"), tmp_path / "elsewhere")
    with pytest.raises(ConfigError, match="ckpt_path=.*null with resume=true"):
        train(compose_config(*quick, "resume=true", f"ckpt_path={tmp_path}/metrics.json"),
              tmp_path)  # fmt: skip


def test_resume_cannot_shorten_what_the_checkpoint_has_trained(tmp_path):
    train(compose_config("data=sine", "trainer.max_epochs=2", "plots=false"), tmp_path)
    with pytest.raises(ConfigError, match=r"trainer.max_epochs=1 is not allowed: at least 2"):
        train(compose_config("data=sine", "trainer.max_epochs=1", "plots=false", "resume=true"),
              tmp_path)  # fmt: skip


def test_resuming_a_run_finished_with_the_same_settings_leaves_it_as_it_is(tmp_path):
    quick = ("data=sine", "trainer.max_epochs=1", "plots=false")
    first = train(compose_config(*quick), tmp_path)
    report = tmp_path / "metrics.json"
    written = report.stat().st_mtime_ns
    assert train(compose_config(*quick, "resume=true"), tmp_path) == first
    assert report.stat().st_mtime_ns == written


@pytest.mark.slow
def test_sigterm_on_the_command_line_saves_says_how_to_resume_and_exits_143(tmp_path):
    """What SLURM does before a time limit: SIGTERM, then the printed command continues."""
    run_dir = tmp_path / "run"
    args = [sys.executable, "train.py", "data=synthetic", "trainer.max_epochs=50",
            "trainer.enable_progress_bar=false", f"hydra.run.dir={run_dir}"]  # fmt: skip
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)  # fmt: skip
    last = run_dir / "checkpoints" / "last.ckpt"
    deadline = time.monotonic() + 120
    while not last.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, stderr[-2000:]
    assert "Traceback" not in stderr
    resume = next(line for line in stderr.splitlines() if "resume with:" in line)
    assert f"hydra.run.dir={run_dir}" in resume and resume.endswith("resume=true")
    assert not (run_dir / "metrics.json").exists()
    state = torch.load(last, weights_only=True)
    assert state["global_step"] > 0 and "rnnlab_config" in state


def test_how_a_run_is_shown_may_change_on_resume_what_it_computes_may_not():
    from rnnlab.resume import LENGTH, RUN_CONTROL, differences

    saved = {"model": {"hidden_size": 32}, "trainer": {"max_epochs": 5},
             "callbacks": {"tqdm_progress_bar": {"refresh_rate": 10}}}  # fmt: skip
    shown = {"model": {"hidden_size": 32}, "trainer": {"max_epochs": 9},
             "callbacks": {"model_summary": {"max_depth": 2}}}  # fmt: skip
    assert differences(saved, shown, RUN_CONTROL | LENGTH) == []
    stopping = {**shown, "callbacks": {"early_stopping": {"patience": 3}}}
    assert differences(saved, stopping, RUN_CONTROL | LENGTH) == [
        "callbacks.early_stopping.patience"
    ]
