"""Series read from a CSV file and checked row by row, for data=csv and passengers.

Every refusal names the file, the line and the column: a missing or misnamed column (with
the closest names), an empty file, a value that is not a finite number, a date that is not
one, repeats or goes back in time.
"""

from __future__ import annotations

import csv
import difflib
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

import torch

from rnnlab.data.dates import FORMS, date_keys, first_disorder
from rnnlab.errors import ConfigError, DataError


@dataclass(frozen=True)
class SeriesValues:
    """A series as read: values (length,) in its own units, each with its date and file line;
    `extra` (length, k) holds the covariate columns named `extra_names`, `first_date` the
    first row's date as read (a number, (year, month), (year, quarter) or a datetime)."""

    labels: list[str]
    values: torch.Tensor
    file: str
    column: str
    lines: list[int]
    extra: torch.Tensor | None = None
    extra_names: tuple[str, ...] = ()
    first_date: Any = None

    def where(self, index: int) -> str:
        return f"line {self.lines[index]} ({self.labels[index]})"

    def first(self, count: int) -> SeriesValues:
        """The series as if it ended after `count` values (a backtest's earlier origin)."""
        extra = None if self.extra is None else self.extra[:count]
        return replace(self, labels=self.labels[:count], values=self.values[:count],
                       lines=self.lines[:count], extra=extra)  # fmt: skip


def closest_columns(name: str, columns: list[str]) -> str:
    matches = difflib.get_close_matches(name, columns, n=3, cutoff=0.5)
    matches += [c for c in columns if c.lower() == name.lower() and c not in matches]
    listing = f"the columns of the file are {', '.join(columns)}"
    return f"did you mean {' or '.join(matches)}? ({listing})" if matches else listing


def sniff_dialect(stream: TextIO) -> type[csv.Dialect] | csv.Dialect:
    """Commas, semicolons (a decimal comma's CSV) or tabs, as the file's start shows."""
    sample = stream.read(8192)
    stream.seek(0)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:  # one column, or nothing to tell by: the usual commas
        return csv.excel


def read_rows(file: Path, key: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """-> (header, [(line number, row)]); blank lines are rows too, so they get named."""
    if not file.is_file():
        raise ConfigError(key, str(file), "an existing CSV file")
    try:
        with file.open(newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream, dialect=sniff_dialect(stream))
            header = list(reader.fieldnames or [])
            rows = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as error:
        raise DataError(file, f"is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise DataError(file, f"is not a readable CSV file: {error}") from None
    if not header:
        raise DataError(file, "the file is empty: a header line, then one row per period")
    if not rows:
        raise DataError(file, "has a header but no rows", line=2)
    return header, rows


def parse_value(text: str | None, file: Path, line: int, column: str) -> float:
    if text is None or not text.strip():
        raise DataError(file, "is empty: every row needs a value", line, column)
    try:
        value = float(text)
    except ValueError:
        raise DataError(file, f"{text.strip()!r} is not a number", line, column) from None
    if not math.isfinite(value):
        raise DataError(file, f"{text.strip()!r} is not a finite number", line, column)
    return value


def check_dates(dates: list[str], lines: list[int], file: Path, column: str) -> Any:
    """Refuses empty, unreadable, repeated or unordered dates; -> the first date's key."""
    for text, line in zip(dates, lines, strict=True):
        if not text.strip():
            raise DataError(file, "is empty: every row needs its date", line, column)
    keys, failed = date_keys(dates)
    if keys is None:
        raise DataError(file, f"{dates[failed]!r} is not a date: the column holds {FORMS}; "
                              "or set data.date_column=null to take the rows in file order",
                        lines[failed], column)  # fmt: skip
    disorder = first_disorder(keys)
    if disorder is not None:
        index, earlier, how = disorder
        problem = (f"{dates[index]!r} {how} {dates[earlier]!r} on line {lines[earlier]}; "
                   "each date once, oldest first")  # fmt: skip
        raise DataError(file, problem, lines[index], column)
    return keys[0]


def check_columns(file: Path, header: list[str], named: list[tuple[str, str | None]]) -> None:
    for key, column in named:
        if column is not None and column not in header:
            raise ConfigError(key, column, f"a column of {file.name}: "
                                           f"{closest_columns(column, header)}")  # fmt: skip


def series_from_rows(
    file: Path,
    rows: list[tuple[int, dict[str, str]]],
    target: str,
    date_column: str | None,
    covariates: Sequence[str] = (),
) -> SeriesValues:
    """The `target` column of these rows (and numeric `covariates`), checked value by value,
    dates checked in order (file order when date_column is None)."""
    lines = [line for line, _ in rows]
    values = [parse_value(row.get(target), file, line, target) for line, row in rows]
    extra = [[parse_value(row.get(column), file, line, column) for column in covariates]
             for line, row in rows]  # fmt: skip
    first_date = None
    if date_column is None:
        dates = [f"row {index + 1}" for index in range(len(rows))]
    else:
        dates = [row.get(date_column) or "" for _, row in rows]
        first_date = check_dates(dates, lines, file, date_column)
    table = torch.tensor(extra).view(len(rows), len(covariates)) if covariates else None
    return SeriesValues(dates, torch.tensor(values), str(file), target, lines, table,
                        tuple(covariates), first_date)  # fmt: skip


def read_series_csv(
    path: str | Path, target: str, date_column: str | None, covariates: Sequence[str] = ()
) -> SeriesValues:
    """The `target` column of `path` (and numeric `covariates` columns), rows in date order
    (checked), or in file order when date_column is None."""
    file = Path(path).expanduser()
    header, rows = read_rows(file, "data.path")
    named = [("data.target", target), ("data.date_column", date_column)]
    named += [(f"data.covariates[{i}]", column) for i, column in enumerate(covariates)]
    check_columns(file, header, named)
    return series_from_rows(file, rows, target, date_column, covariates)


def read_several_series(
    path: str | Path,
    targets: Sequence[str],
    date_column: str | None,
    covariates: Sequence[str] = (),
    id_column: str | None = None,
) -> dict[str, SeriesValues]:
    """Several series of one file, by name: long format (`id_column` names each row's series,
    its rows in date order, `targets` one value column) or one column per series (`targets`).
    Each series is checked as a file of its own would be."""
    file = Path(path).expanduser()
    header, rows = read_rows(file, "data.path")
    named = [(f"data.target[{i}]", column) for i, column in enumerate(targets)]
    named += [("data.date_column", date_column), ("data.id_column", id_column)]
    named += [(f"data.covariates[{i}]", column) for i, column in enumerate(covariates)]
    check_columns(file, header, named)
    if id_column is None:
        return {t: series_from_rows(file, rows, t, date_column, covariates) for t in targets}
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:  # series in the order they first appear
        name = (row.get(id_column) or "").strip()
        if not name:
            raise DataError(file, "is empty: every row needs its series' name", line, id_column)
        groups.setdefault(name, []).append((line, row))
    (target,) = targets
    several = {}
    for name, group in groups.items():
        with naming_series(name):
            several[name] = series_from_rows(file, group, target, date_column, covariates)
    return several


@contextmanager
def naming_series(name: str) -> Iterator[None]:
    """A refusal about one series of a long-format file names the series (its line alone
    does not say which of the file's series broke a rule of its own)."""
    try:
        yield
    except DataError as error:
        raise DataError(error.file, f"series {name!r}: {error.problem}", error.line,
                        error.column) from None  # fmt: skip
    except ConfigError as error:
        raise ConfigError(error.key, error.value, f"{error.allowed} (series {name!r})") from None
