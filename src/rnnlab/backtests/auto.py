"""Automatic forecasting in one run (`experiment=auto_forecast`): each candidate setting is
scored by a rolling-origin backtest inside the training part; the mean of the best few is
rnnlab's forecast, weighed against the classical models of `auto.classical` on the same
origins; each series gets the option of lowest backtest MASE, refitted on all the data
before the test period, with conformal prediction intervals from that option's backtest
errors.

The test period is touched once, by the final forecast: origins hold back the test period
and more (`data.hold_back`), so no candidate is scored on it.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig
from omegaconf.errors import ConfigAttributeError, ConfigKeyError

from rnnlab.backtests.auto_choice import (
    RNNLAB,
    best_option,
    classical_backtests,
    mean_backtest,
    mean_origin,
    of_series,
    scored_options,
)
from rnnlab.backtests.backtest import Backtest, Origin, run_backtest, run_origin, with_values
from rnnlab.config.checks import check_config
from rnnlab.config.convert import plain, typed_config
from rnnlab.config.run_config import RunConfig
from rnnlab.errors import BadInput, ConfigError
from rnnlab.forecast.intervals import conformal_halfwidth, leave_one_out_coverage


@dataclass
class Candidate:
    settings: dict[str, Any]
    backtest: Backtest
    refused: str = ""  # why the series cannot take this candidate (too short for its window)

    @property
    def score(self) -> float:
        return math.inf if self.refused else self.backtest.mean("mase")


def candidate_configs(cfg: DictConfig, candidates: list[dict[str, Any]]) -> list[DictConfig]:
    """Each candidate's config, checked before anything trains (a bad one names itself)."""
    base = with_values(cfg, {"auto.candidates": []})  # the runs it makes do not search again
    configs = []
    for i, settings in enumerate(candidates):
        try:
            candidate = with_values(base, settings)
            check_config(typed_config(candidate))
        except (ConfigKeyError, ConfigAttributeError) as error:
            raise ConfigError(
                f"auto.candidates[{i}]",
                settings,
                f"settings of existing keys: {error.full_key} is not one",
            ) from None
        except ConfigError as error:
            raise ConfigError(f"auto.candidates[{i}]", settings, str(error)) from None
        configs.append(candidate)
    return configs


def search(config: RunConfig, configs: list[DictConfig], folder: Path) -> list[Candidate]:
    data, auto = config.data, config.auto
    found = []
    for i, (settings, candidate) in enumerate(zip(auto.candidates, configs, strict=True)):
        try:
            backtest = run_backtest(candidate, auto.origins, data.horizon, folder / f"candidate{i}",
                                    start=data.hold_back + data.test_periods)  # fmt: skip
        except BadInput as error:  # e.g. a window too long for the earliest origin's data
            found.append(Candidate(dict(settings), Backtest(), refused=str(error)))
            continue
        found.append(Candidate(dict(settings), backtest))
    if all(candidate.refused for candidate in found):
        raise ConfigError("auto.candidates", "[...]", "at least one the series can take: "
                          + found[0].refused)  # fmt: skip
    return found


def interval_columns(forecast: list[float], residuals: list[list[float]], alpha: float) -> dict:
    width = conformal_halfwidth([r for rs in residuals for r in rs], alpha)
    return {
        "level": 1 - alpha,
        "halfwidth": width,
        "lower": [f - width for f in forecast],
        "upper": [f + width for f in forecast],
        "backtest_coverage": leave_one_out_coverage(residuals, alpha),
    }


def member_backtests(config: RunConfig, candidates: list[Candidate], chosen: list[int]
                     ) -> dict[str, Backtest]:  # fmt: skip
    """rnnlab's backtest (the mean of its chosen candidates') and each classical model's, at
    the same origins of the same series."""
    rnnlab = mean_backtest([candidates[i].backtest for i in chosen])
    at = [(origin.series, origin.held_back) for origin in rnnlab.origins]
    names = [str(name) for name in config.auto.classical]
    return {RNNLAB: rnnlab, **classical_backtests(config.data, names, at)}


@dataclass
class SeriesChoice:
    """One series' choice: the option its backtest favours, among all scored for it."""

    option: str
    scored: dict[str, tuple[tuple[str, ...], Backtest]]

    @property
    def members(self) -> tuple[str, ...]:
        return self.scored[self.option][0]

    @property
    def backtest(self) -> Backtest:
        return self.scored[self.option][1]

    def to_json(self, alpha: float, final: Origin) -> dict[str, Any]:
        residuals = [origin.residuals for origin in self.backtest.origins]
        intervals = interval_columns(final.forecast, residuals, alpha)
        if not math.isfinite(intervals["halfwidth"]):
            intervals["note"] = "too few backtest errors for this level: widen alpha"
        options = {name: {"members": list(m), "backtest_mase": b.mean("mase"),
                          "per_origin": [o.mase for o in b.origins]}
                   for name, (m, b) in self.scored.items()}  # fmt: skip
        return {"choice": {"option": self.option, "members": list(self.members)},
                "options": options, "backtest_mase": self.backtest.mean("mase"),
                "intervals": intervals}  # fmt: skip


def series_choices(members: dict[str, Backtest]) -> dict[str, SeriesChoice]:
    """Per series (one, or each of a file's several), the option of lowest backtest MASE."""
    names = list(dict.fromkeys(origin.series for origin in members[RNNLAB].origins))
    choices = {}
    for name in names:
        scored = scored_options({m: of_series(b, name) for m, b in members.items()})
        choices[name] = SeriesChoice(best_option(scored), scored)
    return choices


def final_forecasts(chosen: dict[int, DictConfig], config: RunConfig,
                    choices: dict[str, SeriesChoice], output_dir: Path
                    ) -> tuple[dict[str, Origin], list[Origin]]:  # fmt: skip
    """Each series' chosen option's forecast of the test period, and rnnlab's runs (none
    when no series chose an option with rnnlab in it: then nothing more trains)."""
    seeds = [config.seed + k for k in range(config.auto.seeds)]
    refit = {"data.train_through_val": True, "checkpoint.monitor": None}
    runs: list[Origin] = []
    if any(RNNLAB in choice.members for choice in choices.values()):
        for i, cfg in chosen.items():
            runs += run_origin(with_values(cfg, refit), config.data.hold_back, seeds,
                               output_dir / f"final{i}")  # fmt: skip
    hold_back = config.data.hold_back
    classical = sorted({m for c in choices.values() for m in c.members if m != RNNLAB})
    fitted = classical_backtests(config.data, classical, [(s, hold_back) for s in choices])
    finals = {}
    for name, choice in choices.items():
        parts = {m: of_series(b, name).origins[0] for m, b in fitted.items()}
        if runs:
            parts[RNNLAB] = mean_origin([run for run in runs if run.series == name])
        finals[name] = mean_origin([parts[m] for m in choice.members])
    return finals, runs


def auto_forecast(cfg: DictConfig, config: RunConfig, output_dir: Path
                  ) -> tuple[dict[str, Origin], dict]:  # fmt: skip
    """-> (each series' final forecast of the test period, everything the report needs).

    rnnlab's forecast is the mean of its `auto.combine` best candidates, each refitted
    through the validation period with `auto.seeds` seeds: combining the best few is
    steadier than betting on the one a short backtest ranks first. With `auto.classical`,
    that forecast is one option among the classical models and their means
    (backtests/auto_choice.py), and each series gets the option of lowest backtest MASE on
    that series. With several series in one file, rnnlab's candidates train one model for
    all of them, ranked by their mean MASE over the series."""
    auto = config.auto
    configs = candidate_configs(cfg, [dict(c) for c in auto.candidates])
    candidates = search(config, configs, output_dir / "search")
    ranked = sorted(range(len(candidates)), key=lambda i: candidates[i].score)
    chosen = [i for i in ranked[: auto.combine] if not candidates[i].refused]
    choices = series_choices(member_backtests(config, candidates, chosen))
    finals, runs = final_forecasts({i: configs[i] for i in chosen}, config, choices, output_dir)
    summary = {
        "chosen": chosen,
        "candidates": [
            {
                "settings": c.settings,
                "backtest_mase": c.score,
                "backtest_mae": c.backtest.mean("mae") if not c.refused else math.inf,
                "per_origin": [o.mase for o in c.backtest.origins],
                "refused": c.refused,
            }
            for c in candidates
        ],
        "seeds": [config.seed + k for k in range(auto.seeds)] if runs else [],
        "per_run_mase": [
            statistics.fmean(abs(f - t) for f, t in zip(forecast, run.truth, strict=True))
            / run.scale
            for run in runs
            for forecast in run.forecasts
        ],
        "series": {
            name: choice.to_json(auto.alpha, finals[name]) for name, choice in choices.items()
        },  # fmt: skip
        "config": plain(config),
    }
    summary["combined_backtest_mase"] = statistics.fmean(
        one["backtest_mase"] for one in summary["series"].values()
    )
    if list(summary["series"]) == [""]:  # one series: its choice at the top, as before
        summary |= summary.pop("series")[""]
    return finals, summary
