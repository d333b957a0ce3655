"""The summary of a multirun folder, from job folders made by hand."""

import csv
import json
import math
from pathlib import Path

import yaml

from rnnlab.sweep.over_seeds import over_seeds
from rnnlab.sweep.plot import axis_means
from rnnlab.sweep.results import read_sweep, swept_keys
from rnnlab.sweep.summary import write_summaries


def make_job(sweep: Path, number: int, overrides: list[str], kind: str,
             val_loss: float | None = None, error: str | None = None) -> None:  # fmt: skip
    folder = sweep / str(number)
    (folder / ".hydra").mkdir(parents=True)
    (folder / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
    (folder / ".hydra" / "config.yaml").write_text(yaml.safe_dump({"model": {"kind": kind}}))
    if val_loss is not None:
        report = {"metrics": {"val/loss": val_loss, "test/mae": 2 * val_loss},
                  "num_parameters": 100 + number, "wall_time_s": 1.5}  # fmt: skip
        (folder / "metrics.json").write_text(json.dumps(report))
    if error is not None:
        failure = {"error_type": "DivergenceError", "error": error, "wall_time_s": 0.3}
        (folder / "failure.json").write_text(json.dumps(failure))


def fake_sweep(tmp_path: Path) -> Path:
    make_job(tmp_path, 0, ["model=rnn", "model.num_layers=1", "data=sine"], "rnn", 0.30)
    make_job(tmp_path, 1, ["model=rnn", "model.num_layers=2", "data=sine"], "rnn", error="nan")
    make_job(tmp_path, 2, ["model=lstm", "model.num_layers=1", "data=sine"], "lstm", 0.10)
    make_job(tmp_path, 3, ["model=lstm", "model.num_layers=2", "data=sine"], "lstm", 0.20)
    make_job(tmp_path, 4, ["model=gru", "model.num_layers=1", "data=sine"], "gru")  # killed
    return tmp_path


def test_jobs_are_ranked_best_first_with_failures_last(tmp_path):
    results = write_summaries(fake_sweep(tmp_path), "val/loss", "min")
    assert [r.number for r in results] == [2, 3, 0, 1, 4]
    assert [r.status for r in results] == ["ok", "ok", "ok", "failed", "missing"]
    assert results[3].error == "DivergenceError: nan"
    maximised = write_summaries(tmp_path, "val/loss", "max")
    assert [r.number for r in maximised][:3] == [0, 3, 2]


def test_csv_has_a_row_per_job_with_axes_metrics_and_errors(tmp_path):
    write_summaries(fake_sweep(tmp_path), "val/loss", "min")
    rows = list(csv.DictReader((tmp_path / "summary.csv").open()))
    assert len(rows) == 5
    best = rows[0]
    assert best["job"] == "2" and best["model"] == "lstm" and best["model.num_layers"] == "1"
    assert float(best["val/loss"]) == 0.10 and float(best["test/mae"]) == 0.20
    assert best["num_parameters"] == "102" and best["wall_time_s"] == "1.5"
    assert "data" not in rows[0]  # the same in every job: not an axis
    assert rows[3]["status"] == "failed" and "DivergenceError" in rows[3]["error"]
    assert rows[4]["status"] == "missing"


def test_markdown_names_the_shared_overrides_once_and_the_failures(tmp_path):
    write_summaries(fake_sweep(tmp_path), "val/loss", "min")
    text = (tmp_path / "summary.md").read_text()
    assert "5 jobs, 2 failed, sorted by val/loss (min)" in text
    assert "Every job: data=sine" in text
    assert "| 1 | 2 | lstm | 1 | ok | 0.1 |" in text
    assert "failed: DivergenceError: nan" in text


def test_axes_and_means_per_architecture(tmp_path):
    results = read_sweep(fake_sweep(tmp_path))
    assert swept_keys(results) == ["model", "model.num_layers"]
    means = axis_means(results, "model.num_layers", "val/loss")
    assert means == {"rnn": {"1": 0.30}, "lstm": {"1": 0.10, "2": 0.20}}


def seeded_sweep(tmp_path: Path) -> Path:
    """Two settings x 3 seeds: lstm's best single seed loses to gru's better mean."""
    jobs = [("lstm", 0, 0.05), ("lstm", 1, 0.40), ("lstm", 2, 0.45),
            ("gru", 0, 0.20), ("gru", 1, 0.22), ("gru", 2, None)]  # fmt: skip
    for number, (kind, seed, loss) in enumerate(jobs):
        overrides = [f"model={kind}", f"seed={seed}", "data=sine"]
        make_job(tmp_path, number, overrides, kind, loss, None if loss else "nan")
    return tmp_path


def test_settings_are_ranked_by_their_mean_over_seeds_not_the_best_seed(tmp_path):
    results = write_summaries(seeded_sweep(tmp_path), "val/loss", "min")
    assert results[0].number == 0  # lstm's lucky seed is the best single job
    settings = over_seeds(results, "val/loss", "min")
    assert [g.setting for g in settings] == [{"model": "gru"}, {"model": "lstm"}]
    assert settings[0].values == [0.20, 0.22] and settings[0].seeds == 3  # failed seed left out
    assert math.isclose(settings[1].mean, 0.30)
    assert math.isclose(settings[1].deviation, 0.2179, rel_tol=1e-3)
    text = (tmp_path / "summary.md").read_text()
    assert "## By setting, over seeds: mean ± sd of val/loss (min)" in text
    assert "| 1 | gru | 0.21 | 0.01414 | 2/3 |" in text


def test_no_seed_table_unless_seed_is_swept(tmp_path):
    results = write_summaries(fake_sweep(tmp_path), "val/loss", "min")
    assert over_seeds(results, "val/loss", "min") == []
    assert "over seeds" not in (tmp_path / "summary.md").read_text()
