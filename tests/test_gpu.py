"""Runs only where CUDA is present (the lent GPU machine); CI skips it."""

import pytest
import torch

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def test_trainer_gpu_trains_on_the_gpu_with_data_already_there(run_training):
    report = run_training("model=lstm", "trainer=gpu", "trainer.max_epochs=2")
    assert report["device"].startswith("cuda")
    assert report["metrics"]["test/loss"] < 1.0


def test_bidirectional_gru_on_gpu_passengers(run_training):
    report = run_training(
        "model=gru",
        "model.bidirectional=true",
        "data=passengers",
        "trainer=gpu",
        "trainer.max_epochs=2",
        "trainer.gradient_clip_val=0.5",
    )
    assert report["device"].startswith("cuda")
