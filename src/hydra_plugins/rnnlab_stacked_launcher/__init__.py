"""rnnlab's Hydra launcher for sweeps of many small models: `hydra/launcher=stacked`.

Jobs of one launch (the basic sweeper's grid, or an Optuna batch of `n_jobs` trials) whose
shapes agree train together as one stacked model; every other job runs as Hydra's basic
launcher runs it. Modules whose name starts with "_" are not imported by Hydra's plugin
scan, so torch and Lightning load only when a sweep launches.
"""
