import pytest
import torch

from rnnlab.config.convert import model_config
from rnnlab.data.facts import DataFacts
from rnnlab.models import RecurrentBackbone, build_model

KINDS = ["rnn", "lstm", "gru"]


def make(kind: str, **options) -> RecurrentBackbone:
    torch.manual_seed(0)
    settings = {"input_size": 3, "hidden_size": 5, "num_layers": 2} | options
    return RecurrentBackbone(kind, **settings).double()


@pytest.mark.parametrize("kind", KINDS)
def test_bidirectional_final_state_is_forward_end_and_backward_start(kind):
    backbone = make(kind, bidirectional=True)
    x = torch.randn(4, 7, 3, dtype=torch.float64)
    outputs, state = backbone(x)
    final = backbone.last_layer_final(state)
    hidden = 5
    assert outputs.shape == (4, 7, 2 * hidden) and final.shape == (4, 2 * hidden)
    # forward half: state after t = T-1; backward half: state after reading back to t = 0
    torch.testing.assert_close(final[:, :hidden], outputs[:, -1, :hidden])
    torch.testing.assert_close(final[:, hidden:], outputs[:, 0, hidden:])
    # and not what out[:, -1] holds, whose backward half has seen only the last step
    assert not torch.allclose(final[:, hidden:], outputs[:, -1, hidden:])


@pytest.mark.parametrize("kind", KINDS)
def test_bidirectional_head_sees_the_first_step_through_the_backward_direction(kind):
    """Changing x[:, 0] must reach the backward half of the head's input; out[:, -1] misses it."""
    backbone = make(kind, bidirectional=True, num_layers=1)
    x = torch.randn(2, 9, 3, dtype=torch.float64)
    changed = x.clone()
    changed[:, 0] += 1.0
    (out_a, state_a), (out_b, state_b) = backbone(x), backbone(changed)
    final_a, final_b = backbone.last_layer_final(state_a), backbone.last_layer_final(state_b)
    hidden = 5
    assert not torch.allclose(final_a[:, hidden:], final_b[:, hidden:])
    torch.testing.assert_close(out_a[:, -1, hidden:], out_b[:, -1, hidden:])


@pytest.mark.parametrize("kind", KINDS)
def test_unidirectional_final_state_is_last_output(kind):
    backbone = make(kind)
    outputs, state = backbone(torch.randn(3, 6, 3, dtype=torch.float64))
    torch.testing.assert_close(backbone.last_layer_final(state), outputs[:, -1])


def test_dropout_is_applied_between_layers_only():
    assert make("lstm", num_layers=1, dropout=0.5).rnn.dropout == 0.0  # no torch warning
    assert make("lstm", num_layers=2, dropout=0.5).rnn.dropout == 0.5


def test_relu_rnn_uses_relu():
    assert make("rnn", nonlinearity="relu").rnn.nonlinearity == "relu"


@pytest.mark.parametrize("bidirectional", [False, True])
def test_model_maps_sequences_to_outputs(bidirectional):
    config = {
        "kind": "gru",
        "hidden_size": 8,
        "num_layers": 2,
        "dropout": 0.1,
        "bidirectional": bidirectional,
    }
    model = build_model(model_config(config), DataFacts("regression", 3, 4))
    assert model(torch.randn(5, 11, 3)).shape == (5, 4)
    assert model.head.output.linear.in_features == 8 * (2 if bidirectional else 1)
