"""Sweeps: one job's life inside a multirun, and the summary a multirun leaves behind.

Kept free of Lightning imports: Hydra loads the summary callback before any job starts.
"""
