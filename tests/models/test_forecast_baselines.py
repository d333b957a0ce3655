"""What a forecasting network predicts relative to: the window's level and spread (revin), or
its seasonal pattern (seasonal_mean); the recursive strategy and the linear path."""

import torch

from rnnlab.config.convert import model_config
from rnnlab.data.facts import DataFacts
from rnnlab.models import build_model
from rnnlab.models.forecast_baseline import ForecastBaseline, seasonal_mean

GRU = {"kind": "gru", "hidden_size": 6, "num_layers": 1, "dropout": 0.0, "bidirectional": False}


def forecaster(horizon=4, season=4, window=12, **options):
    torch.manual_seed(0)
    facts = DataFacts("forecasting", 1, horizon, season=season, window=window)
    return build_model(model_config(GRU | options), facts).eval()


def test_seasonal_mean_continues_a_clean_seasonal_pattern_at_the_last_level():
    pattern = torch.tensor([1.0, -2.0, 0.5, 0.5])
    window = torch.cat([pattern + 10, pattern + 10, pattern + 13])  # a level shift last season
    noise = torch.zeros(12)
    noise[0], noise[8] = 0.3, -0.3  # January's noise differs from season to season
    torch.testing.assert_close(seasonal_mean(window.view(1, -1), 4, 4)[0], pattern + 13)
    forecast = seasonal_mean((window + noise).view(1, -1), 4, 4)[0]
    # seasonal naive repeats the last season's -0.3; averaging over three leaves 0.075
    torch.testing.assert_close(forecast, pattern + 13 - 0.075, rtol=0, atol=1e-5)


def test_horizons_longer_than_a_season_repeat_the_seasonal_pattern():
    """Classical seasonal naive past one season: step h takes the last season's value at
    h modulo the season, for both seasonal baselines."""
    window = torch.tensor([1.0, 5.0, 2.0, 6.0, 3.0, 7.0]).view(1, 6)  # season 2, level rising
    naive, level = forecaster(5, 2, 6, baseline="seasonal_naive"), forecaster(
        5, 2, 6, baseline="window_mean")  # fmt: skip
    level.load_state_dict(naive.state_dict())
    x = window.view(1, 6, 1)
    difference = naive(x) - level(x)  # what the baseline adds beyond the window's mean
    last_season = torch.tensor([3.0, 7.0, 3.0, 7.0, 3.0]) - window.mean()
    torch.testing.assert_close(difference[0], last_season)
    # pattern (-2, 2) in each season, at the last season's level 5
    torch.testing.assert_close(seasonal_mean(window, 2, 5)[0],
                               torch.tensor([3.0, 7.0, 3.0, 7.0, 3.0]))  # fmt: skip


def test_revin_forecasts_move_and_stretch_with_the_window():
    m = forecaster(baseline="revin")
    x = torch.randn(3, 12, 1)
    torch.testing.assert_close(m(2.5 * x + 7.0), 2.5 * m(x) + 7.0, rtol=1e-4, atol=1e-4)


def test_the_recursive_strategy_feeds_each_step_back():
    m = forecaster(decoder="recursive", baseline="window_mean")
    x = torch.randn(2, 12, 1)
    forecast = m(x)
    assert forecast.shape == (2, 4) and m.head.output.linear.out_features == 1
    first = m.forward_with_state(x)[0]  # one step from the window as it is
    second = m.forward_with_state(torch.cat([x[:, 1:], first.unsqueeze(-1)], dim=1))[0]
    torch.testing.assert_close(forecast[:, :2], torch.cat([first, second], dim=1))


def test_the_linear_path_starts_at_zero_so_the_forecast_starts_as_without_it():
    plain, with_path = (
        forecaster(baseline="seasonal_mean"),
        forecaster(baseline="seasonal_mean", autoregressive=True),
    )
    x = torch.randn(3, 12, 1)
    torch.testing.assert_close(with_path(x), plain(x))
    assert with_path.autoregressive.weight.shape == (4, 12)


def test_baselines_other_than_none_see_a_centred_series():
    x = torch.randn(5, 8, 1) + 40.0
    for kind in ("window_mean", "revin", "seasonal_naive", "seasonal_mean"):
        centred = ForecastBaseline(kind, season=4).normalise(x)
        assert centred[:, :, 0].mean(dim=1).abs().max() < 1e-4
