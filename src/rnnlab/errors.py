"""The errors that end a run: bad input (one line and exit 2, before training), a run that
diverged, and a run interrupted by a signal (with a checkpoint to resume from).

Bad input:

Every message says what is wrong and where: a config key with its value and what is allowed,
or a file with its line and column, so a user can fix the command line or the file without
reading a traceback.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any


class BadInput(ValueError):
    """A config value or a data file the run refuses; `label` heads the one-line message."""

    label = "bad input"


class ConfigError(BadInput):
    """A config value is out of range, of the wrong kind, or not a key at all."""

    label = "bad config"

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}={value!r} is not allowed: {allowed}")


class DataError(BadInput):
    """A data file that cannot be read as asked: names the file, and the line and column."""

    label = "bad data"

    def __init__(
        self, file: str | Path, problem: str, line: int | None = None, column: str | None = None
    ) -> None:
        self.file, self.line, self.column, self.problem = str(file), line, column, problem
        where = [Path(file).name]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem} ({file})")


class DivergenceError(RuntimeError):
    """Training blew up at `step`: a non-finite loss or gradient norm, or a runaway loss."""

    def __init__(self, message: str, step: int, epoch: int) -> None:
        super().__init__(message)
        self.step, self.epoch = step, epoch

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries (joblib, spawn)
        return (type(self), (str(self), self.step, self.epoch))


class RunInterrupted(Exception):
    """Training stopped on a signal; `checkpoint` holds everything needed to continue."""

    def __init__(self, signum: int, checkpoint: str, epoch: int, step: int, hint: str = "") -> None:
        self.signum, self.checkpoint, self.epoch, self.step = signum, checkpoint, epoch, step
        self.hint = hint  # the command that resumes, filled in by whoever knows the command line
        name = signal.Signals(signum).name
        super().__init__(f"{name} at epoch {epoch}, step {step}; checkpoint saved: {checkpoint}")

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries (joblib)
        return (type(self), (self.signum, self.checkpoint, self.epoch, self.step, self.hint))

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention for "ended by this signal"
