"""metrics.json says how far training went: epochs as passes over the data, and steps."""

import pytest


def test_max_steps_mid_epoch_reports_the_fraction_of_the_last_epoch(run_training):
    # synthetic: 2000 training sequences in batches of 64 -> 31 batches per epoch
    report = run_training("data=synthetic", "trainer.max_steps=40", "plots=false")
    assert report["global_step"] == 40
    assert report["epochs"] == pytest.approx(40 / 31, abs=1e-3)  # Lightning would say 2


def test_truncated_bptt_counts_batches_not_chunks_as_epochs(run_training):
    # echo labels every step: windows of 30 in chunks of 10 make 3 optimizer steps per batch
    report = run_training("data=echo", "training.tbptt_steps=10", "trainer.max_epochs=1",
                          "plots=false")  # fmt: skip
    assert report["global_step"] == 31 * 3 and report["epochs"] == 1
