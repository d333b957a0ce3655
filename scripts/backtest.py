"""A rolling-origin backtest of one configuration: refit at k origins, s periods apart, each
forecasting the horizon after its origin; a table of errors per origin and their mean, and a
figure. Nothing after an origin reaches its training, scaling or test (data.hold_back).

Usage: python scripts/backtest.py [--origins 4] [--step S] [--seeds 1] [--out DIR]
                                  [--inside-training] <train.py overrides>
   e.g. python scripts/backtest.py --origins 4 data=csv data.path=sales.csv \\
            data.target=units data.season=12
--step defaults to the horizon; --inside-training keeps every origin before the test period.
With several series in one file (data.id_column, or a list of data.target columns), one model
forecasts them all at each origin, and the table and figure have each series' errors.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from hydra import compose, initialize_config_dir

import rnnlab.config  # noqa: F401 - registers the config schemas with Hydra
from rnnlab.backtests.backtest import run_backtest
from rnnlab.backtests.backtest_report import backtest_figure, backtest_markdown, write_backtest
from rnnlab.config.compose_errors import as_config_error
from rnnlab.config.convert import typed_config
from rnnlab.data.registry import build_datamodule
from rnnlab.data.series import SeriesDataModule
from rnnlab.data.several_series import SeveralSeriesDataModule
from rnnlab.errors import BadInput

CONF = Path(__file__).resolve().parents[1] / "conf"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--origins", type=int, default=4)
    parser.add_argument("--step", type=int, help="periods between origins (default: horizon)")
    parser.add_argument("--seeds", type=int, default=1, help="runs per origin, averaged")
    parser.add_argument("--inside-training", action="store_true",
                        help="the latest origin ends where the test period starts")  # fmt: skip
    parser.add_argument("--out", type=Path, help="default: outputs/backtests/<date-time>")
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args()
    try:
        with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
            cfg = compose("train", overrides=args.overrides)
        config = typed_config(cfg)
        data = build_datamodule(config.data)
    except Exception as error:  # noqa: BLE001 - Hydra's composition errors, translated
        bad = error if isinstance(error, BadInput) else as_config_error(error)
        if bad is None:
            raise
        print(f"backtest: {bad.label}: {bad}", file=sys.stderr)
        return 2
    several = isinstance(data, SeveralSeriesDataModule)
    if not (several or isinstance(data, SeriesDataModule)) or args.origins < 1:
        print("backtest: needs forecasting series (data=csv or passengers) and --origins >= 1",
              file=sys.stderr)  # fmt: skip
        return 2
    step = args.step or config.data.horizon
    start = config.data.test_periods if args.inside_training else 0
    out = args.out or Path("outputs/backtests") / datetime.now().strftime("%Y-%m-%d/%H-%M-%S")
    backtest = run_backtest(cfg, args.origins, step, out, start=start, seeds=args.seeds)
    title = f"Backtest: {args.origins} origins, {step} periods apart, horizon {config.data.horizon}"
    write_backtest(backtest, out, title)
    members = data.members if several else {"": data}
    series = {name: (m.labels, m.values.tolist()) for name, m in members.items()}
    backtest_figure(backtest, series, out / "backtest.png")
    print(backtest_markdown(backtest, title))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
