"""Rolling-origin backtests: one configuration refitted at k origins, s periods apart, each
forecasting the horizon after its origin from the data before it.

Origin i holds back the last `start + i * step` values (`data.hold_back`), so a run never
sees them in training, scaling or testing: the test period of origin i is the horizon that
ends where its held-back part begins. Origin 0 with `start` 0 is the ordinary test period;
`start` = test_periods keeps every origin inside the training part, for choosing settings.
"""

from __future__ import annotations

import copy
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from rnnlab.forecast.forecast_csv import read_test_forecasts
from rnnlab.run_folder import TEST_FORECAST_FILE, read_report

QUIET = {
    "trainer.enable_progress_bar": False,
    "trainer.enable_model_summary": False,
    "plots": False,
}


def with_values(cfg: DictConfig, values: Mapping[str, Any]) -> DictConfig:
    """A copy of a composed config with dotted keys set (`{"data.hold_back": 12}`)."""
    changed = copy.deepcopy(cfg)
    for key, value in values.items():
        OmegaConf.update(changed, key, value, merge=False)
    return changed


@dataclass
class Origin:
    held_back: int
    dates: list[str]
    truth: list[float]
    forecasts: list[list[float]]  # one per seed
    scale: float  # MASE's denominator for this origin's data
    series: str = ""  # which series, in a file of several ("" for one series)

    @property
    def forecast(self) -> list[float]:
        """The mean forecast of the seeds."""
        return [statistics.fmean(values) for values in zip(*self.forecasts, strict=True)]

    @property
    def mae(self) -> float:
        return statistics.fmean(abs(f - t) for f, t in zip(self.forecast, self.truth, strict=True))

    @property
    def mase(self) -> float:
        return self.mae / self.scale

    @property
    def residuals(self) -> list[float]:
        """truth - forecast per step of the horizon."""
        return [t - f for f, t in zip(self.forecast, self.truth, strict=True)]


@dataclass
class Backtest:
    origins: list[Origin] = field(default_factory=list)

    def mean(self, metric: str) -> float:
        return statistics.fmean(getattr(origin, metric) for origin in self.origins)

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": {"mae": self.mean("mae"), "mase": self.mean("mase")},
            "origins": [
                vars(origin) | {"mae": origin.mae, "mase": origin.mase} for origin in self.origins
            ],
        }


def run_origin(cfg: DictConfig, held_back: int, seeds: list[int], folder: Path) -> list[Origin]:
    """One origin: a run per seed on the series without its last `held_back` values ->
    an Origin per series (one, unless the file holds several: one model forecasts them all)."""
    from rnnlab.run import train  # Lightning loads here

    found: dict[str, Origin] = {}
    for seed in seeds:
        run_dir = folder / f"seed{seed}"
        train(with_values(cfg, {**QUIET, "data.hold_back": held_back, "seed": seed}), run_dir)
        report = read_report(run_dir)
        scales = report.get("mase_scales", {"": report["mase_scale"]})
        for name, (dates, truth, forecast) in read_test_forecasts(
            run_dir / TEST_FORECAST_FILE
        ).items():
            origin = found.setdefault(
                name, Origin(held_back, dates, truth.tolist(), [], scales[name], name)
            )
            origin.forecasts.append(forecast.tolist())
    assert found, "a backtest origin needs at least one seed"
    return list(found.values())


def run_backtest(
    cfg: DictConfig, origins: int, step: int, folder: Path, start: int = 0, seeds: int = 1
) -> Backtest:
    """k = `origins` origins, `step` periods apart, the latest holding back `start` (with
    several series, each origin is one Origin per series, and means are over all of them)."""
    backtest = Backtest()
    for i in range(origins):
        held_back = start + i * step
        backtest.origins += run_origin(cfg, held_back, list(range(seeds)), folder / f"origin{i}")
    return backtest
