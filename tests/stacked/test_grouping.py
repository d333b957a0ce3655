"""Which jobs of a sweep stack together: shapes must agree, per-replica settings may not."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from conftest import compose_config
from rnnlab.stacked.grouping import (
    alone_reason,
    describe,
    per_replica,
    plan_groups,
    shape_differences,
)


def plain(*overrides: str) -> dict:
    return OmegaConf.to_container(compose_config(*overrides), resolve=True)


def test_seeds_and_learning_rates_share_one_group() -> None:
    jobs = [plain(f"seed={s}", f"optimizer.lr={lr}") for s in (0, 1) for lr in (0.001, 0.01)]
    (group,) = plan_groups(jobs, max_replicas=16)
    assert group.jobs == [0, 1, 2, 3] and group.stacked


def test_every_per_replica_setting_may_differ() -> None:
    base = plain()
    other = plain(
        "seed=7", "data.seed=3", "optimizer.lr=0.1", "optimizer.weight_decay=0.01",
        "optimizer=sgd", "scheduler=warmup", "model.init=orthogonal",
        "trainer.gradient_clip_val=0.5", "trainer.gradient_clip_algorithm=value",
        "plots=false", "checkpoint.mode=max", "checkpoint.monitor=val/mae",
    )  # fmt: skip
    assert shape_differences(base, other) == []
    assert len(plan_groups([base, other], max_replicas=2)) == 1


def test_a_different_shape_starts_another_group_and_says_which_key() -> None:
    jobs = [plain(f"model.hidden_size={h}", f"seed={s}") for s in (0, 1) for h in (16, 32)]
    groups = plan_groups(jobs, max_replicas=8)
    assert [g.jobs for g in groups] == [[0, 2], [1, 3]]
    assert shape_differences(jobs[0], jobs[1]) == ["model.hidden_size"]
    assert shape_differences(plain(), plain("model=gru")) != []


def test_max_replicas_splits_a_group() -> None:
    jobs = [plain(f"seed={s}") for s in range(5)]
    assert [g.jobs for g in plan_groups(jobs, max_replicas=2)] == [[0, 1], [2, 3], [4]]
    with pytest.raises(ValueError, match="max_replicas=0"):
        plan_groups(jobs, max_replicas=0)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (("training.tbptt_steps=2",), "tbptt_steps"),
        (("trainer.precision=16-mixed",), "precision"),
        (("trainer.accelerator=gpu",), "GPU"),
        (("checkpoint.monitor=train/loss",), "checkpoint.monitor"),
        (("callbacks=lr_monitor",), "lr_monitor"),
    ],
)
def test_what_keeps_a_job_alone_is_said(overrides: tuple[str, ...], reason: str) -> None:
    said = alone_reason(plain(*overrides))
    assert said is not None and reason in said
    groups = plan_groups([plain(*overrides), plain(*overrides, "seed=1")], max_replicas=4)
    assert [g.jobs for g in groups] == [[0], [1]]
    assert all(reason in line for line in describe(groups, [10, 11]))


def test_auto_accelerator_stays_alone_only_where_cuda_is() -> None:
    assert alone_reason(plain()) is None
    assert "GPU" in (alone_reason(plain(), cuda_available=True) or "")


def test_a_lone_job_is_said_to_have_no_partner() -> None:
    groups = plan_groups([plain("model=gru")], max_replicas=4)
    (line,) = describe(groups, [3])
    assert line == "#3 trains alone: no other job in this batch shares its shapes"


def test_per_replica_keys() -> None:
    assert per_replica("optimizer.betas") and per_replica("plots") and per_replica("seed")
    assert not per_replica("model.hidden_size") and not per_replica("data.batch_size")
    assert not per_replica("model.dropout_extra")  # a key only starting like an allowed one
