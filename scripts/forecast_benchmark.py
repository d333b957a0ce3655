"""The forecasting benchmark: real monthly and quarterly series shipped inside pmdarima,
sktime and statsmodels (`pip install -e ".[benchmark]"`), each forecast over its last year
by rnnlab's default (`data=csv` with path, target and season only), rnnlab's automatic
selection (`experiment=auto_forecast`), seasonal naive, ETS and ARIMA; MAE and MASE per
series, the mean MASE. Writes its section of docs/RESULTS.md and a JSON of every forecast.

Usage: python scripts/forecast_benchmark.py [--stage test|validation] [--seeds 3] [--no-auto]
                                           [--series airline,austres] [--quick]
--stage validation scores the two years before each test year instead (how the defaults
and the candidates of the automatic selection were chosen); it never writes docs, nor does a
run on some --series only, or --quick (a few training steps: checks the machinery only).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from rnnlab.forecast.benchmark import RnnlabMethod, run_benchmark, save
from rnnlab.forecast.benchmark_report import benchmark_markdown
from rnnlab.forecast.benchmark_series import SERIES
from rnnlab.report import with_block

ROOT = Path(__file__).resolve().parents[1]
DEFAULT, AUTO = "rnnlab default", "rnnlab auto_forecast"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", choices=("test", "validation"), default="test")
    parser.add_argument("--seeds", type=int, default=3, help="runs of the default per series")
    parser.add_argument("--no-auto", action="store_true", help="leave the automatic selection out")
    parser.add_argument("--series", help="a comma list of series names (default: all)")
    parser.add_argument("--quick", action="store_true", help="20 training steps, no auto")
    parser.add_argument("--runs", type=Path, default=ROOT / "outputs" / "forecast_benchmark")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "RESULTS.md")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # statsmodels' and pmdarima's convergence chatter
    names = args.series.split(",") if args.series else [s.name for s in SERIES]
    unknown = set(names) - {s.name for s in SERIES}
    if unknown:
        print(f"forecast_benchmark: no series {sorted(unknown)}", file=sys.stderr)
        return 2
    series = [s for s in SERIES if s.name in names]
    quick = ("trainer.max_steps=20",) if args.quick else ()
    methods = [RnnlabMethod(DEFAULT, quick, args.seeds)]
    if not (args.no_auto or args.quick):
        methods.append(RnnlabMethod(AUTO, ("experiment=auto_forecast",), 1))
    started = time.perf_counter()
    results = run_benchmark(args.stage, methods, args.runs / args.stage, series)
    minutes = (time.perf_counter() - started) / 60
    save(results, args.runs / f"{args.stage}.json")
    command = " ".join(["python scripts/forecast_benchmark.py", *sys.argv[1:]])
    table = benchmark_markdown(results, DEFAULT, command, minutes)
    print(table)
    if args.stage == "test" and not args.quick and len(series) == len(SERIES):
        section = (
            "## Forecasting benchmark: real series, each forecast over its last year\n\n" + table
        )
        text = args.docs.read_text() if args.docs.exists() else "# Results\n"
        args.docs.write_text(with_block(text, "forecast-benchmark", section))
        print(f"wrote its section of {args.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
