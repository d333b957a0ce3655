import pytest
import torch

from rnnlab.config.checks import check_data
from rnnlab.config.convert import resolved
from rnnlab.config.data import PassengersConfig
from rnnlab.data import PassengersDataModule
from rnnlab.data.passengers import load_passengers
from rnnlab.errors import ConfigError
from rnnlab.tasks.regression import TargetScaler


def test_shipped_series_is_the_reference_series():
    series = load_passengers()
    months, values = series.labels, series.values
    assert len(values) == 144 and values.sum().item() == 40363
    assert values[0].item() == 112 and values[-1].item() == 432
    assert months[0] == "1949-01" and months[-1] == "1960-12"


def test_test_split_is_exactly_1960_and_training_never_sees_1959_or_1960_targets():
    data = PassengersDataModule(PassengersConfig(seed=0, window=24, horizon=12))
    to_passengers = TargetScaler(data.facts)
    values = load_passengers().values
    x_test, y_test = data.splits["test"]
    assert y_test.shape == (1, 12)
    torch.testing.assert_close(to_passengers(y_test[0]), values[132:], rtol=1e-5, atol=1e-3)
    x_val, y_val = data.splits["val"]
    torch.testing.assert_close(to_passengers(y_val[0]), values[120:132], rtol=1e-5, atol=1e-3)
    # the test window's inputs end at 1959-12
    torch.testing.assert_close(
        to_passengers(x_test[0, :, 0]), values[108:132], rtol=1e-5, atol=1e-3
    )
    _, y_train = data.splits["train"]
    assert to_passengers(y_train).max() <= values[:120].max() + 1e-3
    assert len(y_train) == 120 - 36 + 1


def test_scaling_is_fitted_on_training_months_only():
    data = PassengersDataModule(PassengersConfig(seed=0, log_transform=True))
    values = load_passengers().values
    train_logs = values[:120].log()
    assert data.facts.target_mean == pytest.approx(train_logs.mean().item(), rel=1e-6)
    assert data.facts.target_std == pytest.approx(train_logs.std().item(), rel=1e-6)
    assert data.facts.target_mean != pytest.approx(values.log().mean().item(), rel=1e-4)


def test_final_fit_trains_through_1959_but_never_on_1960():
    selection = PassengersDataModule(PassengersConfig(seed=0, window=24, horizon=12))
    final = PassengersDataModule(
        PassengersConfig(seed=0, window=24, horizon=12, train_through_val=True)
    )
    values = load_passengers().values
    _, y_train = final.splits["train"]
    # every window whose 12 targets end by 1959-12: 12 more than the selection run's
    assert len(y_train) == 132 - 36 + 1 == len(selection.splits["train"][1]) + 12
    in_passengers = TargetScaler(final.facts)(y_train)
    torch.testing.assert_close(in_passengers[-1], values[120:132], rtol=1e-5, atol=1e-3)
    assert in_passengers.max() <= values[:132].max() + 1e-3
    # scaling now sees 1959 too, still never 1960; the test window is unchanged
    assert final.facts.target_mean == pytest.approx(values[:132].log().mean().item(), rel=1e-6)
    x_test, y_test = final.splits["test"]
    torch.testing.assert_close(TargetScaler(final.facts)(y_test[0]), values[132:],
                               rtol=1e-5, atol=1e-3)  # fmt: skip


def test_one_step_windows_put_twelve_forecasts_in_test():
    data = PassengersDataModule(
        PassengersConfig(seed=0, window=12, horizon=1, val_periods=12, test_periods=12)
    )
    assert data.split_sizes() == {"train": 120 - 12, "val": 12, "test": 12}


def test_window_longer_than_the_series_is_refused_by_name():
    with pytest.raises(ConfigError, match=r"data\.window=200") as caught:
        PassengersDataModule(PassengersConfig(seed=0, window=200))
    assert "window <= 108" in str(caught.value)


def test_horizon_longer_than_the_test_year_is_refused():
    with pytest.raises(ConfigError, match=r"data\.horizon=13"):
        check_data(resolved(PassengersConfig(seed=0, horizon=13, test_periods=12)))


def test_mase_scale_is_the_seasonal_naive_mae_before_the_test_year():
    values = load_passengers().values
    expected = (values[12:132] - values[:120]).abs().mean().item()
    assert PassengersDataModule(PassengersConfig(seed=0)).facts.mase_scale == pytest.approx(
        expected
    )
