import pytest
import torch

from rnnlab.data.facts import DataFacts
from rnnlab.tasks import ClassificationTask, RegressionTask
from rnnlab.tasks.shapes import ShapeMismatchError

MODEL = {"kind": "lstm", "hidden_size": 4, "num_layers": 1, "dropout": 0.0, "bidirectional": False}
ADAM = {"name": "adam", "lr": 1e-3, "weight_decay": 0.0}


def test_prediction_b1_against_target_b_is_stopped_not_broadcast():
    task = RegressionTask(MODEL, ADAM, DataFacts("regression", 1, 1))
    with pytest.raises(ShapeMismatchError, match=r"\(8, 1\).*\(8,\)"):
        task.compute_loss(torch.zeros(8, 1), torch.zeros(8))


def test_classification_rejects_one_hot_targets():
    task = ClassificationTask(MODEL, ADAM, DataFacts("classification", 3, 4))
    with pytest.raises(ShapeMismatchError):
        task.compute_loss(torch.zeros(8, 4), torch.zeros(8, 4))


def test_metrics_are_in_the_data_units_and_mape_in_percent():
    facts = DataFacts(
        "forecasting",
        1,
        2,
        target_mean=5.0,
        target_std=0.5,
        target_log=True,
        percentage_errors=True,
        mase_scale=3.0,
    )
    task = RegressionTask(MODEL, ADAM, facts)
    truth = torch.tensor([[100.0, 200.0]])
    scaled_truth = (truth.log() - 5.0) / 0.5
    scaled_prediction = ((truth * 1.1).log() - 5.0) / 0.5  # 10% too high everywhere
    metrics = task.split_metrics["test_metrics"]
    task.update_metrics(metrics, scaled_prediction, scaled_truth)
    values = metrics.compute()
    assert values["mape"].item() == pytest.approx(10.0, rel=1e-4)
    assert values["mae"].item() == pytest.approx(15.0, rel=1e-4)
    assert values["mase"].item() == pytest.approx(5.0, rel=1e-4)
    assert values["rmse"].item() == pytest.approx(((10**2 + 20**2) / 2) ** 0.5, rel=1e-4)


def test_checkpoint_hparams_are_plain_and_restore_the_task(tmp_path):
    facts = DataFacts("classification", 3, 4)
    task = ClassificationTask(MODEL, ADAM, facts)
    assert task.hparams["facts"] == {**task.hparams["facts"], "task": "classification"}
    rebuilt = ClassificationTask(**dict(task.hparams))
    assert rebuilt.facts == facts
