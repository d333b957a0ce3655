"""How `python train.py` ends: bad input as one line and exit 2, an interrupted run with the
command that resumes it, a diverged run with its step; anything else as a traceback.

Hydra refuses a mistyped key or a wrong type while composing, before rnnlab runs, and would
print its own multi-line message and exit 1. HYDRA_FULL_ERROR=1 makes it raise instead, so
those refusals reach the same one-line message as rnnlab's own checks.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from rnnlab.config.compose_errors import as_config_error
from rnnlab.errors import BadInput, DivergenceError, RunInterrupted

BAD_INPUT_EXIT = 2
FAILED_EXIT = 1


def say(message: str) -> None:
    print(f"rnnlab: {message}", file=sys.stderr, flush=True)


def run_command_line(main: Callable[[], Any]) -> None:
    """Call a @hydra.main function and turn the ways it can end into messages and exit codes."""
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        main()
    except KeyboardInterrupt:
        say("interrupted; no checkpoint was saved for the step in progress")
        sys.exit(128 + signal.SIGINT)
    except Exception as error:
        sys.exit(report_ending(error))


def report_ending(error: Exception) -> int:
    """Print what `error` means for the user; -> the exit code. Re-raises what is a bug."""
    if isinstance(error, RunInterrupted):
        say(f"interrupted: {error}")
        if error.hint:
            say(f"resume with: {error.hint}")
        return error.exit_code
    if isinstance(error, DivergenceError):
        say(f"{error} (recorded in failure.json)")
        return FAILED_EXIT
    bad = error if isinstance(error, BadInput) else as_config_error(error)
    if bad is None:
        raise error
    say(f"{bad.label}: {bad}")
    return BAD_INPUT_EXIT
