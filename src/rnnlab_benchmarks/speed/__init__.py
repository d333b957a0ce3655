"""Measuring where rnnlab's time goes against the seeds' plain loop (scripts/benchmark.py)."""
