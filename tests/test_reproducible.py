"""The same seed gives the same numbers; another seed gives others."""

SHORT = (
    "data=sine",
    "trainer.max_epochs=2",
    "model.hidden_size=16",
    "model.dropout=0.2",
    "model.num_layers=2",
)


def test_same_seed_twice_gives_identical_metrics(run_training):
    first = run_training(*SHORT, "seed=7")["metrics"]
    second = run_training(*SHORT, "seed=7")["metrics"]
    assert first == second


def test_another_seed_gives_other_metrics(run_training):
    first = run_training(*SHORT, "seed=7")["metrics"]
    other = run_training(*SHORT, "seed=8")["metrics"]
    assert first["test/loss"] != other["test/loss"]


def test_max_steps_mid_epoch_reports_the_steps_taken(run_training):
    # sine: 18 steps an epoch; 25 steps stop inside the second epoch
    report = run_training("data=sine", "trainer.max_epochs=-1", "trainer.max_steps=25")
    assert report["global_step"] == 25
