"""The final fit of a forecast: trained through the validation period, it keeps its last epoch."""

import torch


def test_final_fit_keeps_the_last_epoch_and_tests_its_weights(run_training):
    report = run_training(
        "experiment=passengers_gru_final", "trainer.max_epochs=3", "plots=false", "seed=1"
    )
    assert report["best_checkpoint"].endswith("best-epoch=002.ckpt")
    assert report["split_sizes"] == {"train": 132 - 36 - 12 + 1, "val": 1, "test": 1}
    best = torch.load(report["best_checkpoint"], map_location="cpu", weights_only=True)
    last = torch.load(report["last_checkpoint"], map_location="cpu", weights_only=True)
    for name, tensor in best["state_dict"].items():
        torch.testing.assert_close(tensor, last["state_dict"][name], rtol=0, atol=0)
    assert report["metrics"]["test/mape"] > 0
