"""One error type for bad configuration, and the small checks that raise it.

Every message names the config key, the value given and what is allowed, so a user
can fix the command line without reading a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class ConfigError(ValueError):
    """A config value is out of range or of the wrong kind."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}={value!r} is not allowed: {allowed}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def require(key: str, value: Any, ok: Callable[[Any], bool], allowed: str) -> None:
    """Raise ConfigError unless ok(value); a failing predicate (TypeError) counts as not ok."""
    try:
        passed = bool(ok(value))
    except (TypeError, ValueError):
        passed = False
    if not passed:
        raise ConfigError(key, value, allowed)


def require_int(key: str, value: Any, minimum: int) -> None:
    require(key, value, lambda v: _is_int(v) and v >= minimum, f"an integer >= {minimum}")


def require_positive(key: str, value: Any) -> None:
    require(key, value, lambda v: _is_number(v) and v > 0, "a number > 0")


def require_non_negative(key: str, value: Any) -> None:
    require(key, value, lambda v: _is_number(v) and v >= 0, "a number >= 0")


def require_fraction(key: str, value: Any) -> None:
    """A probability-like value in [0, 1): dropout, momentum."""
    require(key, value, lambda v: _is_number(v) and 0 <= v < 1, "a number in [0, 1)")


def require_bool(key: str, value: Any) -> None:
    require(key, value, lambda v: isinstance(v, bool), "true or false")


def require_choice(key: str, value: Any, choices: Iterable[str]) -> None:
    options = sorted(choices)
    require(key, value, lambda v: v in options, "one of " + ", ".join(options))
