"""Rebuild a multirun's summary.csv and summary.md, and draw summary.png.

Usage: python scripts/sweep_report.py <multirun folder> [--metric val/loss] [--mode min]
Metric and mode default to the jobs' own `optimized_metric` and `optimized_mode`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from rnnlab.sweep.plot import plot_sweep
from rnnlab.sweep.summary import write_summaries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", type=Path)
    parser.add_argument("--metric", help="metric to sort and plot by (default: optimized_metric)")
    parser.add_argument("--mode", choices=("min", "max"), help="default: optimized_mode")
    args = parser.parse_args()
    job_configs = sorted(args.sweep_dir.glob("*/.hydra/config.yaml"))
    if not job_configs:
        print(f"sweep_report: no job folders (*/.hydra/config.yaml) under {args.sweep_dir}: "
              "not a multirun folder", file=sys.stderr)  # fmt: skip
        return 2
    config = yaml.safe_load(job_configs[0].read_text())
    metric = args.metric or config.get("optimized_metric", "val/loss")
    mode = args.mode or config.get("optimized_mode", "min")
    results = write_summaries(args.sweep_dir, metric, mode)
    png = plot_sweep(results, metric, args.sweep_dir / "summary.png")
    failed = sum(result.status != "ok" for result in results)
    print(f"{len(results)} jobs ({failed} failed): {args.sweep_dir / 'summary.md'}, {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
