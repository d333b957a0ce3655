import pytest
import torch

from rnnlab.config.checks import check_data
from rnnlab.config.data import SineConfig
from rnnlab.data import SineDataModule
from rnnlab.data.sine import noisy_sine
from rnnlab.errors import ConfigError


def test_series_is_sine_plus_noise_of_the_configured_spread():
    series = noisy_sine(1000, 0.2, seed=0)
    clean = torch.sin(0.01 * torch.arange(1, 1001, dtype=torch.float32))
    assert (series - clean).std().item() == pytest.approx(0.2, rel=0.1)


def test_windows_hold_the_previous_tau_values_and_split_at_600_and_800():
    data = SineDataModule(SineConfig(tau=4, seed=1))
    x_train, y_train = data.splits["train"]
    assert x_train.shape == (596, 4, 1) and y_train.shape == (596, 1)
    assert data.split_sizes() == {"train": 596, "val": 200, "test": 200}
    torch.testing.assert_close(x_train[10, :, 0], data.series[10:14])
    torch.testing.assert_close(y_train[10, 0], data.series[14])
    _, y_test = data.splits["test"]
    torch.testing.assert_close(y_test[0, 0], data.series[800])


def test_same_seed_same_data_other_seed_other_noise():
    assert torch.equal(noisy_sine(100, 0.2, 5), noisy_sine(100, 0.2, 5))
    assert not torch.equal(noisy_sine(100, 0.2, 5), noisy_sine(100, 0.2, 6))


def test_split_points_must_be_ordered():
    with pytest.raises(ConfigError, match="train_end"):
        check_data(SineConfig(train_end=900, val_end=800, seed=0))
