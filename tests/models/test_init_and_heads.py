import pytest
import torch

from rnnlab.config.checks import check_model, check_model_fits_data
from rnnlab.config.convert import model_config, resolved
from rnnlab.config.data import EchoConfig, PassengersConfig, SineConfig, TemporalOrderConfig
from rnnlab.data.facts import DataFacts
from rnnlab.errors import ConfigError
from rnnlab.models import build_model

BASE = {"hidden_size": 8, "num_layers": 2, "dropout": 0.0, "bidirectional": False}


def model(kind="lstm", output_size=3, per_step=False, **options):
    torch.manual_seed(0)
    config = model_config(BASE | {"kind": kind} | options)
    task = "labeling" if per_step else "classification"
    return build_model(config, DataFacts(task, input_size=5, output_size=output_size))


def forecaster(baseline, season=6):
    torch.manual_seed(0)
    config = model_config(BASE | {"kind": "gru", "baseline": baseline})
    return build_model(config, DataFacts("forecasting", 1, 4, season=season)).eval()


def recurrent_parameters(m):
    return dict(m.backbone.rnn.named_parameters())


@pytest.mark.parametrize("implementation", ["torch", "scratch"])
def test_small_normal_init(implementation):
    params = recurrent_parameters(model(init="small_normal", implementation=implementation))
    weights = torch.cat([p.flatten() for n, p in params.items() if "weight" in n])
    assert weights.std().item() == pytest.approx(0.01, rel=0.15)
    assert all(torch.all(p == 0) for n, p in params.items() if "bias" in n)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_orthogonal_recurrent_blocks(kind):
    for name, weight in recurrent_parameters(model(kind, init="orthogonal")).items():
        if name.startswith("weight_hh"):
            for block in weight.split(8):
                torch.testing.assert_close(block.T @ block, torch.eye(8), atol=1e-5, rtol=0)


@pytest.mark.parametrize("implementation", ["torch", "scratch"])
def test_identity_init_is_irnn(implementation):
    m = model("rnn", init="identity", nonlinearity="relu", implementation=implementation)
    params = recurrent_parameters(m)
    torch.testing.assert_close(params["weight_hh_l0"], torch.eye(8))
    assert torch.all(params["bias_ih_l1"] == 0) and params["weight_ih_l0"].abs().max() < 0.01


def test_identity_init_is_refused_for_gated_cells():
    with pytest.raises(ConfigError, match="model.init='identity'"):
        check_model(model_config(BASE | {"kind": "gru", "init": "identity"}))


@pytest.mark.parametrize("implementation", ["torch", "scratch"])
def test_lstm_forget_gate_bias(implementation):
    params = recurrent_parameters(model(forget_bias=1.0, implementation=implementation))
    for layer in ("l0", "l1"):
        total = params[f"bias_ih_{layer}"] + params[f"bias_hh_{layer}"]  # gates i, f, g, o
        torch.testing.assert_close(total[8:16], torch.ones(8))
        assert not torch.allclose(total[:8], torch.ones(8))


def test_forget_bias_is_only_for_lstm():
    with pytest.raises(ConfigError, match="model.forget_bias=1.0 is not allowed: no such key"):
        model_config(BASE | {"kind": "gru", "forget_bias": 1.0})


def test_mean_head_reads_the_average_over_time():
    m = model(head="mean").eval()
    x = torch.randn(4, 7, 5)
    outputs, _ = m.backbone(x)
    torch.testing.assert_close(m(x), m.head.output(outputs.mean(dim=1)))


@pytest.mark.parametrize("norm", ["batch", "layer"])
def test_per_step_head_with_norm_and_dropout(norm):
    m = model(per_step=True, head_norm=norm, head_dropout=0.5)
    x = torch.randn(4, 7, 5)
    assert m(x).shape == (4, 7, 3)
    m.train()
    assert not torch.allclose(m(x), m(x))  # dropout draws new masks in training
    m.eval()
    torch.testing.assert_close(m(x), m(x))
    assert isinstance(
        m.head.output.norm, torch.nn.BatchNorm1d if norm == "batch" else torch.nn.LayerNorm
    )


def test_head_must_fit_the_data():
    echo, sine = EchoConfig(seed=0), SineConfig(seed=0)
    with pytest.raises(ConfigError, match="model.head='last'.*data=echo needs head per_step"):
        check_model_fits_data(model_config(BASE | {"kind": "gru", "head": "last"}), echo)
    with pytest.raises(ConfigError, match="model.head='per_step'"):
        check_model_fits_data(model_config(BASE | {"kind": "gru", "head": "per_step"}), sine)
    assert model(per_step=True).head.per_step and not model().head.per_step


@pytest.mark.parametrize("baseline", ["window_mean", "seasonal_naive"])
def test_forecast_baselines_move_forecasts_with_the_level(baseline):
    m = forecaster(baseline)
    x = torch.randn(3, 12, 1)
    torch.testing.assert_close(m(x + 2.5), m(x) + 2.5)  # same shape, higher level
    config = model_config(BASE | {"kind": "gru", "baseline": baseline})
    with pytest.raises(ConfigError, match="model.baseline.*data=synthetic"):
        check_model_fits_data(config, TemporalOrderConfig(seed=0))


def test_seasonal_naive_baseline_adds_the_value_one_data_season_earlier():
    seasonal, level = forecaster("seasonal_naive"), forecaster("window_mean")
    level.load_state_dict(seasonal.state_dict())  # the same network, another baseline
    x = torch.randn(3, 12, 1)
    # the network reads the same level-free window; only what is added back differs
    expected = x[:, 6:10, 0] - x.mean(dim=1)[:, :1]
    torch.testing.assert_close(seasonal(x) - level(x), expected)


def test_seasonal_naive_needs_a_whole_season_in_the_window():
    config = model_config(BASE | {"kind": "gru", "baseline": "seasonal_naive"})
    short = resolved(PassengersConfig(seed=0, window=6, horizon=3))  # season 12 > window 6
    with pytest.raises(ConfigError, match=r"data.season \(12\) <= the window \(6\)"):
        check_model_fits_data(config, short)
    with pytest.raises(ConfigError, match="data=sine has no season"):
        check_model_fits_data(config, SineConfig(seed=0))
    check_model_fits_data(config, resolved(PassengersConfig(seed=0)))  # window 24, horizon 12
