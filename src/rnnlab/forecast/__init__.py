"""What a forecasting run's outputs are made of: error measures in the series' units
(accuracy), the test period's forecast file (forecast_csv), several series' metrics
(several), conformal intervals, forecasts past the end (future) and k steps ahead (kstep),
and statsforecast's classical models (yardsticks). Searches over runs live in
rnnlab/backtests/, the benchmarks in rnnlab_benchmarks/."""
