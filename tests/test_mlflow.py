"""logger=mlflow against a real MLflow tracking server (SQLite backend, on loopback), read
back through MlflowClient: params, per-epoch and final metrics, the figure and the best
checkpoint as artifacts; a sweep is one experiment with a run per job."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # a real server and real runs
mlflow = pytest.importorskip("mlflow")

QUIET = ["trainer.enable_progress_bar=false", "trainer.enable_model_summary=false"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mlflow")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port",
               str(port), "--backend-store-uri", f"sqlite:///{folder / 'mlflow.db'}",
               "--artifacts-destination", str(folder / "artifacts"), "--workers", "1"]  # fmt: skip
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    uri = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{uri}/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the MLflow server did not start")
        yield uri
    finally:
        process.terminate()
        process.wait(timeout=30)


def train(*arguments: str) -> None:
    result = subprocess.run([sys.executable, "train.py", *arguments, *QUIET], cwd=ROOT,
                            capture_output=True, text=True, timeout=400)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_run_records_params_curves_final_metrics_and_artifacts(server, tmp_path):
    train("logger=[tensorboard,mlflow]", f"logger.mlflow.tracking_uri={server}",
          "logger.mlflow.experiment_name=single", "data=passengers", "trainer.max_epochs=3",
          f"hydra.run.dir={tmp_path}/run")  # fmt: skip
    client = mlflow.MlflowClient(server)
    experiment = client.get_experiment_by_name("single")
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.info.status == "FINISHED"
    assert run.info.run_name.startswith("data=passengers,max_epochs=3")  # its settings
    assert run.data.params["model/kind"] == "lstm" and run.data.params["data/name"] == "passengers"
    assert run.data.params["trainer/gradient_clip_val"] == "null"
    history = client.get_metric_history(run.info.run_id, "val/loss")
    assert len(history) == 3  # one per epoch, as they were logged
    report = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert run.data.metrics["final/test/mape"] == pytest.approx(report["metrics"]["test/mape"])
    files = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"forecast.png", "metrics.json", "test_forecast.csv", "checkpoints"} <= files
    (checkpoint,) = client.list_artifacts(run.info.run_id, "checkpoints")
    assert checkpoint.path.endswith(".ckpt") and checkpoint.file_size > 0


def test_a_sweep_is_one_experiment_with_a_run_per_job(server, tmp_path):
    sweep = tmp_path / "sweep"
    train("-m", "model=rnn,gru", "logger=mlflow", f"logger.mlflow.tracking_uri={server}",
          "data=sine", "trainer.max_epochs=1", f"hydra.sweep.dir={sweep}")  # fmt: skip
    client = mlflow.MlflowClient(server)
    experiment = client.get_experiment_by_name(f"rnnlab sweep {sweep}")
    runs = client.search_runs([experiment.experiment_id])
    assert sorted(run.info.run_name for run in runs) == ["0/model=rnn", "1/model=gru"]
    assert {run.data.params["model/kind"] for run in runs} == {"rnn", "gru"}
    assert all("final/val/loss" in run.data.metrics for run in runs)


def test_without_mlflow_installed_the_choice_is_refused_clearly(monkeypatch, tmp_path):
    from rnnlab.errors import ConfigError
    from rnnlab.loggers import mlflow_logger

    monkeypatch.setitem(sys.modules, "mlflow", None)  # as if it were not installed
    with pytest.raises(ConfigError, match="pip install -e '.\\[mlflow\\]'"):
        mlflow_logger({}, tmp_path, "run", multirun=False)
