import pytest
import torch

from rnnlab.config.checks import check_data
from rnnlab.config.data import TemporalOrderConfig
from rnnlab.data import TemporalOrderDataModule
from rnnlab.data.synthetic import SYMBOLS, relevant_positions, temporal_order
from rnnlab.errors import ConfigError


def test_label_is_the_order_of_the_two_relevant_symbols():
    inputs, labels = temporal_order(500, 40, torch.Generator().manual_seed(0))
    symbols = inputs.argmax(-1)  # (n, T)
    x, y = SYMBOLS.index("X"), SYMBOLS.index("Y")
    (lo1, hi1), (lo2, hi2) = relevant_positions(40)
    for row, label in zip(symbols, labels, strict=True):
        relevant = [(t, s) for t, s in enumerate(row.tolist()) if s in (x, y)]
        assert len(relevant) == 2
        (t1, s1), (t2, s2) = relevant
        assert lo1 <= t1 <= hi1 and lo2 <= t2 <= hi2
        assert label.item() == 2 * (s1 - x) + (s2 - x)
    assert row[0].item() == SYMBOLS.index("B") and row[-1].item() == SYMBOLS.index("E")
    counts = torch.bincount(labels, minlength=4)
    assert counts.min().item() > 90  # four balanced classes: chance is 25%


def test_splits_are_seeded_and_independent_of_each_other_sizes():
    small = TemporalOrderDataModule(TemporalOrderConfig(length=20, num_train=10, seed=3))
    large = TemporalOrderDataModule(TemporalOrderConfig(length=20, num_train=50, seed=3))
    assert torch.equal(small.splits["test"][0], large.splits["test"][0])
    other = TemporalOrderDataModule(TemporalOrderConfig(length=20, num_train=10, seed=4))
    assert not torch.equal(small.splits["test"][0], other.splits["test"][0])
    assert small.facts.input_size == 8 and small.facts.output_size == 4


def test_too_short_sequences_are_refused():
    with pytest.raises(ConfigError, match=r"data\.length=4"):
        check_data(TemporalOrderConfig(length=4, seed=0))
