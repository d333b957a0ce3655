"""Small checks every group's checks are made of: each raises a ConfigError naming the key,
the value and what is allowed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rnnlab.errors import ConfigError


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
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
    require(key, value, lambda v: is_int(v) and v >= minimum, f"an integer >= {minimum}")


def require_positive(key: str, value: Any) -> None:
    require(key, value, lambda v: is_number(v) and v > 0, "a number > 0")


def require_non_negative(key: str, value: Any) -> None:
    require(key, value, lambda v: is_number(v) and v >= 0, "a number >= 0")


def require_fraction(key: str, value: Any) -> None:
    """A probability-like value in [0, 1): dropout, momentum."""
    require(key, value, lambda v: is_number(v) and 0 <= v < 1, "a number in [0, 1)")


def require_choice_fixed(key: str, value: Any, fixed: Any, group: str) -> None:
    """`model.kind`, `data.name`, `optimizer.name` follow from the group file picked."""
    fixed = str(fixed)
    if str(value) != fixed:
        raise ConfigError(
            key, str(value), f"{fixed!r}, as set by {group}=...; pick another {group}= file instead"
        )
