"""`python train.py` end to end, with the results read back the way a user's tools read them."""

import json
import subprocess
import sys

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

from conftest import ROOT

pytestmark = pytest.mark.slow  # python train.py end to end


@pytest.fixture(scope="module")
def lstm_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("cli") / "run"
    result = subprocess.run(
        [
            sys.executable,
            "train.py",
            "model=lstm",
            "trainer.max_epochs=1",
            f"hydra.run.dir={run_dir}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return run_dir, result


def load_events(run_dir) -> EventAccumulator:
    (named,) = (run_dir / "tensorboard").iterdir()  # the run, named by its settings
    events = EventAccumulator(str(named), size_guidance={"scalars": 0})
    events.Reload()
    return events


def test_metrics_json_reports_all_splits_checkpoint_time_and_versions(lstm_run):
    run_dir, result = lstm_run
    report = json.loads((run_dir / "metrics.json").read_text())
    for split in ("train", "val", "test"):
        assert {f"{split}/loss", f"{split}/mse", f"{split}/mae", f"{split}/rmse"} <= set(
            report["metrics"]
        )
    assert report["best_checkpoint"].endswith(".ckpt")
    assert (run_dir / "checkpoints" / "last.ckpt").exists()
    assert report["wall_time_s"] > 0 and report["epochs"] == 1
    assert set(report["versions"]) >= {"python", "torch", "lightning", "hydra-core"}
    assert (run_dir / ".hydra" / "config.yaml").exists()
    assert "Final metrics" in result.stdout  # the summary table
    # Lightning's cloud-logger advert and its own pytree deprecation are kept out of the log
    assert "litlogger" not in result.stdout + result.stderr
    assert "LeafSpec" not in result.stdout + result.stderr
    assert (run_dir / "predictions.png").read_bytes()[:4] == b"\x89PNG"


def test_tensorboard_has_loss_curves_and_a_gradient_norm_per_step(lstm_run):
    run_dir, _ = lstm_run
    report = json.loads((run_dir / "metrics.json").read_text())
    scalars = load_events(run_dir).Tags()["scalars"]
    assert {"train/loss_step", "train/grad_norm", "train/loss", "val/loss", "test/loss"} <= set(
        scalars
    )
    grad_norms = load_events(run_dir).Scalars("train/grad_norm")
    assert len(grad_norms) == report["global_step"] > 1
    assert all(event.value > 0 for event in grad_norms)
    assert "test/predictions" in load_events(run_dir).Tags()["images"]
    (test_loss,) = load_events(run_dir).Scalars("test/loss")
    assert test_loss.value == pytest.approx(report["metrics"]["test/loss"], rel=1e-6)


def test_hparams_tab_has_the_run_settings_and_its_real_final_metrics(lstm_run):
    run_dir, _ = lstm_run
    report = json.loads((run_dir / "metrics.json").read_text())
    # the run is named by its command line's settings (the folder is not a setting)
    assert [p.name for p in (run_dir / "tensorboard").iterdir()] == ["model=lstm,max_epochs=1"]
    events = load_events(run_dir)
    content = events.PluginTagToContent("hparams")
    session = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_start_info"])
    hparams = session.session_start_info.hparams
    assert hparams["model/kind"].string_value == "lstm"
    assert hparams["model/hidden_size"].number_value == 64
    assert hparams["optimizer/lr"].number_value == pytest.approx(1e-3)
    assert hparams["model/bidirectional"].WhichOneof("kind") == "bool_value"  # not 0.0
    assert "trainer/gradient_clip_val" not in hparams  # None: no value, not the text "None"
    experiment = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/experiment"])
    infos = experiment.experiment.metric_infos
    assert [info.display_name for info in infos][:2] == ["val/loss", "val/mae"]
    assert {"~final/val/loss", "~final/test/loss", "~final/test/mae"} <= {i.name.tag for i in infos}
    assert "hp_metric" not in events.Tags()["scalars"]  # no -1 placeholder
    (value,) = events.Scalars("~final/test/mae")
    assert value.value == pytest.approx(report["metrics"]["test/mae"], rel=1e-6)


def test_a_run_without_validation_finishes_and_reports_test_metrics(run_training):
    report = run_training("+trainer.limit_val_batches=0", "checkpoint.monitor=null",
                          "optimized_metric=test/loss", "trainer.max_epochs=2")  # fmt: skip
    assert "test/loss" in report["metrics"] and not any(
        k.startswith("val/") for k in report["metrics"]
    )
    assert report["epochs"] == 2
