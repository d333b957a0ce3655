"""Lightning callbacks of a run: divergence caught at its step, a checkpoint on SIGINT/SIGTERM,
and what a checkpoint needs to be resumed exactly."""

from rnnlab.callbacks.divergence import DivergenceMonitor
from rnnlab.callbacks.interrupt import GracefulInterrupt
from rnnlab.callbacks.resume_state import ResumeState

__all__ = [
    "DivergenceMonitor",
    "GracefulInterrupt",
    "ResumeState",
]
