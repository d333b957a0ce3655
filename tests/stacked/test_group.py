"""A stacked group's jobs leave the folders their solo runs leave (CPU, float64).

Each case trains two jobs as one group (rnnlab.stacked.train_group) and the same two alone
(rnnlab.run.train), then compares what a user reads: metrics.json, every checkpoint entry
(weights, optimizer and schedule states, random streams, loops, callbacks' states), the
TensorBoard curves and the test forecast. A replica that diverges fails alone.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import compose_config
from rnnlab.run import train
from rnnlab.stacked.train_group import GroupJob, train_group
from rnnlab.sweep.job import record_failure

COMMON = ("trainer.precision=64", "plots=false", "trainer.enable_progress_bar=false",
          "trainer.enable_model_summary=false", "torch_threads=1")  # fmt: skip
REPLICAS = (("seed=0", "optimizer.lr=0.03"), ("seed=1", "optimizer.lr=0.002"))
CASES = {
    "early stopping and a plateau schedule per replica": (
        "data=sine",
        "trainer.max_epochs=8",
        "callbacks=early_stopping",
        "callbacks.early_stopping.patience=1",
        "scheduler=plateau",
        "scheduler.patience=0",
    ),  # fmt: skip
    "a step schedule, gru": (
        "data=sine",
        "model=gru",
        "trainer.max_epochs=3",
        "scheduler=step",
        "scheduler.step_size=1",
    ),  # fmt: skip
    "forecasting": ("data=passengers", "trainer.max_epochs=3"),
}
VOLATILE = {"wall_time_s", "versions", "best_checkpoint", "last_checkpoint", "test_forecast",
            "stacked", "cuda_graph", "figure"}  # fmt: skip


def run_both(tmp_path: Path, case: tuple[str, ...], replicas=REPLICAS) -> list[tuple[Path, Path]]:
    """-> [(stacked job's folder, solo run's folder)] per replica."""
    overrides = [(*COMMON, *case, *replica) for replica in replicas]
    jobs = [GroupJob(compose_config(*o), tmp_path / "stacked" / str(i), f"job{i}", i)
            for i, o in enumerate(overrides)]  # fmt: skip
    train_group(jobs, multirun=False)
    pairs = []
    for job, replica_overrides in zip(jobs, overrides, strict=True):
        solo = tmp_path / "solo" / str(job.number)
        try:
            train(compose_config(*replica_overrides), solo)
        except Exception as error:  # noqa: BLE001 - recorded as a sweep's job records it
            record_failure(solo, error, 0.0)
        pairs.append((job.output_dir, solo))
    return pairs


def flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """{'/loops/fit_loop/...': leaf} over nested dicts and lists."""
    if isinstance(value, dict):
        items = [(f"{prefix}/{key}", item) for key, item in value.items()]
    elif isinstance(value, list | tuple):
        items = [(f"{prefix}[{i}]", item) for i, item in enumerate(value)]
    else:
        return {prefix: value}
    return {k: v for path, item in items for k, v in flat(item, path).items()}


def same_checkpoint(stacked: Path, solo: Path) -> None:
    """Every entry equal; paths equal once each run's own folder is taken out."""

    def entries(path: Path, folder: Path) -> dict[str, Any]:
        state = flat(torch.load(path, weights_only=True))
        return {k.replace(str(folder), "<run>"): v.replace(str(folder), "<run>")
                if isinstance(v, str) else v for k, v in state.items()}  # fmt: skip

    a, b = entries(stacked, stacked.parents[1]), entries(solo, solo.parents[1])
    assert a.keys() == b.keys()
    for key, value in a.items():
        if isinstance(value, torch.Tensor):
            torch.testing.assert_close(value, b[key], rtol=1e-8, atol=0, msg=key)
        else:
            assert value == b[key], key


def scalars(folder: Path) -> dict[str, list[tuple[int, float]]]:
    curves: dict[str, list[tuple[int, float]]] = {}
    for events in sorted(folder.rglob("events.out.tfevents.*")):
        accumulator = EventAccumulator(str(events))
        accumulator.Reload()
        for tag in accumulator.Tags()["scalars"]:
            curves.setdefault(tag, []).extend((e.step, e.value) for e in accumulator.Scalars(tag))
    return curves


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_a_group_leaves_each_job_folder_as_its_solo_run(tmp_path: Path, case: str) -> None:
    epochs = set()
    for stacked, solo in run_both(tmp_path, CASES[case]):
        a = json.loads((stacked / "metrics.json").read_text())
        b = json.loads((solo / "metrics.json").read_text())
        assert a["stacked"] == {"group": [0, 1], "replicas": 2,
                                "group_wall_time_s": a["stacked"]["group_wall_time_s"]}  # fmt: skip
        assert a["metrics"].keys() == b["metrics"].keys()
        for name, value in b["metrics"].items():
            assert a["metrics"][name] == pytest.approx(value, rel=1e-8, abs=0), name
        assert {k: v for k, v in a.items() if k not in VOLATILE | {"metrics"}} == {
            k: v for k, v in b.items() if k not in VOLATILE | {"metrics"}}  # fmt: skip
        assert Path(a["best_checkpoint"]).name == Path(b["best_checkpoint"]).name
        for name in ("last.ckpt", Path(b["best_checkpoint"]).name):
            same_checkpoint(stacked / "checkpoints" / name, solo / "checkpoints" / name)
        curves, expected = scalars(stacked), scalars(solo)
        schedules = [tag for tag in expected if tag.startswith("lr-")]  # LearningRateMonitor
        assert ("scheduler=" in " ".join(CASES[case])) == bool(schedules)
        for tag in ("train/loss_step", "train/grad_norm", "val/loss", "train/loss", "test/loss",
                    *schedules):  # fmt: skip
            assert [s for s, _ in curves[tag]] == [s for s, _ in expected[tag]], tag
            assert [v for _, v in curves[tag]] == pytest.approx([v for _, v in expected[tag]])
        if "test_forecast" in b:
            assert list(csv.reader((stacked / "test_forecast.csv").open())) == list(
                csv.reader((solo / "test_forecast.csv").open()))  # fmt: skip
        epochs.add(a["epochs"])
    if "early stopping" in case:
        assert len(epochs) == 2, "the replicas should stop at different epochs"


@pytest.mark.slow
def test_a_replica_checkpoint_resumes_as_a_solo_checkpoint(tmp_path: Path) -> None:
    """`ckpt_path=` a replica's last.ckpt: the solo run continues from it, and its result is
    the replica's own."""
    ((stacked, _), _) = run_both(tmp_path, ("data=sine", "trainer.max_epochs=2"))
    reported = json.loads((stacked / "metrics.json").read_text())["metrics"]
    config = compose_config(*COMMON, "data=sine", "trainer.max_epochs=2", *REPLICAS[0],
                            f"ckpt_path={stacked / 'checkpoints' / 'last.ckpt'}")  # fmt: skip
    train(config, tmp_path / "continued")
    continued = json.loads((tmp_path / "continued" / "metrics.json").read_text())["metrics"]
    for name in ("val/loss", "test/loss", "test/mae"):
        assert continued[name] == pytest.approx(reported[name], rel=1e-8, abs=0)


@pytest.mark.slow
def test_a_diverging_replica_fails_alone(tmp_path: Path) -> None:
    replicas = (("seed=0", "optimizer.lr=0.002"),
                ("seed=1", "optimizer.lr=5", "training.divergence_factor=2"))  # fmt: skip
    (healthy, healthy_solo), (diverged, diverged_solo) = run_both(
        tmp_path, ("data=sine", "trainer.max_epochs=3"), replicas
    )
    failure = json.loads((diverged / "failure.json").read_text())
    solo_failure = json.loads((diverged_solo / "failure.json").read_text())
    assert failure["error_type"] == solo_failure["error_type"] == "DivergenceError"
    assert (failure["step"], failure["epoch"]) == (solo_failure["step"], solo_failure["epoch"])
    assert not (diverged / "metrics.json").exists()
    a = json.loads((healthy / "metrics.json").read_text())["metrics"]
    b = json.loads((healthy_solo / "metrics.json").read_text())["metrics"]
    assert a == pytest.approx(b, rel=1e-8, abs=0)
