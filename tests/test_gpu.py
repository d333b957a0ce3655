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


def test_scratch_layers_match_cudnn_on_the_gpu():
    from rnnlab.models import RecurrentBackbone

    torch.manual_seed(0)
    for kind in ("rnn", "lstm", "gru"):
        options = {"input_size": 3, "hidden_size": 8, "num_layers": 2, "bidirectional": True}
        cudnn = RecurrentBackbone(kind, **options).double().cuda()
        scratch = RecurrentBackbone(kind, implementation="scratch", **options).double().cuda()
        scratch.load_state_dict(cudnn.state_dict())
        x = torch.randn(4, 11, 3, dtype=torch.float64, device="cuda")
        torch.testing.assert_close(scratch(x)[0], cudnn(x)[0], atol=1e-6, rtol=0)


def test_benchmarks_run_on_the_gpu():
    import subprocess
    import sys

    from conftest import ROOT

    for script in (["scripts/benchmark_step.py", "--epochs", "1"],
                   ["scripts/benchmark_scratch.py", "--repeats", "2"]):  # fmt: skip
        result = subprocess.run([sys.executable, *script], cwd=ROOT, capture_output=True,
                                text=True, timeout=600)  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        assert "device: " in result.stdout and "cpu" not in result.stdout.splitlines()[0]
