"""Searches above one run: rolling-origin backtests (a configuration refitted at several
origins) and automatic forecasting, which chooses among rnnlab's candidates and classical
models by those backtests. Each calls rnnlab.run.train many times; nothing below imports this."""
