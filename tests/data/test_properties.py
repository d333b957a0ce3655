"""Properties of windows, splits, scaling and batch order over random lengths and settings:
no test target reaches training (inputs, targets or the scaler's statistics), inverse
transforms round-trip, and a batch order resumes where it stood."""

import math

import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rnnlab.config.data import SeriesConfig
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.series_file import SeriesValues
from rnnlab.data.tensor_batches import TensorBatches
from rnnlab.data.windows import sliding_windows, split_by_target
from rnnlab.tasks.regression import TargetScaler


@st.composite
def series_settings(draw):
    """A series length and window/horizon/validation/test settings that fit it."""
    horizon = draw(st.integers(1, 6))
    val, test = draw(st.integers(horizon, 12)), draw(st.integers(horizon, 12))
    window = draw(st.integers(1, 20))
    length = draw(st.integers(window + horizon + val + test, 120))
    return length, window, horizon, val, test


@given(series_settings(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_a_window_lives_in_the_split_holding_all_its_targets(setting, through_val):
    length, window, horizon, val, test = setting
    val_start, test_start = length - val - test, length - test
    train_end = test_start if through_val else val_start
    time = torch.arange(length, dtype=torch.float32)  # each value is its own time index
    inputs, targets, first = sliding_windows(time, window, horizon)
    splits = split_by_target(inputs, targets, first, horizon, val_start, test_start, train_end)
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = (
        splits[s] for s in ("train", "val", "test")
    )
    assert len(y_train) == train_end - window - horizon + 1
    assert y_train.numel() == 0 or y_train.max() < train_end  # no later target trains
    assert x_train.numel() == 0 or x_train.max() < train_end - horizon  # inputs precede targets
    if y_val.numel():
        assert y_val.min() >= val_start and y_val.max() < test_start
    assert y_test.min() >= test_start and len(y_test) == test - horizon + 1
    # inputs end right before their first target: nothing of a window's future is read
    for x, y in ((x_train, y_train), (x_val, y_val), (x_test, y_test)):
        if len(y):
            torch.testing.assert_close(x[:, -1, 0] + 1, y[:, 0])


@st.composite
def positive_series(draw):
    length, window, horizon, val, test = draw(series_settings())
    values = draw(st.lists(st.floats(0.5, 1000.0), min_size=length, max_size=length))
    return torch.tensor(values), SeriesConfig(window=window, horizon=horizon, val_periods=val,
                                              test_periods=test, seed=0)  # fmt: skip


def module(values: torch.Tensor, config: SeriesConfig) -> SeriesDataModule:
    lines = list(range(2, len(values) + 2))
    labels = [str(i) for i in range(len(values))]
    return SeriesDataModule(SeriesValues(labels, values, "memory.csv", "y", lines), config)


@given(positive_series(), st.booleans(), st.booleans())
@settings(max_examples=150, deadline=None)
def test_scaling_round_trips_and_never_sees_the_test_period(series, log, through_val):
    values, config = series
    config.log_transform, config.train_through_val = log, through_val
    data = module(values, config)
    assume(math.isfinite(data.std) and data.std > 1e-3)
    to_units = TargetScaler(data.facts)
    torch.testing.assert_close(to_units(data.scale(values)), values, rtol=1e-4, atol=1e-3)
    # any other test period gives the same statistics and the same training windows
    changed = values.clone()
    changed[data.test_start :] = changed[data.test_start :] * 7.0 + 3.0
    other = module(changed, config)
    assert (other.mean, other.std) == (data.mean, data.std)
    for a, b in zip(other.splits["train"], data.splits["train"], strict=True):
        assert torch.equal(a, b)
    if not through_val:  # and a fit that stops before validation does not see validation
        changed[data.val_start :] = changed[data.val_start :] + 11.0
        assert (module(changed, config).mean, module(changed, config).std) == (data.mean, data.std)


@given(st.integers(1, 200), st.integers(1, 64), st.integers(0, 50), st.integers(0, 3),
       st.data())  # fmt: skip
@settings(max_examples=150, deadline=None)
def test_a_batch_order_resumes_where_its_state_stood(rows, batch, seed, epochs_before, data):
    x, y = torch.arange(rows).float().view(rows, 1, 1), torch.arange(rows)
    loader = TensorBatches(x, y, batch, shuffle=True, drop_last=True, seed=seed)
    for _ in range(epochs_before):
        list(loader)
    iterator = iter(loader)
    taken = data.draw(st.integers(0, len(loader)))
    seen = [next(iterator)[1] for _ in range(taken)]
    state, epoch = loader.state_dict(), loader.epoch  # what a checkpoint holds
    rest = [by for _, by in iterator]
    resumed = TensorBatches(x, y, batch, shuffle=True, drop_last=True, seed=seed)
    resumed.epoch = epoch  # the data module restores the epoch, Lightning the position
    resumed.load_state_dict(state)
    # a finished epoch leaves nothing to continue: the next iteration is the next epoch
    again = [by for _, by in resumed] if taken < len(loader) else []
    assert len(again) == len(rest)
    assert all(torch.equal(a, b) for a, b in zip(again, rest, strict=True))
    assert len(seen) + len(rest) == len(loader)
    # the next epoch after a resume is the one an uninterrupted loader serves next
    assert all(torch.equal(a[1], b[1]) for a, b in zip(resumed, loader, strict=True))
