"""callbacks=: early stopping, a learning-rate monitor, progress bars, a model summary and any
Lightning callback by class, picked from conf/callbacks/ or the command line,
checked before training."""

from pathlib import Path

import pytest
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import compose_config
from rnnlab.config.checks import check_config, check_metric_names
from rnnlab.config.convert import typed_config
from rnnlab.errors import ConfigError


def test_early_stopping_ends_a_run_that_stopped_improving(run_training, tmp_path):
    # no later epoch can beat the first by 1000: patience 2 ends the run after 3 epochs
    report = run_training("callbacks=early_stopping", "callbacks.early_stopping.patience=2",
                          "callbacks.early_stopping.min_delta=1000", "trainer.max_epochs=20",
                          "+trainer.limit_train_batches=2")  # fmt: skip
    assert report["epochs"] == 3 and report["global_step"] == 6
    state = torch.load(tmp_path / "run0" / "checkpoints" / "last.ckpt", weights_only=False)
    (stopping,) = [v for k, v in state["callbacks"].items() if k.startswith("EarlyStopping")]
    assert stopping["wait_count"] == 2  # saved, so a resumed run keeps counting


def test_the_lr_monitor_logs_the_learning_rate_per_epoch(run_training, tmp_path):
    run_training("callbacks=lr_monitor", "callbacks.lr_monitor.logging_interval=epoch",
                 "trainer.max_epochs=2", "+trainer.limit_train_batches=2")  # fmt: skip
    events = EventAccumulator(str(tmp_path / "run0" / "tensorboard"))
    events.Reload()
    (tag,) = [t for t in events.Tags()["scalars"] if t.startswith("lr-")]
    assert [event.value for event in events.Scalars(tag)] == pytest.approx([1e-3, 1e-3])


@pytest.mark.parametrize(
    ("overrides", "named", "allowed"),
    [
        (("callbacks=early_stopping", "callbacks.early_stopping.patience=0"),
         "callbacks.early_stopping.patience=0", ">= 1"),
        (("callbacks=early_stopping", "+trainer.limit_val_batches=0", "checkpoint.monitor=null",
          "optimized_metric=test/loss"), "callbacks='early_stopping'", "limit_val_batches=0"),
        (("callbacks=lr_monitor", "callbacks.lr_monitor.logging_interval=batch"),
         "callbacks.lr_monitor.logging_interval='batch'", "step or epoch"),
        (("+callbacks.x._target_=no.such.Callback",), "callbacks.x._target_='no.such.Callback'",
         "an importable class"),
        (("+callbacks.x._target_=torch.nn.Linear",), "callbacks.x._target_='torch.nn.Linear'",
         "a subclass of lightning.pytorch.Callback"),
        (("+callbacks.x._target_=lightning.pytorch.callbacks.Timer", "+callbacks.x.bogus=1"),
         "callbacks.x='{...}'", "arguments Timer takes"),
        (("callbacks=[tqdm_progress_bar,rich_progress_bar]",), "callbacks='[...]'",
         "at most one progress bar"),
        (("+callbacks.swa={}",), "callbacks.swa='{...}'", "tqdm_progress_bar or a Lightning"),
    ],
)  # fmt: skip
def test_bad_callbacks_are_refused_before_training(overrides, named, allowed):
    with pytest.raises(ConfigError) as caught:
        check_config(typed_config(compose_config(*overrides)))
    assert str(caught.value).startswith(f"{named} is not allowed") and allowed in str(caught.value)


def test_early_stopping_needs_a_metric_the_run_logs():
    config = typed_config(compose_config("callbacks=early_stopping",
                                         "callbacks.early_stopping.monitor=val/acc"))  # fmt: skip
    with pytest.raises(ConfigError, match="callbacks.early_stopping.monitor='val/acc'"):
        check_metric_names(config, ["loss", "mse"])


def callbacks_of(*overrides: str) -> list:
    from rnnlab.callbacks.configured import configured_callbacks

    config = typed_config(compose_config(*overrides))
    check_config(config)
    return configured_callbacks(config, Path("run/checkpoints"))


def kinds(callbacks: list) -> list[str]:
    return [type(callback).__name__ for callback in callbacks]


def test_every_member_of_the_callbacks_group_is_known_to_the_checks():
    from conftest import CONF_DIR
    from rnnlab.config.callbacks import CALLBACK_CONFIGS, TARGET_MEMBERS

    members = {path.stem for path in (CONF_DIR / "callbacks").glob("*.yaml")}
    assert members == {*CALLBACK_CONFIGS, *TARGET_MEMBERS}


def test_a_run_shows_riches_progress_bar_and_summary_unless_another_is_picked():
    assert kinds(callbacks_of()) == ["RichProgressBar", "RichModelSummary"]
    picked = callbacks_of("callbacks=[tqdm_progress_bar,model_summary]",
                          "callbacks.tqdm_progress_bar.refresh_rate=50",
                          "callbacks.model_summary.max_depth=-1")  # fmt: skip
    assert kinds(picked) == ["TQDMProgressBar", "RichModelSummary"]
    assert picked[0].refresh_rate == 50 and picked[1]._max_depth == -1


def test_the_trainers_flags_still_turn_the_progress_bar_and_summary_off():
    quiet = ("trainer.enable_progress_bar=false", "trainer.enable_model_summary=false")
    assert callbacks_of(*quiet) == []
    assert kinds(callbacks_of("callbacks=[tqdm_progress_bar,early_stopping]", *quiet)) == [
        "EarlyStopping"
    ]


def test_any_lightning_callback_can_be_plugged_in_by_its_class():
    timer = callbacks_of("+callbacks.timer._target_=lightning.pytorch.callbacks.Timer",
                         "+callbacks.timer.duration='00:00:10:00'")[0]  # fmt: skip
    assert type(timer).__name__ == "Timer" and timer._duration == 600


def test_another_checkpoint_by_class_writes_into_the_runs_checkpoints_folder(
    run_training, tmp_path
):
    run_training("+callbacks.every2._target_=lightning.pytorch.callbacks.ModelCheckpoint",
                 "+callbacks.every2.every_n_epochs=2", "+callbacks.every2.save_top_k=-1",
                 "+callbacks.every2.filename='every2-{epoch}'", "trainer.max_epochs=4",
                 "+trainer.limit_train_batches=2")  # fmt: skip
    saved = sorted(p.name for p in (tmp_path / "run0" / "checkpoints").glob("every2-*"))
    assert saved == ["every2-epoch=1.ckpt", "every2-epoch=3.ckpt"]


def test_a_picked_progress_bar_trains_a_run(run_training):
    report = run_training("callbacks=tqdm_progress_bar", "trainer.enable_progress_bar=true",
                          "trainer.max_epochs=1", "+trainer.limit_train_batches=2")  # fmt: skip
    assert report["global_step"] == 2
