"""Warm-up (burn-in) and truncated backpropagation through time."""

import pytest
import torch

from rnnlab.data.facts import DataFacts
from rnnlab.errors import ConfigError
from rnnlab.tasks import LabelingTask

MODEL = {"kind": "gru", "hidden_size": 6, "num_layers": 1, "dropout": 0.0, "bidirectional": False}
SGD = {"name": "sgd", "lr": 0.1, "momentum": 0.0}
FACTS = DataFacts("labeling", input_size=3, output_size=4)


def labeling_batch(length=10):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(5, length, 3, generator=generator)
    y = torch.randint(0, 4, (5, length), generator=generator)
    return x, y


def test_warmup_steps_get_no_gradient_and_their_targets_no_loss():
    torch.manual_seed(0)
    task = LabelingTask(MODEL, SGD, FACTS, {"warmup_steps": 4})
    x, y = labeling_batch()
    x.requires_grad_()
    loss = task._step((x, y), "train")
    loss.backward()
    assert torch.all(x.grad[:, :4] == 0) and torch.all(x.grad[:, 4:].abs().sum(-1) > 0)
    changed = y.clone()
    changed[:, :4] = (changed[:, :4] + 1) % 4  # other labels in the warm-up steps only
    assert task._step((x, changed), "train").item() == pytest.approx(loss.item())
    other_start = x.detach().clone()
    other_start[:, 0] += 3.0  # the warm-up steps still set the state
    assert task._step((other_start, y), "train").item() != pytest.approx(loss.item())


def test_warmup_is_refused_for_bidirectional_and_when_it_eats_the_window(run_training):
    with pytest.raises(ConfigError, match="training.warmup_steps=2"):
        run_training("trainer=debug", "training.warmup_steps=2", "model.bidirectional=true")
    with pytest.raises(ConfigError, match="fewer than the 4 steps"):
        run_training("trainer=debug", "data=sine", "training.warmup_steps=4")


ECHO = ("data=echo", "data.length=12", "data.delay=2", "data.num_train=128", "data.num_val=64",
        "data.num_test=64", "optimizer=sgd", "optimizer.momentum=0.0", "model.hidden_size=8",
        "trainer.max_epochs=2")  # fmt: skip


def test_tbptt_with_chunks_as_long_as_the_sequence_equals_full_bptt(run_training):
    full = run_training(*ECHO)
    for chunk in (12, 50):
        truncated = run_training(*ECHO, f"training.tbptt_steps={chunk}")
        assert truncated["global_step"] == full["global_step"]
        for name, value in full["metrics"].items():
            assert truncated["metrics"][name] == pytest.approx(value, rel=1e-5, abs=1e-7), name


def test_tbptt_steps_the_optimizer_once_per_chunk_and_differs_from_full(run_training):
    full = run_training(*ECHO)
    truncated = run_training(*ECHO, "training.tbptt_steps=4", "training.warmup_steps=2")
    # (12 - 2 warm-up) steps in chunks of 4: 3 optimizer steps per batch
    assert truncated["global_step"] == 3 * full["global_step"]
    assert truncated["metrics"]["test/loss"] != pytest.approx(full["metrics"]["test/loss"])


def test_tbptt_keeps_the_trainer_clipping_flags_working(run_training):
    report = run_training(*ECHO, "training.tbptt_steps=4", "trainer.gradient_clip_val=0.5")
    assert report["global_step"] > 0


TEMPORAL_ORDER = ("data=synthetic", "data.num_train=256", "data.num_val=64", "data.num_test=64",
                  "model.hidden_size=8", "trainer.max_epochs=2")  # fmt: skip


def test_tbptt_many_to_one_steps_once_per_batch_on_the_last_chunk(run_training):
    """Many-to-one: earlier chunks only advance the state, so each batch is one optimizer
    step, and chunks as long as the sequence are exactly full backpropagation."""
    full = run_training(*TEMPORAL_ORDER)
    whole = run_training(*TEMPORAL_ORDER, "training.tbptt_steps=20")  # data.length is 20
    assert whole["metrics"] == pytest.approx(full["metrics"], rel=1e-5, abs=1e-7)
    truncated = run_training(*TEMPORAL_ORDER, "training.tbptt_steps=5")
    assert truncated["global_step"] == full["global_step"] == 2 * (256 // 64)
    assert truncated["metrics"]["test/loss"] != pytest.approx(full["metrics"]["test/loss"])


@pytest.mark.parametrize(("override", "key"), [
    ("model.bidirectional=true", "training.tbptt_steps=4"),
    ("model.head=mean", "training.tbptt_steps=4"),
    ("+trainer.accumulate_grad_batches=2", "trainer.accumulate_grad_batches=2"),
])  # fmt: skip
def test_tbptt_refuses_what_it_cannot_serve(run_training, override, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        run_training("trainer=debug", "training.tbptt_steps=4", override)
