"""Automatic forecasting in one run (`experiment=auto_forecast`): each candidate setting is
scored by a rolling-origin backtest inside the training part, the best is trained on all the
data before the test period with several seeds, and their mean forecast is the forecast,
with conformal prediction intervals from the chosen candidate's backtest errors.

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

from rnnlab.config.checks import check_config
from rnnlab.config.convert import plain, typed_config
from rnnlab.config.run import RunConfig
from rnnlab.errors import BadInput, ConfigError
from rnnlab.forecast.auto_choice import (
    RNNLAB,
    best_option,
    classical_backtests,
    mean_backtest,
    mean_origin,
    scored_options,
)
from rnnlab.forecast.backtest import Backtest, Origin, run_backtest, run_origin, with_values
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
    the same origins."""
    rnnlab = mean_backtest([candidates[i].backtest for i in chosen])
    held_back = [origin.held_back for origin in rnnlab.origins]
    names = [str(name) for name in config.auto.classical]
    return {RNNLAB: rnnlab, **classical_backtests(config.data, names, held_back)}


def final_forecast(chosen: dict[int, DictConfig], config: RunConfig, members: tuple[str, ...],
                   output_dir: Path) -> tuple[Origin, list[Origin]]:  # fmt: skip
    """The chosen option's forecast of the test period, and rnnlab's runs (none when the
    option leaves rnnlab out: then nothing more trains)."""
    seeds = [config.seed + k for k in range(config.auto.seeds)]
    refit = {"data.train_through_val": True, "checkpoint.monitor": None}
    runs = []
    if RNNLAB in members:
        runs = [run_origin(with_values(cfg, refit), config.data.hold_back, seeds,
                           output_dir / f"final{i}") for i, cfg in chosen.items()]  # fmt: skip
    parts = {RNNLAB: mean_origin(runs)} if runs else {}
    classical = [m for m in members if m != RNNLAB]
    parts |= {name: backtest.origins[0] for name, backtest in classical_backtests(
        config.data, classical, [config.data.hold_back]).items()}  # fmt: skip
    return mean_origin([parts[m] for m in members]), runs


def auto_forecast(cfg: DictConfig, config: RunConfig, output_dir: Path) -> tuple[Origin, dict]:
    """-> (the final forecast of the test period, everything the report needs).

    rnnlab's forecast is the mean of its `auto.combine` best candidates, each refitted
    through the validation period with `auto.seeds` seeds: combining the best few is
    steadier than betting on the one a short backtest ranks first. With `auto.classical`,
    that forecast is one option among the classical models and their means
    (forecast/auto_choice.py), and the option of lowest backtest MASE is the forecast."""
    auto = config.auto
    configs = candidate_configs(cfg, [dict(c) for c in auto.candidates])
    candidates = search(config, configs, output_dir / "search")
    ranked = sorted(range(len(candidates)), key=lambda i: candidates[i].score)
    chosen = [i for i in ranked[: auto.combine] if not candidates[i].refused]
    scored = scored_options(member_backtests(config, candidates, chosen))
    pick = best_option(scored)
    members, backtest = scored[pick]
    final, runs = final_forecast({i: configs[i] for i in chosen}, config, members, output_dir)
    residuals = [origin.residuals for origin in backtest.origins]
    summary = {
        "chosen": chosen,
        "choice": {"option": pick, "members": list(members)},
        "options": {
            name: {
                "members": list(m),
                "backtest_mase": b.mean("mase"),
                "per_origin": [o.mase for o in b.origins],
            }
            for name, (m, b) in scored.items()
        },  # fmt: skip
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
            statistics.fmean(abs(f - t) for f, t in zip(forecast, final.truth, strict=True))
            / final.scale
            for run in runs
            for forecast in run.forecasts
        ],
        "combined_backtest_mase": backtest.mean("mase"),
        "intervals": interval_columns(final.forecast, residuals, auto.alpha),
        "config": plain(config),
    }
    if not math.isfinite(summary["intervals"]["halfwidth"]):
        summary["intervals"]["note"] = "too few backtest errors for this level: widen alpha"
    return final, summary
