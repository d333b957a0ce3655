"""Bad values stop the run before anything is built, naming the key, the value and what is
allowed: wrong types, unknown choices and mistyped keys while Hydra composes (the schemas),
ranges and combinations in rnnlab.config.checks."""

import dataclasses
import subprocess
import sys

import pytest
import yaml

from conftest import CONF_DIR, ROOT, compose_config
from rnnlab.config.callbacks import CALLBACK_CONFIGS
from rnnlab.config.checks import check_config
from rnnlab.config.convert import typed_config
from rnnlab.config.data import DATA_CONFIGS
from rnnlab.config.logger import LOGGER_CONFIGS
from rnnlab.config.model import MODEL_CONFIGS, ModelConfig
from rnnlab.config.optimizer import OPTIMIZER_CONFIGS
from rnnlab.config.run_config import AutoConfig, CheckpointConfig, RunConfig, TrainingConfig
from rnnlab.config.scheduler import SCHEDULER_CONFIGS
from rnnlab.config.trainer import TrainerConfig
from rnnlab.errors import ConfigError
from rnnlab.run import train

BAD_VALUES = [
    # types and choices: refused while composing
    ("model.hidden_size=2.5", "model.hidden_size=2.5", "an integer"),
    ("model.hidden_size=abc", "model.hidden_size='abc'", "an integer"),
    ("model.bidirectional=maybe", "model.bidirectional='maybe'", "true or false"),
    ("model.kind=transformer", "model.kind='transformer'", "'lstm', as set by model="),
    ("model=rnn model.nonlinearity=sigmoid", "model.nonlinearity='sigmoid'", "relu, tanh"),
    ("model.head=sideways", "model.head='sideways'", "auto, last, mean, per_step"),
    ("model.baseline=yesterday", "model.baseline='yesterday'", "none, revin, seasonal_mean"),
    ("optimizer.lr=fast", "optimizer.lr='fast'", "a number"),
    ("trainer.max_steps=null", "trainer.max_steps=None", "an integer"),
    ("trainer.gradient_clip_algorithm=l1", "trainer.gradient_clip_algorithm='l1'", "norm, value"),
    ("optimizer=rmsprop", "optimizer='rmsprop'", "one of adam, adamw, sgd"),
    ("checkpoint.mode=lowest", "checkpoint.mode='lowest'", "one of max, min"),
    # keys that no schema has
    ("model.hiden_size=64", "model.hiden_size=64", "did you mean model.hidden_size?"),
    ("+model.foo=1", "model.foo=1", "no such key in model (LSTMConfig"),
    ("+optimizer.foo=1", "optimizer.foo=1", "its keys are lr, name, weight_decay"),
    ("+optimizer.betas=[0.9,0.99]", "optimizer.betas=[0.9, 0.99]", "no such key in optimizer"),
    ("+data.colour=red", "data.colour='red'", "no such key in data (SineConfig"),
    ("+trainer.limit_val_bathes=0", "trainer.limit_val_bathes=0", "trainer.limit_val_batches"),
    ("trainer.limit_val_batches=0", "trainer.limit_val_batches=0", "+trainer.limit_val_batches"),
    ("+sed=3", "sed=3", "did you mean seed?"),
    ("model=rnn model.forget_bias=1", "model.forget_bias=1", "no such key in model (RNNConfig"),
    ("data=csv data.target=y", "data.path='???'", "required by data=csv"),
    # ranges and combinations: rnnlab.config.checks
    ("model.hidden_size=0", "model.hidden_size=0", "integer >= 1"),
    ("model.num_layers=0", "model.num_layers=0", "integer >= 1"),
    ("model.dropout=1.5", "model.dropout=1.5", "[0, 1)"),
    ("model.dropout=1.0", "model.dropout=1.0", "[0, 1)"),
    ("model.head_dropout=-0.1", "model.head_dropout=-0.1", "[0, 1)"),
    ("model.kind=gru", "model.kind='gru'", "'lstm', as set by model="),
    ("data.name=passengers", "data.name='passengers'", "'sine', as set by data="),
    ("model=gru model.init=identity", "model.init='identity'", "for model=rnn"),
    ("optimizer.lr=0", "optimizer.lr=0.0", "> 0"),
    ("optimizer.weight_decay=-1", "optimizer.weight_decay=-1.0", ">= 0"),
    ("optimizer=sgd optimizer.momentum=1.2", "optimizer.momentum=1.2", "[0, 1)"),
    ("optimizer=sgd optimizer.momentum=0 optimizer.nesterov=true", "optimizer.nesterov=True",
     "Nesterov needs momentum"),
    ("trainer.gradient_clip_val=-1", "trainer.gradient_clip_val=-1.0", "number >= 0"),
    ("trainer.max_epochs=0", "trainer.max_epochs=0", ">= 1"),
    ("trainer.log_every_n_steps=0", "trainer.log_every_n_steps=0", ">= 1"),
    ("data=passengers data.horizon=0", "data.horizon=0", "integer >= 1"),
    ("data=passengers data.horizon=13 data.test_periods=12", "data.horizon=13",
     "at most val_periods/test_periods"),
    ("data.batch_size=0", "data.batch_size=0", "integer >= 1"),
    ("data.train_end=900", "data.train_end/val_end=(900, 800)", "train_end < val_end"),
    ("data=synthetic data.length=3", "data.length=3", "integer >= 8"),
    ("data=echo data.delay=30", "data.delay=30", "less than data.length (30)"),
    ("seed=-1", "seed=-1", "integer >= 0"),
    ("+logger.wandb={}", "logger.wandb='{...}'", "one of conf/logger/: csv, mlflow"),
    ("torch_threads=0", "torch_threads=0", "integer >= 1"),
    ("torch_threads=-2", "torch_threads=-2", "integer >= 1"),
    ("torch_threads=two", "torch_threads='two'", "an integer"),
    ("torch_threads=1.5", "torch_threads=1.5", "an integer"),
    ("training.divergence_factor=1", "training.divergence_factor=1.0", "number > 1"),
    ("training.warmup_steps=4", "training.warmup_steps=4", "fewer than the 4 steps"),
    ("model.bidirectional=true training.tbptt_steps=2", "training.tbptt_steps=2",
     "bidirectional"),
    ("data=passengers model.baseline=window_mean training.tbptt_steps=2",
     "training.tbptt_steps=2", "model.baseline"),
    ("model.baseline=seasonal_naive", "model.baseline='seasonal_naive'", "data=sine has no season"),
    ("data=passengers data.window=6 model.baseline=seasonal_naive",
     "model.baseline='seasonal_naive'", "data.season (12) <= the window (6)"),
    ("data=synthetic model.baseline=window_mean", "model.baseline='window_mean'",
     "one series forecast from itself"),
    ("data=echo model.head=last", "model.head='last'", "needs head per_step"),
    ("+trainer.limit_val_batches=0", "checkpoint.monitor='val/loss'", "limit_val_batches=0"),
    ("+trainer.limit_val_batches=0 checkpoint.monitor=null", "optimized_metric='val/loss'",
     "a test/ metric"),
    ("data=passengers data.train_through_val=true", "checkpoint.monitor='val/loss'",
     "null with data.train_through_val=true"),
    ("ckpt_path=/no/such.ckpt", "ckpt_path='/no/such.ckpt'", "an existing checkpoint file"),
    # needs the data: which metrics the task logs
    ("data=passengers data.window=200", "data.window=200", "window <= 108"),
    ("optimized_metric=val/mape", "optimized_metric='val/mape'", "'val/mse'"),
    ("checkpoint.monitor=val/acc", "checkpoint.monitor='val/acc'", "'val/loss'"),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "named", "allowed"), BAD_VALUES)
def test_bad_value_is_refused_before_training(tmp_path, overrides, named, allowed):
    with pytest.raises(ConfigError) as caught:
        train(compose_config(*overrides.split(), "trainer=debug"), tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{named} is not allowed: ") and allowed in message, message
    assert not any(tmp_path.iterdir())  # nothing ran, nothing written


def needs_csv(file) -> tuple[str, ...]:
    """'csv' when a config file picks data=csv itself (experiment=auto_forecast)."""
    return ("csv",) if "override /data: csv" in file.read_text() else ()


def every_composable_config() -> list[tuple[str, ...]]:
    """One override list per file of every config group, experiment and sweep."""
    choices: list[tuple[str, ...]] = []
    groups = ("model", "data", "optimizer", "scheduler", "trainer", "logger", "callbacks",
              "experiment", "sweep")  # fmt: skip
    for group in groups:
        for file in sorted((CONF_DIR / group).glob("*.yaml")):
            extra = (
                ("data.path=x.csv", "data.target=y")
                if (group, file.stem) == ("data", "csv") or needs_csv(file)
                else ()
            )
            choices.append((f"{group}={file.stem}", *extra))
    return choices


@pytest.mark.parametrize("overrides", every_composable_config(), ids=" ".join)
def test_every_config_file_composes_and_passes_the_checks(overrides):
    config = typed_config(compose_config(*overrides))
    check_config(config)
    assert isinstance(config, RunConfig)


SCHEMAS = {
    "model": MODEL_CONFIGS,
    "data": DATA_CONFIGS,
    "optimizer": OPTIMIZER_CONFIGS,
    "trainer": {file.stem: TrainerConfig for file in (CONF_DIR / "trainer").glob("*.yaml")},
}


def own_values(group: str, name: str) -> dict[str, dict]:
    """What conf/<group>/<name>.yaml sets besides its defaults list (and what it inherits),
    by group: a `@package _global_` file (data=csv) may set other groups' keys too."""
    path = CONF_DIR / group / f"{name}.yaml"
    text = yaml.safe_load(path.read_text()) or {}
    values: dict[str, dict] = {}
    for parent in text.pop("defaults", []):
        if isinstance(parent, str) and parent != "_self_":  # another file of the group
            values |= own_values(group, parent)
    if "@package _global_" in path.read_text():
        return values | text
    return values | {group: values.get(group, {}) | text}


SHARED_SCHEMAS = {"model": ModelConfig, "trainer": TrainerConfig,
                  "checkpoint": CheckpointConfig, "training": TrainingConfig}  # fmt: skip


@pytest.mark.parametrize("group", sorted(SCHEMAS))
def test_group_files_set_only_what_differs_from_the_schema_default(group):
    """Every default is written once, in the schema: a group file may only change one."""
    for file in sorted((CONF_DIR / group).glob("*.yaml")):
        for owner, values in own_values(group, file.stem).items():
            own = owner == group
            schema = (
                SCHEMAS[group][file.stem.removeprefix("scratch_")] if own else SHARED_SCHEMAS[owner]
            )
            defaults = {f.name: f.default for f in dataclasses.fields(schema)}
            for key, value in values.items():
                assert key in defaults, f"{file.name}: {owner}.{key} is not in {schema.__name__}"
                assert value != defaults[key], (
                    f"{file.name}: {owner}.{key}={value!r} repeats the default"
                )


def option_keys() -> list[str]:
    """Every key a user can set: `group.field` for every schema field."""
    keys = []
    for group, schemas in SCHEMAS.items():
        for schema in schemas.values():
            keys += [f"{group}.{f.name}" for f in dataclasses.fields(schema)]
    for prefix, schema in (("", RunConfig), ("checkpoint.", CheckpointConfig),
                           ("training.", TrainingConfig)):  # fmt: skip
        keys += [f"{prefix}{f.name}" for f in dataclasses.fields(schema)]
    keys += [f"auto.{f.name}" for f in dataclasses.fields(AutoConfig)]
    for name, schema in LOGGER_CONFIGS.items():
        keys += [f"logger.{name}.{f.name}" for f in dataclasses.fields(schema)]
    for name, schema in CALLBACK_CONFIGS.items():
        keys += [f"callbacks.{name}.{f.name}" for f in dataclasses.fields(schema)]
    for schema in SCHEDULER_CONFIGS.values():
        keys += [f"scheduler.{f.name}" for f in dataclasses.fields(schema)]
    ignored = {"data.name", "model.kind", "optimizer.name", "scheduler.name", "data", "model",
               "optimizer", "scheduler", "trainer", "checkpoint", "training", "auto",
               "logger", "callbacks"}  # fmt: skip
    return sorted(set(keys) - ignored)


def test_the_readme_documents_every_option():
    readme = (ROOT / "README.md").read_text()
    missing = [key for key in option_keys() if f"`{key}`" not in readme]
    assert not missing, f"README has no row for {missing}"


def run_cli(tmp_path, *overrides):
    return subprocess.run(
        [sys.executable, "train.py", *overrides, f"hydra.run.dir={tmp_path}/run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            ("model.dropout=1.5",),
            "bad config: model.dropout=1.5 is not allowed: a number in [0, 1)",
        ),
        (("model.hiden_size=64",), "did you mean model.hidden_size?"),
        (("+optimizer.foo=1",), "bad config: optimizer.foo=1 is not allowed: no such key"),
        (("optimizer=no_such_optimizer",), "one of adam, adamw, sgd"),
        (("model.baseline=seasonal_naive",), "data=sine has no season"),
        (("torch_threads=0",), "bad config: torch_threads=0 is not allowed: an integer >= 1"),
        (
            ("+callbacks.x._target_=nope.Nope",),
            "callbacks.x._target_='nope.Nope' is not "
            "allowed: an importable class, package.module.Class (No module named 'nope')",
        ),
    ],
)
def test_command_line_exits_2_with_one_line_and_leaves_no_results(tmp_path, overrides, message):
    result = run_cli(tmp_path, "trainer=debug", *overrides)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [lines[-1]] and message in lines[-1], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    run = tmp_path / "run"
    assert not (run / "metrics.json").exists() and not (run / "checkpoints").exists()
