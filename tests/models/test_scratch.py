"""The from-scratch layers equal torch.nn's, given the same weights (float64, to 1e-6)."""

import itertools

import pytest
import torch
from torch import nn

from rnnlab.models import RecurrentBackbone, ScratchRecurrent

TORCH = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
CASES = [  # kind, nonlinearity, layers, bidirectional, length
    (kind, act, layers, bidirectional, length)
    for (kind, act), layers, bidirectional, length in itertools.product(
        [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")],
        [1, 3], [False, True], [1, 13],
    )
]  # fmt: skip


def pair(kind: str, act: str, layers: int, bidirectional: bool, dropout: float = 0.0):
    torch.manual_seed(layers * 10 + bidirectional)
    extra = {"nonlinearity": act} if kind == "rnn" else {}
    reference = TORCH[kind](3, 6, num_layers=layers, bidirectional=bidirectional,
                            batch_first=True, dropout=dropout, **extra).double()  # fmt: skip
    scratch = ScratchRecurrent(kind, 3, 6, layers, dropout, bidirectional, act).double()
    scratch.load_state_dict(reference.state_dict())
    return reference, scratch


def initial_state(kind: str, layers: int, bidirectional: bool, batch: int):
    shape = (layers * (2 if bidirectional else 1), batch, 6)
    h = torch.randn(shape, dtype=torch.float64)
    return (h, torch.randn(shape, dtype=torch.float64)) if kind == "lstm" else h


def flat(state) -> list[torch.Tensor]:
    return list(state) if isinstance(state, tuple) else [state]


@pytest.mark.parametrize(("kind", "act", "layers", "bidirectional", "length"), CASES)
def test_outputs_final_states_and_gradients_match_torch(kind, act, layers, bidirectional, length):
    reference, scratch = pair(kind, act, layers, bidirectional)
    x = torch.randn(4, length, 3, dtype=torch.float64)
    state = initial_state(kind, layers, bidirectional, 4)
    results = []
    for module in (reference, scratch):
        inputs = x.clone().requires_grad_()
        start = tuple(s.clone().requires_grad_() for s in flat(state))
        outputs, final = module(inputs, start if kind == "lstm" else start[0])
        loss = (outputs**2).sum() + sum((f * 1.7).sum() for f in flat(final))
        loss.backward()
        grads = [p.grad for p in module.parameters()] + [inputs.grad, *(s.grad for s in start)]
        results.append((outputs, flat(final), grads))
    (out_ref, final_ref, grads_ref), (out_mine, final_mine, grads_mine) = results
    torch.testing.assert_close(out_mine, out_ref, atol=1e-6, rtol=0)
    for mine, ref in zip(final_mine + grads_mine, final_ref + grads_ref, strict=True):
        torch.testing.assert_close(mine, ref, atol=1e-6, rtol=0)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_state_dicts_move_both_ways(kind):
    reference, scratch = pair(kind, "tanh", 2, True)
    assert {k: v.shape for k, v in scratch.state_dict().items()} == {
        k: v.shape for k, v in reference.state_dict().items()
    }
    with torch.no_grad():
        for parameter in scratch.parameters():
            parameter.mul_(0.5)  # new weights, trained "from scratch"
    fresh = TORCH[kind](3, 6, num_layers=2, bidirectional=True, batch_first=True).double()
    fresh.load_state_dict(scratch.state_dict())
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    torch.testing.assert_close(fresh(x)[0], scratch(x)[0], atol=1e-6, rtol=0)


def test_dropout_between_layers_acts_in_training_only():
    reference, scratch = pair("gru", "tanh", 2, False, dropout=0.5)
    x = torch.randn(8, 6, 3, dtype=torch.float64)
    scratch.train()
    assert not torch.allclose(scratch(x)[0], scratch(x)[0])  # random masks between layers
    scratch.eval()
    reference.eval()
    torch.testing.assert_close(scratch(x)[0], reference(x)[0], atol=1e-6, rtol=0)


def test_backbone_implementations_are_interchangeable():
    torch.manual_seed(0)
    options = {"input_size": 3, "hidden_size": 4, "num_layers": 2, "bidirectional": True}
    fast = RecurrentBackbone("lstm", **options).double()
    slow = RecurrentBackbone("lstm", implementation="scratch", **options).double()
    slow.load_state_dict(fast.state_dict())
    x = torch.randn(2, 9, 3, dtype=torch.float64)
    (out_fast, state_fast), (out_slow, state_slow) = fast(x), slow(x)
    torch.testing.assert_close(out_slow, out_fast)
    torch.testing.assert_close(slow.last_layer_final(state_slow), fast.last_layer_final(state_fast))
