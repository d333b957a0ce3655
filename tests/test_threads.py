"""`torch_threads` (conf/train.yaml, RunConfig): applied before any tensor work of a run,
put back afterwards so jobs sharing a process do not inherit it; bad values are refused in
tests/test_config_validation.py with the other config errors."""

import pytest
import torch

import rnnlab.run
from rnnlab.config.run_config import RunConfig


@pytest.fixture
def threads_when_data_is_built(monkeypatch):
    """The torch thread count at the moment the run builds its data module. This one test
    still wraps rnnlab.run's builder: a data module passed to train() is built before the run
    sets its threads, so only the run's own build can show the order."""
    seen: list[int] = []
    build = rnnlab.run.build_datamodule

    def recording(config):
        seen.append(torch.get_num_threads())
        return build(config)

    monkeypatch.setattr(rnnlab.run, "build_datamodule", recording)
    before = torch.get_num_threads()
    yield seen
    torch.set_num_threads(before)


def test_the_rule_takes_one_thread_for_a_small_step_and_torchs_count_for_a_large_one():
    from rnnlab.step_threads import SMALL_STEP, step_size, threads_for_step

    assert RunConfig.torch_threads is None  # chosen per run
    default_size = step_size(batch=32, length=4, parameters=17_000)  # LSTM 64 on sine windows
    seeds_size = step_size(batch=64, length=50, parameters=200_000)  # 2-layer LSTM 128
    assert default_size < SMALL_STEP < seeds_size
    assert threads_for_step(default_size, cores=8) == 1
    assert threads_for_step(seeds_size, cores=8) == 8


@pytest.mark.parametrize(
    ("setting", "expected"),
    [((), 1), (("model.hidden_size=512",), 3), (("torch_threads=2",), 2)],
)
def test_null_chooses_from_the_step_size_and_a_number_is_kept(run_training, setting, expected):
    before = torch.get_num_threads()
    torch.set_num_threads(3)  # what torch would choose on a 3-core machine
    try:
        report = run_training("trainer=debug", "plots=false", *setting)
        assert report["torch_threads"] == expected
        assert torch.get_num_threads() == 3  # the next job in this process starts as it was
    finally:
        torch.set_num_threads(before)


def test_a_number_is_applied_before_the_data(run_training, threads_when_data_is_built):
    torch.set_num_threads(3)
    run_training("trainer=debug", "plots=false", "torch_threads=2")
    assert threads_when_data_is_built == [2]
