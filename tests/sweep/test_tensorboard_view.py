"""A sweep looked at through the real TensorBoard's HTTP API, as its HPARAMS tab and run list
get it: the swept settings differ and come first, val/ metrics first, short run names."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT
from rnnlab.sweep.job import settings_name

pytestmark = pytest.mark.slow  # a real multirun and a real TensorBoard server

SWEEP = ["model=rnn,gru", "trainer.gradient_clip_val=null,0.5"]
SHARED = ["data=sine", "trainer.max_epochs=1", "+trainer.limit_train_batches=3",
          "trainer.enable_progress_bar=false", "trainer.enable_model_summary=false"]  # fmt: skip


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    sweep_dir = tmp_path_factory.mktemp("tb") / "sweep"
    command = [sys.executable, "train.py", "-m", *SWEEP, *SHARED, f"hydra.sweep.dir={sweep_dir}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stderr[-2000:]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "tensorboard.main", "--logdir",
                               str(sweep_dir), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def ask(path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                         headers={"Content-Type": "application/json",
                                                  "X-XSRF-Protected": "1"})  # fmt: skip
        return json.load(urllib.request.urlopen(request, timeout=10))

    try:
        for _ in range(90):
            try:
                ask("/data/runs")
                break
            except OSError:
                time.sleep(1)
        yield sweep_dir, ask
    finally:
        server.terminate()
        server.wait()


def test_hparams_open_on_what_the_sweep_varied(served):
    _, ask = served
    experiment = ask("/data/plugin/hparams/experiment", {"experimentName": ""})
    infos = experiment["hparamInfos"]
    differs = [info["name"] for info in infos if info.get("differs")]
    assert differs == ["model/kind", "model/nonlinearity", "trainer/gradient_clip_val"]
    assert [info["name"] for info in infos][:3] == differs  # listed first
    by_name = {info["name"]: info for info in infos}
    assert by_name["model/kind"]["domainDiscrete"] == ["gru", "rnn"]
    clip = by_name["trainer/gradient_clip_val"]
    assert clip["type"] == "DATA_TYPE_FLOAT64" and clip["domainDiscrete"] == [0.5]
    assert by_name["model/bidirectional"]["type"] == "DATA_TYPE_BOOL"
    names = [info["displayName"] for info in experiment["metricInfos"]]
    assert names[0] == "val/loss" and names.index("test/loss") < names.index("train/loss")


def test_each_job_is_a_session_with_its_real_final_metrics(served):
    sweep_dir, ask = served
    body = {"experimentName": "", "allowedStatuses": ["STATUS_SUCCESS"], "colParams": [],
            "startIndex": 0, "sliceSize": 100, "aggregationType": "AGGREGATION_AVG"}  # fmt: skip
    groups = ask("/data/plugin/hparams/session_groups", body)["sessionGroups"]
    assert len(groups) == 4
    for group in groups:
        (session,) = group["sessions"]
        job = session["name"].split("/")[0]
        report = json.loads((sweep_dir / job / "metrics.json").read_text())
        values = {v["name"]["tag"]: v["value"] for v in group["metricValues"]}
        assert values["~final/val/loss"] == pytest.approx(report["metrics"]["val/loss"], rel=1e-6)
        clip = report["config"]["trainer"]["gradient_clip_val"]
        assert group["hparams"].get("trainer/gradient_clip_val") == clip  # None: no cell


def test_runs_are_named_by_job_and_swept_values_only(served):
    _, ask = served
    runs = sorted(run for run in ask("/data/runs") if run != ".")
    expected = [f"{job}/model={kind},gradient_clip_val={clip}"
                for job, (kind, clip) in enumerate([("rnn", "null"), ("rnn", "0.5"),
                                                    ("gru", "null"), ("gru", "0.5")])]  # fmt: skip
    assert runs == expected
    tags = ask("/data/plugin/scalars/tags")
    first_groups = sorted({tag.split("/")[0] for tag in tags[runs[0]]})
    assert first_groups[-1] == "~final"  # the final values sort after the curves


def test_settings_names_keep_a_keys_group_only_where_needed():
    pairs = [("model", "rnn"), ("model.dropout", "0.1"), ("training.dropout", "0"),
             ("optimizer.lr", "1e-3")]  # fmt: skip
    assert settings_name(pairs) == "model=rnn,model.dropout=0.1,training.dropout=0,lr=1e-3"
    assert settings_name([]) == ""
    by_class = [("callbacks.every2._target_", "lightning.pytorch.callbacks.ModelCheckpoint"),
                ("callbacks.every2.every_n_epochs", "2")]  # fmt: skip
    assert settings_name(by_class) == "every2=ModelCheckpoint,every_n_epochs=2"
