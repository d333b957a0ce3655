"""Lightning callbacks of a run: divergence caught at its step, a checkpoint on SIGINT/SIGTERM,
what a checkpoint needs to be resumed exactly, and spawned ranks that exit cleanly."""

from rnnlab.callbacks.divergence import DivergenceMonitor
from rnnlab.callbacks.interrupt import GracefulInterrupt
from rnnlab.callbacks.resume_state import ResumeState
from rnnlab.callbacks.spawned_ranks import CloseSpawnedRanks

__all__ = [
    "CloseSpawnedRanks",
    "DivergenceMonitor",
    "GracefulInterrupt",
    "ResumeState",
]
