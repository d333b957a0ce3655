"""TensorBoard HPARAMS: each run's settings beside its real final metrics, and for a sweep one
experiment that opens on what was swept.

TensorBoard's hparams plugin reads three summaries: a run's session start (its settings),
its session end, and one experiment (which columns exist, their values, whether they differ,
which metrics). Lightning and torch write all three per run, with bools and ints as floats
and None as the string "None", and every run's experiment says nothing differs; TensorBoard
then takes one run's experiment at random and opens on five constant columns. Here a run
writes its session with each value's own type (None left out: the cell stays empty and the
column keeps its type), and a sweep writes one experiment at its root when it ends, with
the swept columns marked as differing (TensorBoard lists them first) and the val/ and
test/ metrics first. Protos are built with tensorboard's own plugin modules (no TensorFlow).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2
from lightning.pytorch.loggers import TensorBoardLogger
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.plugins.hparams import api_pb2, metadata, plugin_data_pb2

Scalar = bool | int | float | str | None

# The final metrics' tags start with this: after train/, val/ and test/ in every list
# TensorBoard sorts by name, so the charts that open first are the curves, not lone dots.
FINAL = "~final"
GROUPS = ("model", "data", "optimizer", "trainer", "training", "seed")
SWEEP_FILE_SUFFIX = ".rnnlab_sweep"


def flat_hyperparameters(
    config: Mapping[str, Any], groups: tuple[str, ...] = GROUPS
) -> dict[str, Scalar]:
    """{'model/hidden_size': 64, 'trainer/gradient_clip_val': None, ...} from the chosen
    groups; lists and other values as their text."""
    flat: dict[str, Scalar] = {}

    def visit(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                visit(f"{prefix}/{key}" if prefix else str(key), inner)
        elif value is None or isinstance(value, (bool, int, float, str)):
            flat[prefix] = value
        else:
            flat[prefix] = str(value)

    for group in groups:
        if group in config:
            visit(group, config[group])
    return flat


def typed_value(value: Scalar) -> struct_pb2.Value | None:
    """A bool stays a bool (not 1.0), a number a number, text text; None has no value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return struct_pb2.Value(bool_value=value)
    if isinstance(value, (int, float)):
        return struct_pb2.Value(number_value=float(value))
    return struct_pb2.Value(string_value=str(value))


def metric_order(names: Sequence[str]) -> list[str]:
    """val/ first, then test/, then train/ and the rest: what a comparison is made by."""
    rank = {"val": 0, "test": 1, "train": 2}
    return sorted(names, key=lambda name: (rank.get(name.split("/")[0], 3), name))


def _summary(tag: str, data: plugin_data_pb2.HParamsPluginData) -> Summary:
    return Summary(value=[Summary.Value(tag=tag, metadata=metadata.create_summary_metadata(data))])


def session_summaries(hparams: Mapping[str, Scalar], group: str) -> tuple[Summary, Summary]:
    """(session start, session end) of one finished run."""
    start = plugin_data_pb2.SessionStartInfo(group_name=group, start_time_secs=time.time())
    for key, value in hparams.items():
        typed = typed_value(value)
        if typed is not None:
            start.hparams[key].CopyFrom(typed)
    end = plugin_data_pb2.SessionEndInfo(status=api_pb2.STATUS_SUCCESS, end_time_secs=time.time())
    return (
        _summary(
            metadata.SESSION_START_INFO_TAG,
            plugin_data_pb2.HParamsPluginData(session_start_info=start),
        ),
        _summary(
            metadata.SESSION_END_INFO_TAG, plugin_data_pb2.HParamsPluginData(session_end_info=end)
        ),
    )


def hparam_info(name: str, values: Sequence[Scalar]) -> api_pb2.HParamInfo:
    """A column: its type, its distinct values (the filter's choices) and whether runs
    differ in it (a run without a value, or with None, differs from one with a value; a
    column None in every run differs in nothing)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        kind, distinct = api_pb2.DATA_TYPE_BOOL, sorted(set(present))
    elif present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        kind, distinct = api_pb2.DATA_TYPE_FLOAT64, sorted({float(v) for v in present})
    else:
        kind, distinct = api_pb2.DATA_TYPE_STRING, sorted({str(v) for v in present})
    info = api_pb2.HParamInfo(name=name, display_name=name, type=kind)
    info.domain_discrete.extend(distinct)
    info.differs = len(distinct) > 1 or 0 < len(present) < len(values)
    return info


def experiment_summary(runs: Sequence[Mapping[str, Scalar]], metrics: Sequence[str]) -> Summary:
    """One experiment over these runs' settings: the columns that differ first; `metrics`
    (val/loss, ...) in metric_order, read from each run's FINAL/<metric> scalar."""
    names: list[str] = []
    for run in runs:
        names += [name for name in run if name not in names]
    infos = [hparam_info(name, [run.get(name) for run in runs]) for name in names]
    infos.sort(key=lambda info: (not info.differs, info.name))
    experiment = api_pb2.Experiment(hparam_infos=infos, time_created_secs=time.time())
    for name in metric_order(metrics):
        experiment.metric_infos.add(name=api_pb2.MetricName(group="", tag=f"{FINAL}/{name}"),
                                    display_name=name)  # fmt: skip
    return _summary(
        metadata.EXPERIMENT_TAG, plugin_data_pb2.HParamsPluginData(experiment=experiment)
    )


def log_run_hparams(
    logger: TensorBoardLogger,
    hparams: Mapping[str, Scalar],
    metrics: Mapping[str, float],
    step: int,
    experiment: bool,
) -> None:
    """The run's final metrics as FINAL/<metric> scalars and its session; with `experiment`
    (a single run) also its own experiment, which in a sweep the sweep writes instead."""
    writer = logger.experiment
    for name, value in metrics.items():
        writer.add_scalar(f"{FINAL}/{name}", value, global_step=step)
    file_writer = writer._get_file_writer()
    if experiment:
        file_writer.add_summary(experiment_summary([hparams], list(metrics)))
    for summary in session_summaries(hparams, logger.version or ""):
        file_writer.add_summary(summary)
    logger.finalize("success")


def write_sweep_experiment(
    sweep_dir: Path, runs: Sequence[Mapping[str, Scalar]], metrics: Sequence[str]
) -> Path:
    """The sweep's experiment, in an event file at its root (the one written before, by an
    earlier end of the same sweep, replaced)."""
    from torch.utils.tensorboard import SummaryWriter

    for old in sweep_dir.glob(f"events.out.tfevents.*{SWEEP_FILE_SUFFIX}"):
        old.unlink()
    writer = SummaryWriter(log_dir=str(sweep_dir), filename_suffix=SWEEP_FILE_SUFFIX)
    writer._get_file_writer().add_summary(experiment_summary(runs, metrics))
    writer.close()
    (path,) = sweep_dir.glob(f"events.out.tfevents.*{SWEEP_FILE_SUFFIX}")
    return path
