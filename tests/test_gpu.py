"""Runs only where CUDA is present (the lent GPU machine); CI skips it."""

import pytest
import torch

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def test_trainer_gpu_trains_on_the_gpu_with_data_already_there(run_training):
    report = run_training("model=lstm", "trainer=gpu", "trainer.max_epochs=2")
    assert report["device"].startswith("cuda")
    assert report["metrics"]["test/loss"] < 1.0
    assert report["cuda_graph"].startswith("on (") and "replays" in report["cuda_graph"]


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


# --- the whole training step as one CUDA graph (rnnlab/tasks/cuda_graph.py) ----------------
GRAPH_STEPS = ("trainer=gpu", "trainer.max_steps=10", "data.batch_size=24")


def replays(status: str) -> tuple[int, int]:
    """'on (7 replays, 3 eager steps)' -> (7, 3)."""
    words = status.removeprefix("on (").split()
    return int(words[0]), int(words[2])


@pytest.mark.parametrize(
    "setting",
    [
        ("model=lstm", "model.num_layers=2", "optimizer=adam", "trainer.gradient_clip_val=0.05"),
        (
            "model=gru",
            "model.bidirectional=true",
            "optimizer=adamw",
            "scheduler=warmup",
            "scheduler.warmup=4",
            "trainer.gradient_clip_val=0.01",
            "trainer.gradient_clip_algorithm=value",
        ),
        ("model=scratch_lstm", "optimizer=adam"),
    ],  # fmt: skip
    ids=["lstm-adam-clip-norm", "bigru-adamw-warmup-clip-value", "scratch-lstm"],
)
def test_the_graphed_step_equals_the_eager_step_after_10_steps(tmp_path, setting):
    from tasks.graphed_fit import fit

    eager = fit(tmp_path / "eager", *GRAPH_STEPS, *setting, "training.cuda_graph=false")
    graphed = fit(tmp_path / "graphed", *GRAPH_STEPS, *setting)
    assert eager.task.cuda_graph_status == "off (training.cuda_graph=false)"
    assert replays(graphed.task.cuda_graph_status) == (7, 3)  # captured after 3 eager steps
    assert graphed.trainer.global_step == 10
    torch.testing.assert_close(graphed.weights, eager.weights, atol=1e-5, rtol=1e-4)
    assert graphed.grad_norms == pytest.approx(eager.grad_norms, rel=1e-4)
    assert graphed.lrs == pytest.approx(eager.lrs)


def test_a_batch_of_another_shape_runs_eagerly_between_replays(tmp_path):
    """rnnlab's training loaders drop the short last batch; a data module that keeps it gets
    that batch stepped eagerly, into the graph's own gradients, and replays go on after it."""
    from tasks.graphed_fit import fit

    from rnnlab.tasks.cuda_graph import GraphedTrainingStep

    graphed, eager = (fit(tmp_path / name, *GRAPH_STEPS, "training.cuda_graph=false")
                      for name in ("graphed", "eager"))  # fmt: skip
    x, y = next(iter(graphed.datamodule.train_dataloader()))
    x, y = x.cuda(), y.cuda()
    for task in (graphed.task, eager.task):  # a finished fit leaves its module on the CPU
        task.cuda().train()
    graphed_opt = torch.optim.Adam(graphed.task.parameters(), lr=0.01)
    eager_opt = torch.optim.Adam(eager.task.parameters(), lr=0.01)
    stepper = GraphedTrainingStep(graphed.task, graphed_opt, 0.1, "norm")
    for size in (24, 24, 24, 24, 10, 24, 24, 24):  # capture at the 4th, eager at the 5th
        batch = (x[:size] * (1 + size / 100), y[:size])
        stepper.step(*batch)
        eager_opt.zero_grad()
        loss = eager.task.compute_loss(eager.task(batch[0]), batch[1])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(eager.task.parameters(), 0.1)
        eager_opt.step()
    assert (stepper.replays, stepper.eager_steps) == (4, 4)
    for mine, theirs in zip(graphed.task.parameters(), eager.task.parameters(), strict=True):
        torch.testing.assert_close(mine, theirs, atol=1e-5, rtol=1e-4)


def test_a_second_fit_captures_its_own_graph(tmp_path):
    """A graph kept from a fit replays into the freed state of its optimizer (a crash)."""
    import lightning as L
    from tasks.graphed_fit import fit

    first = fit(tmp_path / "first", *GRAPH_STEPS)
    again = L.Trainer(accelerator="gpu", devices=1, max_steps=8, logger=False,
                      enable_checkpointing=False, enable_progress_bar=False,
                      limit_val_batches=0)  # fmt: skip
    again.fit(first.task, datamodule=first.datamodule)
    assert replays(first.task.cuda_graph_status) == (5, 3)
    assert all(torch.isfinite(p).all() for p in first.task.parameters())


def test_dropout_and_a_schedule_under_the_graph_learn_as_eagerly(run_training):
    """Dropout draws other masks than eager, so equal weights are not expected: the same
    quality is (a mask frozen into the graph would learn worse)."""
    setting = ("model=lstm", "model.num_layers=2", "model.dropout=0.3", "scheduler=cosine",
               "trainer=gpu", "trainer.max_epochs=8")  # fmt: skip
    eager = run_training(*setting, "training.cuda_graph=false")
    graphed = run_training(*setting)
    assert graphed["cuda_graph"].startswith("on (")
    assert graphed["metrics"]["test/loss"] < 1.5 * eager["metrics"]["test/loss"]
