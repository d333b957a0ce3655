"""rnnlab's Optuna sweeper, part by part (no training): Hydra's sweep syntax as Optuna
distributions, sampled values written back as overrides, which trials count towards n_trials,
how a job's ending becomes its trial's state, and the settings it refuses."""

import json
import math

import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.utils import JobReturn, JobStatus
from omegaconf import OmegaConf

optuna = pytest.importorskip("optuna", reason="the optuna extra is not installed")

from optuna.distributions import (  # noqa: E402
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.storages import RetryHeartbeatStaleTrialCallback  # noqa: E402
from optuna.trial import TrialState  # noqa: E402

from hydra_plugins.rnnlab_optuna_sweeper._optuna_search import OptunaSearch  # noqa: E402
from hydra_plugins.rnnlab_optuna_sweeper._search_space import (  # noqa: E402
    as_override_value,
    grid,
    search_space,
)
from hydra_plugins.rnnlab_optuna_sweeper._trial_outcomes import (  # noqa: E402
    consecutive,
    job_value,
    trials_counted,
)
from rnnlab.errors import ConfigError  # noqa: E402


def test_sweep_syntax_means_what_hydras_basic_sweeper_means():
    params = {
        "optimizer.lr": "tag(log, interval(0.0003, 0.03))",
        "model.hidden_size": "choice(16, 32)",
        "model.num_layers": "range(1, 3)",  # 1 or 2: the stop is excluded, as in Hydra
        "model.dropout": "interval(0.0, 0.5)",
        "data.window": "range(12, 37, 12)",
    }
    space, fixed = search_space(params, ["trainer.max_epochs=5", "model=gru"])
    assert space == {
        "optimizer.lr": FloatDistribution(0.0003, 0.03, log=True),
        "model.hidden_size": CategoricalDistribution([16, 32]),
        "model.num_layers": IntDistribution(1, 2),
        "model.dropout": FloatDistribution(0.0, 0.5),
        "data.window": IntDistribution(12, 36, step=12),
    }
    assert fixed == {"trainer.max_epochs": "trainer.max_epochs=5", "model": "model=gru"}


def test_the_command_line_wins_over_params_in_either_direction():
    params = {"model.hidden_size": "choice(16, 32)", "model.num_layers": "3"}
    space, fixed = search_space(params, ["model.hidden_size=64", "model.num_layers=range(1,3)"])
    assert fixed == {"model.hidden_size": "model.hidden_size=64"}
    assert space == {"model.num_layers": IntDistribution(1, 2)}


def test_a_range_without_values_is_refused():
    with pytest.raises(ValueError, match="holds no value"):
        search_space({"model.num_layers": "range(3, 1)"}, [])


@pytest.mark.parametrize("value", [True, False, None, 3, -2, 0.1, 1e-05, "lstm", "x y", "it's",
                                   "true", "null", "a,b", "sqlite:///x.db"])  # fmt: skip
def test_a_sampled_value_reads_back_as_itself(value):
    override = OverridesParser.create().parse_override(f"key={as_override_value(value)}")
    assert override.value() == value and type(override.value()) is type(value)


def test_the_grid_sampler_gets_every_discrete_value():
    space, _ = search_space(
        {"a": "choice(x, y)", "b": "range(1, 4)", "c": "range(0.0, 1.0, 0.5)"}, []
    )
    assert grid(space) == {"a": ["x", "y"], "b": [1, 2, 3], "c": [0.0, 0.5]}
    with pytest.raises(ValueError, match="grid sampler"):
        grid(search_space({"lr": "interval(0.1, 0.2)"}, [])[0])


def finished_trial(study, state, value=None):
    trial = study.ask({"x": FloatDistribution(0, 1)})
    study.tell(trial, value, state=state)
    return trial


def test_trials_towards_n_trials_leave_out_waiting_ones_and_failed_ones_queued_again():
    study = optuna.create_study()
    finished_trial(study, TrialState.COMPLETE, 0.5)
    finished_trial(study, TrialState.PRUNED)
    finished_trial(study, TrialState.FAIL)  # a job that failed: it counts
    study.ask({"x": FloatDistribution(0, 1)})  # running in some worker: it counts
    dead = finished_trial(study, TrialState.FAIL)  # a dead worker's trial, queued again
    RetryHeartbeatStaleTrialCallback(max_retry=3)(study, study.trials[dead.number])
    assert study.trials[-1].state == TrialState.WAITING
    assert trials_counted(study) == 4


def test_job_numbers_follow_trial_numbers_in_consecutive_launches():
    study = optuna.create_study()
    trials = [study.ask() for _ in range(5)]
    picked = [trials[i] for i in (0, 1, 3, 4)]  # trial 2 went to another worker
    assert [[t.number for t in group] for group in consecutive(picked)] == [[0, 1], [3, 4]]


def job_return(value, folder=None, status=JobStatus.COMPLETED):
    hydra_cfg = OmegaConf.create({"hydra": {"runtime": {"output_dir": str(folder)}}})
    return JobReturn(status=status, _return_value=value, hydra_cfg=hydra_cfg)


def test_a_finite_value_completes_and_anything_else_is_a_failure_with_its_reason(tmp_path):
    assert job_value(job_return(0.25, tmp_path)) == (0.25, "")
    assert job_value(job_return(math.inf, tmp_path)) == (None, "the job returned inf")
    failure = {"error_type": "DivergenceError", "error": "loss is nan at step 7"}
    (tmp_path / "failure.json").write_text(json.dumps(failure))
    assert job_value(job_return(math.inf, tmp_path)) == (
        None,
        "DivergenceError: loss is nan at step 7",
    )
    crashed = job_return(RuntimeError("out of memory"), tmp_path, JobStatus.FAILED)
    assert job_value(crashed) == (None, "RuntimeError: out of memory")


SETTINGS = dict(sampler=None, pruner=None, direction="minimize", storage=None, study_name=None,
                n_trials=5, n_jobs=1, params={}, heartbeat_interval=60, grace_period=None,
                max_retry=3)  # fmt: skip


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"direction": "down"}, "hydra.sweeper.direction"),
        ({"storage": "optuna.db"}, "hydra.sweeper.storage"),
        ({"n_trials": 0}, "hydra.sweeper.n_trials"),
        ({"n_jobs": 0}, "hydra.sweeper.n_jobs"),
        ({"heartbeat_interval": 0}, "hydra.sweeper.heartbeat_interval"),
        ({"heartbeat_interval": 10, "grace_period": 5}, "hydra.sweeper.grace_period"),
    ],
)
def test_settings_optuna_would_fail_on_later_are_refused_naming_the_key(change, key):
    with pytest.raises(ConfigError) as refused:
        OptunaSearch(**{**SETTINGS, **change})
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("config", "kind"),
    [("NopPrunerConfig", "NopPruner"), ("MedianPrunerConfig", "MedianPruner"),
     ("HyperbandPrunerConfig", "HyperbandPruner"), ("TPESamplerConfig", "TPESampler"),
     ("RandomSamplerConfig", "RandomSampler")],
)  # fmt: skip
def test_each_sampler_and_pruner_config_builds_optunas_own_class(config, kind):
    from hydra.utils import instantiate

    from hydra_plugins.rnnlab_optuna_sweeper import optuna_sweeper_config as configs

    built = instantiate(OmegaConf.structured(getattr(configs, config)))
    assert type(built).__name__ == kind and type(built).__module__.startswith("optuna.")
