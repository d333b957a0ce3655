"""Short real trainings: the built-in tasks are learnable, not noise."""

import pytest

pytestmark = pytest.mark.slow  # models trained until they learn


def test_lstm_learns_the_temporal_order_task(run_training):
    metrics = run_training("data=synthetic", "model=lstm", "trainer.max_epochs=12")["metrics"]
    assert metrics["test/acc"] >= 0.9  # chance is 0.25


def test_lstm_beats_predicting_zero_on_sine(run_training):
    metrics = run_training("data=sine", "model=lstm", "trainer.max_epochs=10")["metrics"]
    # predicting 0 gives the signal's power, about 0.5 + 0.04; the noise floor is 0.04
    assert metrics["test/mse"] < 0.1


def test_gru_learns_the_delayed_echo_labeling_task(run_training):
    overrides = ("data=echo", "model=gru", "optimizer.lr=0.01", "trainer.max_epochs=8")
    metrics = run_training(*overrides)["metrics"]
    assert metrics["test/acc"] >= 0.9  # chance is about 0.25 per step
