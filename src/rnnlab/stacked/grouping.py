"""Which jobs of a sweep may train together as one stacked model, and why the others may not.

Jobs stack when every setting that changes a tensor's shape or the training loop's course
agrees; what each replica keeps for itself (its seed, optimizer, schedule, dropout rates,
clipping, initialisation, checkpoint and stopping rules) may differ. A job is left alone,
with the reason said, when something in it has not been made exact for stacking yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rnnlab.resume import RUN_CONTROL, flatten

# keys (and prefixes, ending in ".") whose values each replica may choose for itself
PER_REPLICA = (
    "seed",
    "data.seed",
    "optimizer.",
    "scheduler.",
    "model.dropout",
    "model.head_dropout",
    "model.init",
    "model.forget_bias",
    "trainer.gradient_clip_val",
    "trainer.gradient_clip_algorithm",
    "training.divergence_factor",
    "checkpoint.",
    "callbacks.early_stopping.",
    "optimized_metric",
    "optimized_mode",
    "logger.",
)
SINGLE_PRECISIONS = {"32", "32-true", "64", "64-true"}


def per_replica(key: str) -> bool:
    """Whether a dotted config key may differ between the replicas of one group."""
    return key in RUN_CONTROL or any(
        key == allowed or (allowed.endswith(".") and key.startswith(allowed))
        for allowed in PER_REPLICA
    )


def alone_reason(config: Mapping[str, Any], cuda_available: bool = False) -> str | None:
    """Why this job must train alone (None: it may join a group)."""
    trainer, training = config["trainer"], config.get("training") or {}
    callbacks = config.get("callbacks") or {}
    reasons = {
        "training.tbptt_steps is set (truncated BPTT steps several times per batch)":
            bool(training.get("tbptt_steps")),
        "auto.candidates is set (a forecasting search, not one run)":
            bool((config.get("auto") or {}).get("candidates")),
        "ckpt_path is set (it starts from its own checkpoint)": bool(config.get("ckpt_path")),
        "trainer.devices is not 1 (stacking is for one device)": trainer.get("devices", 1) != 1,
        "trainer.strategy is not auto (stacking is for one process)":
            str(trainer.get("strategy", "auto")) != "auto",
        f"trainer.precision={trainer.get('precision')} (stacking is exact in 32 and 64 only)":
            str(trainer.get("precision")) not in SINGLE_PRECISIONS,
        "it would train on a GPU (stacking is tested on the CPU only so far)":
            str(trainer.get("accelerator")) in ("gpu", "cuda", "mps")
            or (str(trainer.get("accelerator")) == "auto" and cuda_available),
        "trainer.fast_dev_run is on": bool(trainer.get("fast_dev_run")),
        "checkpoint.monitor is not a val/ metric": not str(
            (config.get("checkpoint") or {}).get("monitor") or ""
        ).startswith("val/"),
        "a callback given by _target_ (its hooks would see the group, not the job)":
            any(isinstance(c, Mapping) and "_target_" in c for c in callbacks.values()),
        "callbacks.lr_monitor is picked (it logs one optimizer per run)":
            "lr_monitor" in callbacks,
    }  # fmt: skip
    return next((reason for reason, applies in reasons.items() if applies), None)


def shape_key(config: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Every setting replicas must share, as sorted (key, value) pairs."""
    return tuple(sorted((k, repr(v)) for k, v in flatten(config) if not per_replica(k)))


@dataclass
class Group:
    """Jobs (their positions in the batch) trained together; `alone` says why one was not."""

    jobs: list[int]
    alone: str | None = None

    @property
    def stacked(self) -> bool:
        return len(self.jobs) > 1


def plan_groups(
    configs: Sequence[Mapping[str, Any]], max_replicas: int, cuda_available: bool = False
) -> list[Group]:
    """Groups in the order of their first job; a group holds at most `max_replicas` jobs."""
    if max_replicas < 1:
        raise ValueError(f"hydra.launcher.max_replicas={max_replicas}: must be at least 1")
    groups: list[Group] = []
    open_groups: dict[tuple[tuple[str, str], ...], Group] = {}
    for index, config in enumerate(configs):
        reason = alone_reason(config, cuda_available)
        if reason is not None:
            groups.append(Group([index], reason))
            continue
        key = shape_key(config)
        group = open_groups.get(key)
        if group is None or len(group.jobs) >= max_replicas:
            group = open_groups[key] = Group([])
            groups.append(group)
        group.jobs.append(index)
    for group in groups:
        if not group.stacked and group.alone is None:
            group.alone = "no other job in this batch shares its shapes"
    return groups


def shape_differences(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """The shared-shape keys two jobs disagree on: why they landed in different groups."""
    left, right = dict(shape_key(a)), dict(shape_key(b))
    return sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))


def describe(groups: Sequence[Group], job_numbers: Sequence[int]) -> list[str]:
    """One log line per group: '#0,#1,#2,#3 train stacked (4 replicas)' or why one is alone."""
    lines = []
    for group in groups:
        names = ",".join(f"#{job_numbers[i]}" for i in group.jobs)
        if group.stacked:
            lines.append(f"{names} train stacked ({len(group.jobs)} replicas)")
        else:
            lines.append(f"{names} trains alone: {group.alone}")
    return lines
