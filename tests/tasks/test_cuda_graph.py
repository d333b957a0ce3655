"""The graphed training step's place in Lightning's loop, on the CPU: when it is chosen, and
that a fit through it (its eager path: capture needs CUDA, see tests/test_gpu.py) takes the
same steps as Lightning's own loop: counted, clipped, scheduled, logged, checkpointed."""

from __future__ import annotations

from types import SimpleNamespace

import lightning as L
import pytest
import torch
from graphed_fit import fit
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.strategies import DDPStrategy, SingleDeviceStrategy

from rnnlab.callbacks import DivergenceMonitor
from rnnlab.errors import DivergenceError
from rnnlab.tasks.cuda_graph import graph_blockers, make_capturable, plain_optimizer_state

CUDA = torch.device("cuda")


class TouchesGradients(L.Callback):
    def on_after_backward(self, trainer, pl_module) -> None:
        pass


def gpu_trainer(**changes) -> SimpleNamespace:
    """What graph_blockers reads of a Trainer, as one on a single CUDA device has it."""
    model = torch.nn.Linear(2, 1)
    values = {
        "strategy": SingleDeviceStrategy(device=CUDA),
        "precision": "32-true",
        "accumulate_grad_batches": 1,
        "optimizers": [torch.optim.Adam(model.parameters())],
        "callbacks": [ModelCheckpoint(), DivergenceMonitor(1000.0)],
    }
    return SimpleNamespace(**(values | changes))


def task(cuda_graph: bool = True, tbptt_steps: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(training_options={"cuda_graph": cuda_graph}, tbptt_steps=tbptt_steps)


def test_a_single_gpu_fit_with_adam_and_rnnlabs_callbacks_is_graphed():
    assert graph_blockers(gpu_trainer(), task()) == []


def test_switched_off_or_on_the_cpu_it_is_not_graphed():
    assert graph_blockers(gpu_trainer(), task(cuda_graph=False)) == ["training.cuda_graph=false"]
    on_cpu = gpu_trainer(strategy=SingleDeviceStrategy(device=torch.device("cpu")))
    assert graph_blockers(on_cpu, task()) == ["the device is cpu, not CUDA"]


@pytest.mark.parametrize(
    ("changes", "tbptt", "reason"),
    [
        ({"precision": "bf16-mixed"}, None, "precision bf16-mixed"),
        ({"accumulate_grad_batches": 4}, None, "accumulate_grad_batches=4"),
        ({"callbacks": [TouchesGradients()]}, None, "TouchesGradients acts in on_after_backward"),
        ({}, 8, "truncated BPTT"),
    ],
)
def test_what_the_graph_cannot_replay_is_named(changes, tbptt, reason):
    (blocker,) = graph_blockers(gpu_trainer(**changes), task(tbptt_steps=tbptt))
    assert reason in blocker


def test_sgd_and_ddp_are_named_together():
    sgd = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    trainer = gpu_trainer(strategy=DDPStrategy(parallel_devices=[CUDA, CUDA]), optimizers=[sgd])
    blockers = graph_blockers(trainer, task())
    assert any("DDPStrategy" in b for b in blockers)
    assert any("optimizer SGD" in b for b in blockers)


def test_a_graphed_runs_optimizer_state_is_saved_as_an_eager_run_writes_it():
    """Tensor lr and capturable=True would not step on the CPU; the saved state loads and
    steps there."""
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model(torch.randn(4, 3)).sum().backward()
    optimizer.step()
    make_capturable(optimizer, torch.device("cpu"))  # as on CUDA, minus the device
    assert torch.is_tensor(optimizer.param_groups[0]["lr"])
    state = optimizer.state_dict()
    plain_optimizer_state(state)
    assert state["param_groups"][0]["lr"] == pytest.approx(0.01)
    assert state["param_groups"][0]["capturable"] is False
    fresh = torch.optim.Adam(model.parameters(), lr=0.5)
    fresh.load_state_dict(state)
    fresh.step()
    assert fresh.param_groups[0]["lr"] == pytest.approx(0.01)


def test_divergence_after_a_graphed_step_stops_the_run():
    """The step already ran in the graph; the monitor checks it at the batch's end."""
    monitor = DivergenceMonitor(1000.0)
    logged: list[tuple[dict, int]] = []
    logger = SimpleNamespace(log_metrics=lambda values, step: logged.append((values, step)))
    trainer = SimpleNamespace(
        global_step=5, current_epoch=0, log_every_n_steps=1, loggers=[logger],
        strategy=SimpleNamespace(reduce_boolean_decision=lambda decision, all: decision),
    )  # fmt: skip
    module = SimpleNamespace(last_loss=torch.tensor(0.5), step_grad_norm=torch.tensor(2.0))
    monitor.on_train_batch_end(trainer, module)
    assert logged == [({"train/loss_step": 0.5, "train/grad_norm": 2.0}, 4)]
    assert module.step_grad_norm is None  # each step checked once
    module.step_grad_norm = torch.tensor(float("nan"))
    trainer.global_step = 6
    with pytest.raises(DivergenceError, match="at step 5"):
        monitor.on_train_batch_end(trainer, module)


STEPS = ("trainer.max_steps=10", "data.batch_size=24")


@pytest.mark.parametrize(
    "setting",
    [
        ("optimizer=adam", "trainer.gradient_clip_val=0.05"),
        (
            "optimizer=adamw",
            "trainer.gradient_clip_val=0.01",
            "trainer.gradient_clip_algorithm=value",
            "scheduler=warmup",
            "scheduler.warmup=4",
        ),
    ],  # fmt: skip
    ids=["adam-clip-norm", "adamw-clip-value-warmup"],
)
def test_a_fit_through_the_graphed_step_equals_lightnings_own(tmp_path, monkeypatch, setting):
    """The graphed step's own clipping, its return of None and its optimizer_step hook leave
    Lightning counting steps, stepping the schedule and logging norms as it does itself."""
    eager = fit(tmp_path / "eager", *STEPS, *setting)
    monkeypatch.setattr("rnnlab.tasks.base.graph_blockers", lambda trainer, task: [])
    graphed = fit(tmp_path / "graphed", *STEPS, *setting)
    assert graphed.task.cuda_graph_status == "on (not captured: 10 eager steps)"
    assert eager.task.cuda_graph_status == "off (the device is cpu, not CUDA)"
    assert graphed.trainer.global_step == eager.trainer.global_step == 10
    torch.testing.assert_close(graphed.weights, eager.weights)
    assert graphed.grad_norms == pytest.approx(eager.grad_norms, rel=1e-5)
    assert len(graphed.grad_norms) == 10
    assert graphed.lrs == pytest.approx(eager.lrs)
    # the clip really bit: the first step's raw norm is above every threshold used
    assert graphed.grad_norms[0] > 0.05


def test_each_fit_starts_without_the_last_fits_graph(tmp_path, monkeypatch):
    """A graph holds the optimizer it captured; a second fit builds a new one."""
    monkeypatch.setattr("rnnlab.tasks.base.graph_blockers", lambda trainer, task: [])
    first = fit(tmp_path / "first", *STEPS)
    assert first.task.graphed_step is None  # dropped when the fit ended
    first.task.graphed_step = object()  # as if kept: configure_optimizers must drop it
    first.task.configure_optimizers()
    assert first.task.graphed_step is None


def test_a_failed_capture_leaves_the_fit_eager_with_one_warning(tmp_path):
    """Capture itself needs CUDA: forced on here, it fails as a capture error would, and the
    steps go on eagerly, equal to a plain loop's."""
    from rnnlab.tasks.cuda_graph import GraphedTrainingStep

    mine, plain = (fit(tmp_path / name, "trainer.max_steps=1") for name in ("mine", "plain"))
    x, y = next(iter(mine.datamodule.train_dataloader()))
    stepper = GraphedTrainingStep(mine.task, torch.optim.Adam(mine.task.parameters()), 0.5, "norm")
    stepper.can_capture = True  # as on a GPU; CPU torch refuses to build a CUDAGraph
    optimizer = torch.optim.Adam(plain.task.parameters())
    with pytest.warns(UserWarning, match="CUDA graph capture of the training step failed") as said:
        for _ in range(6):
            stepper.step(x, y)
            optimizer.zero_grad()
            plain.task.compute_loss(plain.task(x), y).backward()
            torch.nn.utils.clip_grad_norm_(plain.task.parameters(), 0.5)
            optimizer.step()
    assert sum("capture" in str(w.message) for w in said) == 1  # tried once, not every step
    assert stepper.status.startswith("off (capture failed: ")
    assert (stepper.eager_steps, stepper.replays) == (6, 0)
    for a, b in zip(mine.task.parameters(), plain.task.parameters(), strict=True):
        torch.testing.assert_close(a, b)
