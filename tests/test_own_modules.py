"""A model or a data set of one's own in two files (docs/ARCHITECTURE.md, "How to add"): the
code and the conf/ file naming its class. Checked to import and take its arguments before
anything is built; a toy of each trains through exactly the files the page lists."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from conftest import ROOT, compose_config
from rnnlab.config.checks import check_config
from rnnlab.config.convert import data_config, model_config, typed_config
from rnnlab.config.data import ModuleDataConfig
from rnnlab.config.model import GRUConfig, ModuleModelConfig
from rnnlab.data.facts import DataFacts
from rnnlab.data.registry import build_datamodule
from rnnlab.errors import ConfigError
from rnnlab.models.sequence_model import build_model

TOYS = Path(__file__).parent / "toy_extension"
MAJORITY = "toy_extension.majority.MajorityDataModule"  # tests/ is on the path, as conftest is


def recipe_files(what: str) -> list[str]:
    """The files ARCHITECTURE's "How to add" bullet for `what` lists, `<name>` in each."""
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    bullet = re.search(rf"^- \*\*{what}\*\*.*?(?=^- \*\*|^## )", page, re.S | re.M)
    assert bullet, f"ARCHITECTURE.md has no bullet for {what}"
    return re.findall(r"`((?:src|conf)/[\w/]*<name>[\w.]*)`", bullet.group(0))


def test_the_page_lists_two_files_for_a_model_and_for_a_data_set():
    assert recipe_files("A model") == ["src/rnnlab/models/<name>.py", "conf/model/<name>.yaml"]
    assert recipe_files("A data set") == ["src/rnnlab/data/<name>.py", "conf/data/<name>.yaml"]


@pytest.mark.slow
def test_a_toy_model_and_data_set_train_through_exactly_the_listed_files(tmp_path):
    """A copy of the repository gets the two toys through the listed files and nothing else;
    `python train.py model=mgu data=majority` then trains the minimal gated unit on it."""
    copy = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for part in ("src", "conf"):
        shutil.copytree(ROOT / part, copy / part, ignore=ignore)
    shutil.copy(ROOT / "train.py", copy)
    added = []
    for name, what in (("mgu", "A model"), ("majority", "A data set")):
        for pattern in recipe_files(what):
            target = copy / pattern.replace("<name>", name)
            shutil.copy(TOYS / f"{name}{target.suffix}", target)
            added.append(target)
    command = [sys.executable, "train.py", "model=mgu", "data=majority", "model.hidden_size=8",
               "optimizer.lr=0.01", "trainer.max_epochs=10", "trainer.enable_progress_bar=false",
               f"hydra.run.dir={tmp_path / 'run'}"]  # fmt: skip
    env = {"PYTHONPATH": str(copy / "src"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert report["config"]["model"]["module"] == "rnnlab.models.mgu.MGU"
    assert report["split_sizes"] == {"train": 512, "val": 256, "test": 256}
    # the MGU's two gate blocks (f, h) for input 1 and hidden 8: 16 + 128 + 16, and the
    # head's 8 * 2 + 2 (a GRU of that size would have 3 blocks and 266 parameters)
    assert report["num_parameters"] == 160 + 18
    assert report["metrics"]["test/acc"] > 0.9  # chance is 0.5
    assert len(added) == 4


@pytest.mark.slow
def test_a_layer_named_wrong_on_the_command_line_is_one_line_and_exit_2(tmp_path):
    """Through a conf/ folder of the user's own (hydra.searchpath), as a project using rnnlab
    would keep its models beside its code (the file composed: the refusal is the check's)."""
    (tmp_path / "conf" / "model").mkdir(parents=True)
    (tmp_path / "conf" / "model" / "mine.yaml").write_text(
        "defaults:\n  - /schema/model@_here_: module\n  - _self_\nkind: mine\n"
        "module: torch.nn.GRU\n"
    )
    command = [sys.executable, "train.py", f"hydra.searchpath=[file://{tmp_path / 'conf'}]",
               "model=mine", "model.module=torch.nn.Nope", "trainer=debug",
               f"hydra.run.dir={tmp_path / 'run'}"]  # fmt: skip
    refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert refused.returncode == 2 and len(lines) == 1, refused.stderr
    assert "model.module='torch.nn.Nope' is not allowed: an importable class" in lines[0]


def run_config(**replaced):
    config = typed_config(compose_config("data=synthetic", "model=gru"))
    for key, value in replaced.items():
        setattr(config, key, value)
    return config


def test_torch_s_own_gru_by_its_class_is_the_built_in_gru():
    """`module: torch.nn.GRU` builds the same layer as model=gru: the same parameters."""
    facts = DataFacts(task="classification", input_size=4, output_size=4)
    own = build_model(
        ModuleModelConfig(kind="my_gru", module="torch.nn.GRU", hidden_size=16), facts
    )
    built_in = build_model(GRUConfig(hidden_size=16), facts)
    shapes = {name: tuple(p.shape) for name, p in own.named_parameters()}
    assert shapes == {name: tuple(p.shape) for name, p in built_in.named_parameters()}
    check_config(run_config(model=ModuleModelConfig(kind="my_gru", module="torch.nn.GRU")))


OWN_MODEL_REFUSALS = [
    ({"module": "torch.nn.NoSuchLayer"}, "model.module", "an importable class"),
    ({"module": "collections.OrderedDict"}, "model.module", "a subclass of torch.nn.Module"),
    ({"module": "torch.nn.GRU", "settings": {"peepholes": True}}, "model.settings",
     "arguments GRU takes with"),
    ({"module": "torch.nn.GRU", "settings": {"hidden_size": 3}}, "model.settings",
     "none of hidden_size"),
    ({"module": "torch.nn.GRU", "implementation": "scratch"}, "model.implementation",
     "torch for a layer of your own"),
    ({"module": "toy_extension.mgu.MGU", "bidirectional": True}, "model.settings",
     "arguments MGU takes with these model.* sizes (this MGU reads forwards"),
]  # fmt: skip


@pytest.mark.parametrize(("settings", "key", "allowed"), OWN_MODEL_REFUSALS)
def test_a_layer_that_cannot_be_built_as_asked_is_refused_before_anything_is(
    settings, key, allowed
):
    model = ModuleModelConfig(kind="mine", **settings)
    with pytest.raises(ConfigError) as refused:
        check_config(run_config(model=model))
    assert refused.value.key == key and allowed in refused.value.allowed


def own_data(**settings) -> ModuleDataConfig:
    values = {"name": "majority", "module": MAJORITY, "task": "classification", "length": 9,
              "seed": 0}  # fmt: skip
    return ModuleDataConfig(**(values | settings))


def test_a_data_set_of_one_s_own_builds_from_its_class_with_its_settings():
    built = build_datamodule(own_data(length=5, settings={"steps": 5, "num_train": 64}))
    assert built.split_sizes() == {"train": 64, "val": 256, "test": 256}
    x, y = built.splits["train"]
    assert x.shape == (64, 5, 1) and y.dtype == torch.long
    # a saved run's plain config (resume, scripts) reads back as the same schema
    saved = {"name": "majority", "module": MAJORITY, "task": "classification", "length": 5}
    assert isinstance(data_config(saved), ModuleDataConfig)
    assert isinstance(model_config({"kind": "mgu", "module": "torch.nn.GRU"}), ModuleModelConfig)


OWN_DATA_REFUSALS = [
    ({"module": "toy_extension.majority.Nothing"}, "data.module", "an importable class"),
    ({"module": "torch.nn.GRU"}, "data.module", "a subclass of rnnlab.data.in_memory"),
    ({"settings": {"colour": "red"}}, "data.settings", "arguments MajorityDataModule takes"),
    ({"task": "translation"}, "data.task", "classification, regression"),
    ({"length": 0}, "data.length", "an integer >= 1"),
]


@pytest.mark.parametrize(("settings", "key", "allowed"), OWN_DATA_REFUSALS)
def test_a_data_set_that_cannot_be_built_as_asked_is_refused_before_anything_is(
    settings, key, allowed
):
    with pytest.raises(ConfigError) as refused:
        check_config(run_config(data=own_data(**settings)))
    assert refused.value.key == key and allowed in refused.value.allowed


@pytest.mark.parametrize(
    ("settings", "key", "allowed"),
    [({"task": "regression"}, "data.task", "classification, as toy_extension"),
     ({"length": 12}, "data.length", "the steps toy_extension.majority.MajorityDataModule's")],
)  # fmt: skip
def test_a_built_data_set_must_be_what_its_file_states(settings, key, allowed):
    check_config(run_config(data=own_data(**settings)))  # stated well: only building tells
    with pytest.raises(ConfigError) as refused:
        build_datamodule(own_data(**settings))
    assert refused.value.key == key and allowed in refused.value.allowed
