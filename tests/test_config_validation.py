"""Bad values stop the run before training, naming the key, the value and what is allowed."""

import subprocess
import sys

import pytest

from conftest import ROOT, compose_config
from rnnlab.config_errors import ConfigError
from rnnlab.run import train

BAD_VALUES = [
    ("model.hidden_size=0", "model.hidden_size=0", "integer >= 1"),
    ("model.hidden_size=2.5", "model.hidden_size=2.5", "integer >= 1"),
    ("model.num_layers=0", "model.num_layers=0", "integer >= 1"),
    ("model.dropout=1.5", "model.dropout=1.5", "[0, 1)"),
    ("model.dropout=1.0", "model.dropout=1.0", "[0, 1)"),
    ("model.dropout=-0.1", "model.dropout=-0.1", "[0, 1)"),
    ("model.bidirectional=maybe", "model.bidirectional='maybe'", "true or false"),
    ("model.kind=transformer", "model.kind='transformer'", "gru, lstm, rnn"),
    ("model=rnn model.nonlinearity=sigmoid", "model.nonlinearity='sigmoid'", "relu, tanh"),
    ("optimizer.name=rmsprop", "optimizer.name='rmsprop'", "adam, adamw, sgd"),
    ("optimizer.lr=0", "optimizer.lr=0", "> 0"),
    ("optimizer.weight_decay=-1", "optimizer.weight_decay=-1", ">= 0"),
    ("optimizer=sgd optimizer.momentum=1.2", "optimizer.momentum=1.2", "[0, 1)"),
    ("trainer.gradient_clip_val=-1", "trainer.gradient_clip_val=-1", "number >= 0"),
    ("trainer.gradient_clip_algorithm=l1", "trainer.gradient_clip_algorithm='l1'", "norm, value"),
    ("trainer.max_epochs=0", "trainer.max_epochs=0", ">= 1"),
    ("data=passengers data.window=200", "data.window=200", "window <= 108"),
    ("data=passengers data.horizon=0", "data.horizon=0", "integer >= 1"),
    ("data.batch_size=0", "data.batch_size=0", "integer >= 1"),
    ("data=synthetic data.length=3", "data.length=3", "integer >= 8"),
    ("+data.colour=red", "data.colour='red'", "data=sine takes"),
    ("seed=-1", "seed=-1", "integer >= 0"),
    ("optimized_metric=val/mape", "optimized_metric='val/mape'", "'val/mse'"),
    ("checkpoint.monitor=val/acc", "checkpoint.monitor='val/acc'", "'val/loss'"),
    (
        "data=passengers data.train_through_val=true",
        "checkpoint.monitor='val/loss'",
        "null with data.train_through_val=true",
    ),
]


@pytest.mark.parametrize(("overrides", "named", "allowed"), BAD_VALUES)
def test_bad_value_is_refused_before_training(tmp_path, overrides, named, allowed):
    with pytest.raises(ConfigError) as caught:
        train(compose_config(*overrides.split(), "trainer=debug"), tmp_path)
    message = str(caught.value)
    assert message.startswith(named) and allowed in message
    assert not (tmp_path / "metrics.json").exists()  # nothing ran, nothing half-written


def run_cli(tmp_path, *overrides):
    return subprocess.run(
        [sys.executable, "train.py", *overrides, f"hydra.run.dir={tmp_path}/run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_line_exits_2_with_a_message_and_no_traceback(tmp_path):
    result = run_cli(tmp_path, "trainer=debug", "model.dropout=1.5")
    assert result.returncode == 2
    assert "model.dropout=1.5 is not allowed: a number in [0, 1)" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_optimizer_file_is_refused_by_hydra_with_the_choices(tmp_path):
    result = run_cli(tmp_path, "trainer=debug", "optimizer=no_such_optimizer")
    assert result.returncode != 0
    assert "no_such_optimizer" in result.stderr and "adamw" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
