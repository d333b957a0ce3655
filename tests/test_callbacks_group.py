"""callbacks=: early stopping and a learning-rate monitor picked from conf/callbacks/,
checked before training."""

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
        (("+callbacks.swa={}",), "callbacks.swa='{...}'", "early_stopping, lr_monitor"),
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
