"""scheduler=: the learning rate's course, built from torch's schedulers and stepped by
Lightning (per optimizer step or per epoch), checked before training."""

import pytest
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import compose_config
from rnnlab.config.checks import check_config, check_metric_names
from rnnlab.config.convert import plain, typed_config
from rnnlab.config.scheduler import CosineConfig, PlateauConfig, StepConfig, WarmupConfig
from rnnlab.errors import ConfigError
from rnnlab.optim import build_scheduler


def lrs(settings, steps: int, total: int | None = None, per_epoch: bool = False) -> list[float]:
    """The learning rate at each of `steps` steps (or epochs) of a schedule from lr 1.0."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    entry = build_scheduler(optimizer, plain(settings), total)
    assert entry["interval"] == ("epoch" if per_epoch else "step")
    seen = []
    for _ in range(steps):
        seen.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        entry["scheduler"].step()
    return seen


def test_cosine_warms_up_linearly_then_anneals_to_min_lr_at_the_last_step():
    seen = lrs(CosineConfig(warmup=4, min_lr=0.1), steps=20, total=20)
    assert seen[:4] == pytest.approx([0.25, 0.4375, 0.625, 0.8125])  # 1/4 up to 1 in 4 steps
    assert seen[4] == pytest.approx(1.0)
    assert all(a >= b for a, b in zip(seen[4:], seen[5:], strict=False))  # then only down
    assert seen[-1] == pytest.approx(
        0.1 + 0.9 * (1 + torch.cos(torch.tensor(15 / 16 * 3.14159265)).item()) / 2, rel=1e-4
    )


def test_warmup_reaches_the_learning_rate_and_stays():
    seen = lrs(WarmupConfig(warmup=5), steps=8)
    assert seen == pytest.approx([0.2, 0.36, 0.52, 0.68, 0.84, 1.0, 1.0, 1.0])


def test_step_decays_every_step_size_epochs():
    assert lrs(StepConfig(step_size=2, gamma=0.5), 6, per_epoch=True) == pytest.approx(
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    )


def test_plateau_watches_a_validation_metric():
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    entry = build_scheduler(optimizer, plain(PlateauConfig(patience=1, factor=0.1)))
    assert entry["monitor"] == "val/loss" and entry["interval"] == "epoch"
    for loss in (1.0, 1.0, 1.0):  # no improvement after the first: a cut after patience
        entry["scheduler"].step(loss)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("overrides", "named", "allowed"),
    [
        (("scheduler=cosine", "training.tbptt_steps=5"), "scheduler='cosine'", "tbptt"),
        (("scheduler=cosine", "trainer.max_epochs=-1"), "scheduler='cosine'", "known length"),
        (("scheduler=step", "scheduler.gamma=0"), "scheduler.gamma=0.0", "(0, 1]"),
        (("scheduler=plateau", "scheduler.factor=1"), "scheduler.factor=1.0", "(0, 1)"),
        (("scheduler=warmup", "scheduler.warmup=0"), "scheduler.warmup=0", ">= 1"),
        (
            (
                "scheduler=plateau",
                "+trainer.limit_val_batches=0",
                "checkpoint.monitor=null",
                "optimized_metric=test/loss",
            ),
            "scheduler='plateau'",
            "limit_val_batches=0",
        ),
    ],
)
def test_bad_schedules_are_refused_before_training(overrides, named, allowed):
    with pytest.raises(ConfigError) as caught:
        check_config(typed_config(compose_config(*overrides)))
    assert str(caught.value).startswith(f"{named} is not allowed") and allowed in str(caught.value)


def test_plateau_needs_a_metric_the_run_logs():
    config = typed_config(compose_config("scheduler=plateau", "scheduler.monitor=val/acc"))
    with pytest.raises(ConfigError, match="scheduler.monitor='val/acc'.*val/loss"):
        check_metric_names(config, ["loss", "mse"])


def test_a_run_follows_the_schedule_and_logs_its_learning_rate(run_training, tmp_path):
    report = run_training("scheduler=cosine", "scheduler.min_lr=0.0001", "trainer.max_epochs=2",
                          "+trainer.limit_train_batches=5")  # fmt: skip
    assert report["global_step"] == 10
    events = EventAccumulator(str(tmp_path / "run0" / "tensorboard"), size_guidance={"scalars": 0})
    events.Reload()
    (tag,) = [t for t in events.Tags()["scalars"] if t.startswith("lr-")]
    course = [event.value for event in events.Scalars(tag)]
    assert course[0] == pytest.approx(1e-3) and course[-1] < course[0] / 5
    checkpoint = torch.load(tmp_path / "run0" / "checkpoints" / "last.ckpt", weights_only=True)
    assert checkpoint["lr_schedulers"][0]["last_epoch"] == 10  # resumes where it was
