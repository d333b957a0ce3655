"""The forecasting benchmark: every method forecasts each series' last year from the data
before it; errors are MAE in the series' units and MASE (scaled by the seasonal naive
forecast's in-sample MAE on the same data), so series of any size average together.

Stages keep the test year out of every choice: `validation` drops each series' last year
and scores the two years before it (two origins), which is where rnnlab's defaults and the
automatic selection's candidates were chosen; `test` scores the last year, once.
rnnlab runs go through the same `train()` as `python train.py`, on the series written as
CSV, several at once in worker processes (one torch thread each).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from rnnlab.run_folder import TEST_FORECAST_FILE
from rnnlab_benchmarks.forecast.baselines import Forecaster
from rnnlab_benchmarks.forecast.benchmark_series import SERIES, BenchmarkSeries, Rows
from rnnlab_benchmarks.forecast.classical import CLASSICAL

# years dropped from the end, per origin; rolling: the last 3 years, each its own origin
STAGES = {"validation": (2, 1), "test": (0,), "rolling": (2, 1, 0)}
QUIET = (
    "trainer.enable_progress_bar=false",
    "trainer.enable_model_summary=false",
    "plots=false",
    "torch_threads=1",
)


@dataclass(frozen=True)
class RnnlabMethod:
    """rnnlab on a user's CSV with these overrides (beyond path, target and season)."""

    name: str
    overrides: tuple[str, ...] = ()
    seeds: int = 3


@dataclass
class Score:
    """One method on one series at one origin: its forecast(s) and their errors."""

    forecasts: list[list[float]]  # one per seed (one for a classical method)
    truth: list[float]
    scale: float  # MASE's denominator

    def mae(self, forecast: Sequence[float]) -> float:
        return float(np.mean(np.abs(np.asarray(forecast) - np.asarray(self.truth))))

    @property
    def mase_each(self) -> list[float]:
        return [self.mae(forecast) / self.scale for forecast in self.forecasts]

    @property
    def ensemble(self) -> list[float]:
        return np.mean(np.asarray(self.forecasts), axis=0).tolist()


@dataclass
class Results:
    stage: str
    scores: dict[str, dict[str, list[Score]]] = field(default_factory=dict)  # method, series

    def mase(self, method: str, series: str, ensemble: bool = False) -> float:
        """Mean over origins (and over seeds, unless the seeds' mean forecast is scored)."""
        values = []
        for score in self.scores[method][series]:
            if ensemble:
                values.append(score.mae(score.ensemble) / score.scale)
            else:
                values.append(statistics.fmean(score.mase_each))
        return statistics.fmean(values)

    def mae(self, method: str, series: str, ensemble: bool = False) -> float:
        values = []
        for score in self.scores[method][series]:
            forecasts = [score.ensemble] if ensemble else score.forecasts
            values.append(statistics.fmean(score.mae(f) for f in forecasts))
        return statistics.fmean(values)

    def to_json(self) -> dict:
        scores = {
            method: {name: [vars(score) for score in runs] for name, runs in by_series.items()}
            for method, by_series in self.scores.items()
        }
        return {"stage": self.stage, "scores": scores}


def origins(series: BenchmarkSeries, stage: str) -> list[Rows]:
    """The rows a forecast of the last year may see plus that year, per origin of `stage`."""
    rows = series.load()
    return [
        rows[: len(rows) - dropped * series.season] if dropped else rows
        for dropped in STAGES[stage]
    ]


def split(rows: Rows, season: int) -> tuple[np.ndarray, np.ndarray, float]:
    """-> (history, the last year, MASE's scale on the history)."""
    values = np.array([value for _, value in rows], dtype=np.float64)
    history, truth = values[:-season], values[-season:]
    return history, truth, float(np.mean(np.abs(history[season:] - history[:-season])))


def write_rows(rows: Rows, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["date,value", *(f"{label},{value:.10g}" for label, value in rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def rnnlab_job(
    csv: str, season: int, overrides: tuple[str, ...], seed: int, folder: str
) -> list[float]:
    """One training run on a series' CSV -> its forecast of the last year (a worker's job)."""
    from hydra import compose, initialize_config_dir

    import rnnlab.config  # noqa: F401 - the schemas, in this fresh process
    from rnnlab.configured_run import run_configured
    from rnnlab.forecast.forecast_csv import read_test_forecast

    conf = Path(__file__).resolve().parents[3] / "conf"
    base = ("data=csv", f"data.path={csv}", "data.target=value", f"data.season={season}")
    with initialize_config_dir(config_dir=str(conf), version_base="1.3"):
        cfg = compose("train", overrides=[*base, *overrides, *QUIET, f"seed={seed}"])
    run_configured(cfg, Path(folder))  # one run, or automatic forecasting's search
    _, _, forecast = read_test_forecast(Path(folder) / TEST_FORECAST_FILE)
    return forecast.tolist()


def run_benchmark(
    stage: str,
    methods: Sequence[RnnlabMethod],
    runs: Path,
    series: Sequence[BenchmarkSeries] = SERIES,
    classical: Mapping[str, Forecaster] = CLASSICAL,
    workers: int = 2,
) -> Results:
    results = Results(stage)
    jobs = []
    for item in series:
        for origin, rows in enumerate(origins(item, stage)):
            history, truth, scale = split(rows, item.season)
            for name, forecaster in classical.items():
                forecast = forecaster(history, item.season, item.season)
                score = Score([list(map(float, forecast))], truth.tolist(), scale)
                results.scores.setdefault(name, {}).setdefault(item.name, []).append(score)
            csv = write_rows(rows, runs / "data" / f"{item.name}-{stage}{origin}.csv")
            for method in methods:
                score = Score([], truth.tolist(), scale)
                results.scores.setdefault(method.name, {}).setdefault(item.name, []).append(score)
                for seed in range(method.seeds):
                    folder = runs / method.name / f"{item.name}-{stage}{origin}" / f"seed{seed}"
                    arguments = (str(csv), item.season, method.overrides, seed, str(folder))
                    jobs.append((score, arguments))
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [(score, pool.submit(rnnlab_job, *arguments)) for score, arguments in jobs]
        for score, future in futures:
            score.forecasts.append(future.result())
    return results


def save(results: Results, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results.to_json(), indent=1) + "\n")


def load(path: Path) -> Results:
    """What `save` wrote: every forecast of a benchmark run, to score again without training."""
    saved = json.loads(path.read_text())
    scores = {
        method: {name: [Score(**score) for score in runs] for name, runs in by_series.items()}
        for method, by_series in saved["scores"].items()
    }
    return Results(saved["stage"], scores)
