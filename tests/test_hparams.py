"""TensorBoard HPARAMS protos: each value keeps its type, a sweep's experiment marks what
differs and lists it first, metrics val/ then test/ then train/."""

from google.protobuf import struct_pb2
from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2

from rnnlab.hparams import (
    FINAL,
    experiment_summary,
    flat_hyperparameters,
    metric_order,
    session_summaries,
    typed_value,
)


def experiment_of(summary) -> api_pb2.Experiment:
    (value,) = summary.value
    return plugin_data_pb2.HParamsPluginData.FromString(
        value.metadata.plugin_data.content
    ).experiment


def test_values_keep_their_type_and_none_has_no_value():
    assert typed_value(True).WhichOneof("kind") == "bool_value"
    assert typed_value(64) == struct_pb2.Value(number_value=64.0)
    assert typed_value("lstm").string_value == "lstm"
    assert typed_value(None) is None
    start, _ = session_summaries({"a": True, "b": None, "c": 2}, "run")
    content = plugin_data_pb2.HParamsPluginData.FromString(
        start.value[0].metadata.plugin_data.content
    )
    assert set(content.session_start_info.hparams) == {"a", "c"}
    assert content.session_start_info.group_name == "run"


def test_a_sweeps_experiment_lists_what_differs_first_with_its_values():
    runs = [
        {"model/kind": "rnn", "model/nonlinearity": "tanh", "clip": None, "bi": False, "lr": 0.01},
        {"model/kind": "gru", "clip": 0.5, "bi": True, "lr": 0.01},
        {"model/kind": "gru", "clip": None, "bi": False, "lr": 0.01},
    ]
    experiment = experiment_of(experiment_summary(runs, ["train/loss", "test/mae", "val/loss"]))
    infos = {info.name: info for info in experiment.hparam_infos}
    order = [info.name for info in experiment.hparam_infos]
    assert order == ["bi", "clip", "model/kind", "model/nonlinearity", "lr"]  # differs first
    assert [infos[n].differs for n in order] == [True, True, True, True, False]
    assert infos["bi"].type == api_pb2.DATA_TYPE_BOOL
    assert infos["clip"].type == api_pb2.DATA_TYPE_FLOAT64  # None does not make it text
    assert [v.number_value for v in infos["clip"].domain_discrete.values] == [0.5]
    assert [v.string_value for v in infos["model/kind"].domain_discrete.values] == ["gru", "rnn"]
    assert [m.display_name for m in experiment.metric_infos] == ["val/loss", "test/mae",
                                                                  "train/loss"]  # fmt: skip
    assert experiment.metric_infos[0].name.tag == f"{FINAL}/val/loss"


def test_a_column_none_in_every_run_differs_in_nothing():
    experiment = experiment_of(experiment_summary([{"clip": None}, {"clip": None}], []))
    assert not experiment.hparam_infos[0].differs


def test_flat_hyperparameters_keep_none_and_types():
    flat = flat_hyperparameters({"model": {"kind": "gru", "bidirectional": True},
                                 "trainer": {"gradient_clip_val": None, "devices": [0, 1]},
                                 "other": {"x": 1}})  # fmt: skip
    assert flat == {"model/kind": "gru", "model/bidirectional": True,
                    "trainer/gradient_clip_val": None, "trainer/devices": "[0, 1]"}  # fmt: skip


def test_final_metrics_sort_after_the_curves_and_metrics_val_first():
    assert sorted(["train/loss", f"{FINAL}/val/loss", "val/loss", "test/loss"])[-1].startswith(
        FINAL
    )
    assert metric_order(["train/a", "test/b", "val/c", "x"]) == ["val/c", "test/b", "train/a", "x"]
