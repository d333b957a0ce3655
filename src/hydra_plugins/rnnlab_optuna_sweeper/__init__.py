"""rnnlab's Hydra sweeper on current Optuna (>= 4): `hydra/sweeper=optuna`.

Hydra finds it by scanning the `hydra_plugins` namespace package. It keeps the surface of
Hydra's own Optuna sweeper (whose newest release needs optuna < 3) and adds what that one
cannot do: pruning (each job reports to its trial through the study's storage), failed jobs
recorded as FAIL, heartbeats that retry a dead worker's trial, and a study that continues up
to `n_trials` in total when the same command runs again. Modules whose name starts with "_"
are not imported by Hydra's scan, so optuna loads only when a search runs.
"""
