"""rnnlab measured: the speed benchmarks against the seeds' plain loop (speed/) and the
forecasting benchmarks against classical methods (forecast/), behind scripts/benchmark.py,
scripts/forecast_benchmark.py and scripts/results.py. Nothing in `rnnlab` imports this
package: a run never pays for it."""
