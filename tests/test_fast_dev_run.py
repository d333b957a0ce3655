"""Every architecture trains on every built-in data set (one batch each of fit, val, test)."""

import math

import pytest

pytestmark = pytest.mark.slow  # every model on every data set through Lightning

MODELS = ["rnn", "lstm", "gru", "scratch_rnn", "scratch_lstm", "scratch_gru"]
DATA = ["synthetic", "sine", "passengers", "echo", "adding", "copy_memory"]
EXPECTED = {
    "synthetic": {"loss", "acc", "f1"},
    "echo": {"loss", "acc", "f1"},
    "copy_memory": {"loss", "acc", "f1"},
    "adding": {"loss", "mse", "mae", "rmse"},
    "sine": {"loss", "mse", "mae", "rmse"},
    "passengers": {"loss", "mse", "mae", "rmse", "mape", "mase"},
}


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("model", MODELS)
def test_fast_dev_run(run_training, model, data):
    report = run_training(f"model={model}", f"data={data}", "trainer=debug")
    metrics = report["metrics"]
    for split in ("train", "val", "test"):
        assert {key.split("/")[1] for key in metrics if key.startswith(split)} == EXPECTED[data]
    assert all(math.isfinite(value) for value in metrics.values())
    figure = {"sine": "predictions", "adding": "predictions", "passengers": "forecast"}
    assert report["figure"].endswith(f"{figure.get(data, 'confusion_matrix')}.png")


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("data", ["synthetic", "echo"])
def test_deep_bidirectional_with_dropout(run_training, model, data):
    report = run_training(
        f"model={model}",
        f"data={data}",
        "trainer=debug",
        "model.num_layers=2",
        "model.bidirectional=true",
        "model.dropout=0.3",
        "optimizer=sgd",
    )
    assert math.isfinite(report["metrics"]["test/loss"])
    assert report["config"]["data"]["name"] == data  # the data asked for is the data trained on
