"""The adding and copy-memory problems, and the baselines they are judged against."""

import math

import pytest
import torch

from rnnlab.config.data import AddingConfig, CopyMemoryConfig
from rnnlab.data.adding import NO_MEMORY_MSE, AddingDataModule, adding_problem
from rnnlab.data.copy_memory import (
    BLANK,
    DELIMITER,
    CopyMemoryDataModule,
    copy_memory,
    no_memory_cross_entropy,
)


def test_adding_target_is_the_sum_of_the_two_marked_values_one_per_half():
    inputs, targets = adding_problem(300, 40, torch.Generator().manual_seed(0))
    values, markers = inputs[..., 0], inputs[..., 1]
    assert torch.all(markers[:, :20].sum(1) == 1) and torch.all(markers[:, 20:].sum(1) == 1)
    torch.testing.assert_close(targets[:, 0], (values * markers).sum(1))


def test_predicting_one_always_scores_about_one_sixth():
    _, targets = adding_problem(20000, 10, torch.Generator().manual_seed(1))
    mse_of_ones = ((targets - 1.0) ** 2).mean().item()
    assert mse_of_ones == pytest.approx(NO_MEMORY_MSE, rel=0.03)
    assert AddingDataModule(AddingConfig(length=10, num_train=5, seed=0)).facts.input_size == 2


def test_copy_memory_layout():
    length = 15
    inputs, labels = copy_memory(4, length, torch.Generator().manual_seed(0))
    symbols = inputs.argmax(-1)  # (n, T + 20)
    assert symbols.shape == (4, length + 20)
    data = symbols[:, :10]
    assert torch.all((data >= 1) & (data <= 8))
    assert torch.all(symbols[:, 10 : length + 9] == BLANK)
    assert torch.all(symbols[:, length + 9] == DELIMITER) and torch.all(symbols[:, -10:] == BLANK)
    assert torch.all(labels[:, :-10] == BLANK) and torch.equal(labels[:, -10:], data)


def test_copy_memory_baseline_is_what_a_memoryless_guess_scores():
    length = 30
    _, labels = copy_memory(2000, length, torch.Generator().manual_seed(2))
    # blanks certain where they are due, then uniform over the 8 symbols: a memoryless guess
    guess = torch.full((length + 20, 9), -1e9)
    guess[:-10, BLANK] = 0.0
    guess[-10:, 1:] = 0.0
    logits = guess.expand(len(labels), -1, -1)
    loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), labels.flatten())
    assert loss.item() == pytest.approx(no_memory_cross_entropy(length), rel=1e-5)
    assert no_memory_cross_entropy(100) == pytest.approx(10 * math.log(8) / 120)
    facts = CopyMemoryDataModule(CopyMemoryConfig(length=5, num_train=3, seed=0)).facts
    assert (facts.task, facts.input_size, facts.output_size) == ("labeling", 10, 9)
