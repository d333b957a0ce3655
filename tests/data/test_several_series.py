"""Several series in one CSV, one model: each series windowed, split and scaled as a file of
its own; long and wide formats alike; refusals name the series; metrics per series in its
own units and their mean MASE."""

import csv
import json
import math
import subprocess
import sys

import pytest
import torch

from conftest import ROOT
from rnnlab.config.checks import check_csv_series
from rnnlab.config.convert import model_config
from rnnlab.config.data import CsvConfig
from rnnlab.data.csv_series import CsvSeriesDataModule, csv_datamodule
from rnnlab.data.several_series import SeveralSeriesDataModule
from rnnlab.errors import ConfigError, DataError
from rnnlab.forecast.several import forecasts_per_series, mean_mase, series_metrics
from rnnlab.tasks import build_task

SMALL = {"window": 8, "horizon": 4, "season": 4, "seed": 0}
# three series on very different scales: a shared scale would let "south" own the loss
SCALES = {"north": (100.0, 10.0), "south": (5000.0, 900.0), "east": (3.0, 0.5)}
LENGTH = 40


def values(level: float, swing: float) -> list[float]:
    return [level + 0.02 * level * i + swing * math.sin(math.pi * i / 2) for i in range(LENGTH)]


def dates() -> list[str]:
    return [f"{2000 + i // 4}-Q{i % 4 + 1}" for i in range(LENGTH)]


def write_long(path, rows=None):
    rows = rows or [(name, d, v) for name, scale in SCALES.items()
                    for d, v in zip(dates(), values(*scale), strict=True)]  # fmt: skip
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["store", "date", "sales"])
        writer.writerows(rows)
    return path


def write_wide(path):
    columns = {name: values(*scale) for name, scale in SCALES.items()}
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["date", *columns])
        for i, d in enumerate(dates()):
            writer.writerow([d, *(columns[name][i] for name in columns)])
    return path


def write_one(path, name):
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["date", "sales"])
        writer.writerows(zip(dates(), values(*SCALES[name]), strict=True))
    return path


def long_module(tmp_path, **options):
    path = write_long(tmp_path / "long.csv")
    config = CsvConfig(path=str(path), target="sales", id_column="store", **SMALL | options)
    return csv_datamodule(config)


def test_each_series_is_split_and_scaled_as_a_file_of_its_own(tmp_path):
    several = long_module(tmp_path, log_transform="auto")
    assert isinstance(several, SeveralSeriesDataModule)
    assert list(several.members) == ["north", "south", "east"]  # as they first appear
    alone = [
        CsvSeriesDataModule(CsvConfig(path=str(write_one(tmp_path / f"{n}.csv", n)),
                                      target="sales", log_transform="auto", **SMALL))
        for n in SCALES
    ]  # fmt: skip
    for split in ("train", "val", "test"):
        x, y = several.splits[split]
        torch.testing.assert_close(x, torch.cat([m.splits[split][0] for m in alone]))
        torch.testing.assert_close(y, torch.cat([m.splits[split][1] for m in alone]))
    for member, single in zip(several.members.values(), alone, strict=True):
        assert (member.mean, member.std) == (single.mean, single.std)
        # every series' training targets on its own scale: mean 0, spread near 1
        targets = member.splits["train"][1]
        assert abs(targets.mean().item()) < 0.5 and 0.5 < targets.std().item() < 1.5
    # the windows of one series never read another's values: same count as three files
    assert several.split_sizes() == {s: sum(len(m.splits[s][0]) for m in alone)
                                     for s in ("train", "val", "test")}  # fmt: skip


def test_one_column_per_series_gives_the_same_windows_as_long_format(tmp_path):
    long = long_module(tmp_path)
    wide_path = write_wide(tmp_path / "wide.csv")
    wide = csv_datamodule(CsvConfig(path=str(wide_path), target=list(SCALES), **SMALL))
    assert list(wide.members) == list(long.members)
    for split in ("train", "val", "test"):
        torch.testing.assert_close(wide.splits[split][0], long.splits[split][0])
        torch.testing.assert_close(wide.splits[split][1], long.splits[split][1])
    assert wide.facts.series_names == ("north", "south", "east")
    assert wide.facts.mase_scale is None and not wide.facts.percentage_errors


def test_series_identity_adds_one_hot_channels_and_leaves_the_series_alone(tmp_path):
    plain, tagged = long_module(tmp_path), long_module(tmp_path, series_id=True)
    assert tagged.facts.input_size == plain.facts.input_size + 3
    for i, (name, member) in enumerate(tagged.members.items()):
        x, y = member.splits["train"]
        torch.testing.assert_close(x[:, :, :1], plain.members[name].splits["train"][0])
        torch.testing.assert_close(y, plain.members[name].splits["train"][1])
        expected = torch.zeros(3)
        expected[i] = 1.0
        assert bool((x[:, :, 1:] == expected).all())  # every step of every window
    assert tagged.splits["test"][0].shape[2] == 4
    with pytest.raises(ConfigError, match="data.series_id.*false for one series"):
        check_csv_series(CsvConfig(path="x.csv", target="sales", series_id=True))


def test_metrics_per_series_come_back_in_each_series_units(tmp_path):
    data = long_module(tmp_path)
    gru = {"kind": "gru", "hidden_size": 6, "num_layers": 1, "baseline": "window_mean"}
    torch.manual_seed(0)
    task = build_task(model_config(gru), {"name": "adam", "lr": 1e-3}, data.facts)
    table = series_metrics(task, data)
    forecasts = forecasts_per_series(task, data)
    for name, (level, _) in SCALES.items():
        member = data.members[name]
        truth = member.values[member.test_start :]  # as read from the file
        forecast = forecasts[name][0]  # the one test window: (horizon,)
        assert forecast.shape == truth.shape
        mae = (forecast - truth).abs().mean().item()
        assert table[name]["test/mae"] == pytest.approx(mae, rel=1e-5)
        assert table[name]["test/mase"] == pytest.approx(mae / member.facts.mase_scale, rel=1e-5)
        assert abs(forecast.mean().item() - level * 1.7) < level  # in its own units
    assert mean_mase(table)["test/mase"] == pytest.approx(
        sum(row["test/mase"] for row in table.values()) / 3
    )


def test_a_refusal_names_the_series_and_its_line(tmp_path):
    rows = [(n, d, v) for n, s in SCALES.items() for d, v in zip(dates(), values(*s), strict=True)]
    rows[LENGTH + 5] = ("south", dates()[4], 1.0)  # south's 6th row repeats its 5th date
    path = write_long(tmp_path / "bad.csv", rows)
    config = CsvConfig(path=str(path), target="sales", id_column="store", **SMALL)
    with pytest.raises(DataError, match=r"line 47, column 'date': series 'south': '2001-Q1' rep"):
        csv_datamodule(config)
    good = [(n, d, v) for n, s in SCALES.items() for d, v in zip(dates(), values(*s), strict=True)]
    short = write_long(tmp_path / "short.csv", good[: LENGTH + 10])  # south: 10 rows only
    config = CsvConfig(path=str(short), target="sales", id_column="store", **SMALL)
    with pytest.raises(DataError, match="series 'south': 10 rows are too few"):
        csv_datamodule(config)
    with pytest.raises(ConfigError, match="data.id_column='Store'.*did you mean store"):
        csv_datamodule(CsvConfig(path=str(path), target="sales", id_column="Store", **SMALL))


@pytest.mark.parametrize(
    ("target", "id_column", "message"),
    [
        (["a", "a"], None, "distinct column names"),
        ([], None, "distinct column names"),
        (["a", "b"], "store", "data.id_column='store'.*null with several target columns"),
        (3, None, "a column name"),
    ],
)
def test_target_lists_are_checked_before_reading(target, id_column, message):
    with pytest.raises(ConfigError, match=message):
        check_csv_series(CsvConfig(path="x.csv", target=target, id_column=id_column))


@pytest.mark.slow
def test_one_command_trains_one_model_for_every_series_and_reports_each(tmp_path):
    path = write_long(tmp_path / "long.csv")
    run = tmp_path / "run"
    args = [sys.executable, "train.py", "data=csv", f"data.path={path}", "data.target=sales",
            "data.id_column=store", *[f"data.{k}={v}" for k, v in SMALL.items()],
            "trainer.max_steps=30", "optimized_metric=val/mase", f"hydra.run.dir={run}",
            "trainer.enable_progress_bar=false"]  # fmt: skip
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads((run / "metrics.json").read_text())
    assert set(report["series"]) == set(SCALES)
    means = {s: sum(row[f"{s}/mase"] for row in report["series"].values()) / 3
             for s in ("val", "test")}  # fmt: skip
    assert report["metrics"]["test/mase"] == pytest.approx(means["test"])
    assert report["metrics"]["val/mase"] == pytest.approx(means["val"])
    rows = list(csv.DictReader((run / "test_forecast.csv").open()))
    assert [row["series"] for row in rows] == [n for n in SCALES for _ in range(4)]
    assert float(rows[4]["truth"]) == pytest.approx(values(*SCALES["south"])[-4], rel=1e-6)
    assert (run / "forecast.png").stat().st_size > 0
    assert "Test metrics per series" in result.stdout
