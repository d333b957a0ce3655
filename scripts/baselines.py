"""Classical baselines for a forecasting data set, on the same split the models are tested on.

Forecasts the last `test_periods` values (passengers: 1960) from everything before them and
prints MAE, RMSE, MAPE and MASE in the series' units. Needs statsmodels:
`pip install -e ".[baselines]"`.
Usage: python scripts/baselines.py [--data passengers|csv] [--season N] [data.key=value ...]
   e.g. python scripts/baselines.py --data csv data.path=sales.csv data.target=units data.season=7
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hydra import compose, initialize_config_dir

from rnnlab.data.registry import build_datamodule
from rnnlab.data.series import SeriesDataModule
from rnnlab.errors import BadInput
from rnnlab.forecast.accuracy import forecast_errors, seasonal_naive_scale
from rnnlab_benchmarks.forecast.baselines import baseline_forecasts

CONF = Path(__file__).resolve().parents[1] / "conf"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="passengers")
    parser.add_argument("--season", type=int, help="default: the data's own data.season")
    parser.add_argument("--json", type=Path, help="also write the table here")
    parser.add_argument("overrides", nargs="*", help="data.key=value, as for train.py")
    args = parser.parse_args()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        cfg = compose("train", overrides=[f"data={args.data}", *args.overrides])
    try:
        data = build_datamodule(cfg.data)
    except BadInput as error:
        print(f"baselines: {error.label}: {error}", file=sys.stderr)
        return 2
    if not isinstance(data, SeriesDataModule):
        print(f"baselines: data={args.data} is not a forecasting series", file=sys.stderr)
        return 2
    values, horizon = data.values, len(data.values) - data.test_start
    season = args.season or data.config.season
    scale = seasonal_naive_scale(values[: data.test_start], season)
    truth = values[data.test_start :].double()
    forecasts = baseline_forecasts(values, horizon, season)
    rows = {name: forecast_errors(forecast, truth, scale) for name, forecast in forecasts.items()}
    print(f"Forecast of the last {horizon} values ({data.labels[data.test_start]} to "
          f"{data.labels[-1]}) from the {data.test_start} before them")  # fmt: skip
    print("| model | MAE | RMSE | MAPE % | MASE |\n|---|---|---|---|---|")
    for name, errors in rows.items():
        print(f"| {name} | {errors['mae']:.2f} | {errors['rmse']:.2f} | {errors['mape']:.2f} | "
              f"{errors['mase']:.3f} |")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
