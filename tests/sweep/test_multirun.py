"""`python train.py -m ...` for real: own folders, failures recorded, summary, exit code."""

import csv
import json
import subprocess
import sys

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from conftest import ROOT, compose_config

pytestmark = pytest.mark.slow  # real multiruns through python train.py

QUIET = ["trainer.enable_progress_bar=false", "trainer.enable_model_summary=false"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """4 jobs: one sane, one diverging, one impossible, one both."""
    sweep_dir = tmp_path_factory.mktemp("multirun") / "sweep"
    command = [sys.executable, "train.py", "-m", "optimizer.lr=0.001,1e12",
               "data.batch_size=16,0", "data=sine", "trainer.max_epochs=1", *QUIET,
               f"hydra.sweep.dir={sweep_dir}"]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return sweep_dir, result


def test_sweep_finishes_every_job_and_exits_non_zero_when_one_fails(sweep):
    sweep_dir, result = sweep
    assert result.returncode == 1, result.stderr[-2000:]
    assert "3 of 4 jobs failed" in result.stderr
    assert sorted(p.name for p in sweep_dir.iterdir() if p.is_dir()) == ["0", "1", "2", "3"]


def test_summary_records_each_failure_with_its_error(sweep):
    sweep_dir, _ = sweep
    rows = {row["job"]: row for row in csv.DictReader((sweep_dir / "summary.csv").open())}
    assert rows["0"]["status"] == "ok" and float(rows["0"]["val/loss"]) < 1.0
    assert rows["1"]["status"] == "failed" and "data.batch_size=0" in rows["1"]["error"]
    assert rows["2"]["status"] == "failed" and "DivergenceError" in rows["2"]["error"]
    assert rows["3"]["status"] == "failed"
    assert list(rows) == ["0", "1", "2", "3"]  # the only finished job ranks first
    assert (sweep_dir / "summary.md").exists()
    failure = json.loads((sweep_dir / "2" / "failure.json").read_text())
    assert "Traceback" in failure["traceback"]


def test_tensorboard_names_each_job_by_what_was_swept(sweep):
    sweep_dir, _ = sweep
    run = sweep_dir / "0" / "lr=0.001,batch_size=16"  # shared overrides left out
    events = EventAccumulator(str(run))
    events.Reload()
    assert "~final/test/loss" in events.Tags()["scalars"]
    assert not (sweep_dir / "0" / "tensorboard").exists()


def test_tensorboard_on_the_sweep_folder_compares_jobs_in_hparams(sweep):
    from tensorboard.backend.event_processing.plugin_event_multiplexer import EventMultiplexer
    from tensorboard.plugins.hparams import plugin_data_pb2

    sweep_dir, _ = sweep
    multiplexer = EventMultiplexer().AddRunsFromDirectory(str(sweep_dir))
    multiplexer.Reload()
    sessions = {}
    for run, tags in multiplexer.PluginRunToTagToContent("hparams").items():
        if "_hparams_/session_start_info" in tags:
            data = plugin_data_pb2.HParamsPluginData.FromString(
                tags["_hparams_/session_start_info"]
            )
            sessions[run] = data.session_start_info.hparams
    # the finished job appears as a run with its swept settings; failed jobs have no row
    (hparams,) = sessions.values()
    assert hparams["optimizer/lr"].number_value == pytest.approx(0.001)
    assert hparams["data/batch_size"].number_value == 16


def test_sweep_report_rebuilds_the_summary_and_draws_a_png(sweep):
    sweep_dir, _ = sweep
    before = (sweep_dir / "summary.csv").read_text()
    (sweep_dir / "summary.csv").unlink()
    result = subprocess.run([sys.executable, "scripts/sweep_report.py", str(sweep_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (sweep_dir / "summary.csv").read_text() == before
    assert (sweep_dir / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep_report_refuses_a_folder_that_is_no_sweep(tmp_path):
    result = subprocess.run([sys.executable, "scripts/sweep_report.py", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2 and "not a multirun folder" in result.stderr


def test_named_architecture_sweep_is_the_48_job_grid():
    from hydra import compose, initialize_config_dir

    from conftest import CONF_DIR

    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = compose("train", overrides=["sweep=architectures"], return_hydra_config=True)
    params = cfg.hydra.sweeper.params
    sizes = [len(str(values).split(",")) for values in params.values()]
    assert dict(zip(params, sizes, strict=True)) == {
        "model": 3, "model.num_layers": 2, "model.hidden_size": 2, "model.dropout": 2,
        "model.bidirectional": 2,
    }  # fmt: skip
    assert cfg.hydra.mode.name == "MULTIRUN"
    assert compose_config("sweep=architectures").model.kind == "lstm"  # jobs still compose


def test_passengers_selection_sweep_repeats_each_setting_over_three_seeds_on_its_experiment():
    from hydra import compose, initialize_config_dir

    from conftest import CONF_DIR

    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = compose("train", overrides=["sweep=passengers_selection"], return_hydra_config=True)
    params = {key: str(values).split(",") for key, values in cfg.hydra.sweeper.params.items()}
    assert params["seed"] == ["0", "1", "2"] and len(params) == 5
    assert all(len(values) == 2 for key, values in params.items() if key != "seed")
    job = compose_config("sweep=passengers_selection")  # the experiment comes with the sweep
    assert job.data.name == "passengers" and job.optimized_metric == "val/mape"
    assert job.checkpoint.monitor is None and not job.data.train_through_val
