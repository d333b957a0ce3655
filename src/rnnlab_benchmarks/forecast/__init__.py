"""rnnlab's forecasts judged against classical methods on real series: the two benchmark
sets, the 158-series panel, automatic forecasting over rolling origins, and the classical
references (statsmodels, pmdarima, statsforecast)."""
