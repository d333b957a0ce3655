"""Reading the date column of a series, so repeated or unordered rows can be refused.

Every row must use one of these forms: a number (a year, or any index), a year and month
(1990-01), a quarter (1990-Q1, 1990Q1), or an ISO 8601 date or time (1990-01-31,
1990-01-31 10:00). Anything else is named by its line, rather than guessed at: a lenient
parser reads "t1" as the year 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

FORMS = "numbers, year-months (1990-01), quarters (1990-Q1) or ISO dates (1990-01-31)"
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER = re.compile(r"^(\d{4})[- ]?[Qq]([1-4])$")


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


class YearMonth(NamedTuple):
    year: int
    month: int


class Quarter(NamedTuple):
    year: int
    quarter: int


def _year_month(text: str) -> YearMonth:
    found = YEAR_MONTH.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError(text)
    return YearMonth(int(found.group(1)), int(found.group(2)))


def _quarter(text: str) -> Quarter:
    found = QUARTER.match(text)
    if not found:
        raise ValueError(text)
    return Quarter(int(found.group(1)), int(found.group(2)))


def season_phase(first_date: Any, season: int) -> int:
    """Where in its season the first row falls (0 = January, or the first quarter, for a
    monthly or quarterly series; the weekday or hour for daily or hourly ones), so calendar
    features follow the calendar; 0 when the dates do not say."""
    if isinstance(first_date, YearMonth) and season in (12, 4):
        return (first_date.month - 1) // (12 // season)
    if isinstance(first_date, Quarter) and season == 4:
        return first_date.quarter - 1
    if isinstance(first_date, datetime):
        by_season = {12: first_date.month - 1, 4: (first_date.month - 1) // 3,
                     7: first_date.weekday(), 24: first_date.hour}  # fmt: skip
        return by_season.get(season, 0)
    return 0


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)


PARSERS: tuple[Callable[[str], Any], ...] = (_number, _year_month, _quarter, _iso)


def _parse_all(parser: Callable[[str], Any], texts: Sequence[str]) -> tuple[list[Any], int]:
    """-> (keys, index of the first text the parser refuses, or -1 when all parse)."""
    keys = []
    for index, text in enumerate(texts):
        try:
            keys.append(parser(text.strip()))
        except ValueError:
            return keys, index
    return keys, -1


def date_keys(texts: Sequence[str]) -> tuple[list[Any] | None, int]:
    """-> (sortable keys of the first form every text has, -1), or (None, the index of the
    first text the closest form refuses)."""
    furthest = 0
    for parser in PARSERS:
        keys, failed = _parse_all(parser, texts)
        if failed == -1:
            return keys, -1
        furthest = max(furthest, failed)
    return None, furthest


def first_disorder(keys: Sequence[Any]) -> tuple[int, int, str] | None:
    """-> (index, earlier index, 'repeats' or 'goes back before') for the first row whose key
    repeats an earlier one or is older than the row before it; None when strictly increasing."""
    seen: dict[Any, int] = {}
    for index, key in enumerate(keys):
        if key in seen:
            return index, seen[key], "repeats"
        if index and key < keys[index - 1]:
            return index, index - 1, "goes back before"
        seen[key] = index
    return None
