"""`torch_threads` (conf/train.yaml, RunConfig): applied before any tensor work of a run,
put back afterwards so jobs sharing a process do not inherit it; bad values are refused in
tests/test_config_validation.py with the other config errors."""

import pytest
import torch
from toy_extension.thread_recording import ThreadRecordingMajority

from conftest import compose_config
from rnnlab.config.convert import typed_config
from rnnlab.config.data import ModuleDataConfig
from rnnlab.config.run_config import RunConfig
from rnnlab.run import train

RECORDING = "toy_extension.thread_recording.ThreadRecordingMajority"
QUIET = ("trainer.enable_progress_bar=false", "trainer.enable_model_summary=false")


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


def test_a_number_is_applied_before_the_data(tmp_path):
    """The run builds a data set of one's own (data.module) that notes the thread count."""
    config = typed_config(compose_config("trainer=debug", "plots=false", "torch_threads=2",
                                         *QUIET))  # fmt: skip
    config.data = ModuleDataConfig(name="majority", module=RECORDING, task="classification",
                                   length=9, seed=0)  # fmt: skip
    ThreadRecordingMajority.threads_at_build.clear()
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    try:
        train(config, tmp_path)
        assert ThreadRecordingMajority.threads_at_build == [2]
    finally:
        torch.set_num_threads(before)
