"""The forecasting benchmark's series: real monthly and quarterly series that pmdarima,
sktime and statsmodels ship inside their wheels (nothing is downloaded), written as CSV files
that `data=csv` reads as any user's file would be read.

Install with `pip install -e ".[benchmark]"`. Each series is forecast over its last year
(12 months or 4 quarters) from everything before it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Rows = list[tuple[str, float]]  # (date label, value), oldest first


def months(first_year: int, first_month: int, count: int) -> list[str]:
    start = first_year * 12 + first_month - 1
    return [f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}" for i in range(count)]


def quarters(first_year: int, first_quarter: int, count: int) -> list[str]:
    start = first_year * 4 + first_quarter - 1
    return [f"{(start + i) // 4}-Q{(start + i) % 4 + 1}" for i in range(count)]


def _sktime_csv(relative: str) -> Path:
    import sktime

    return Path(sktime.__file__).parent / "datasets" / "data" / relative


def airline() -> Rows:
    from sktime.datasets import load_airline

    y = load_airline()
    return list(zip(months(1949, 1, len(y)), y.astype(float).tolist(), strict=True))


def seatbelts() -> Rows:
    with _sktime_csv("seatbelts/seatbelts.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    return [(row[""][:7], float(row["KSI"])) for row in rows]


def elnino() -> Rows:
    import statsmodels.api as sm

    table = sm.datasets.elnino.load_pandas().data  # a row per year, a column per month
    values = table.drop(columns="YEAR").to_numpy().flatten().tolist()
    return list(zip(months(int(table.YEAR.iloc[0]), 1, len(values)), values, strict=True))


def wineind() -> Rows:
    from pmdarima.datasets import load_wineind

    y = load_wineind()
    return list(zip(months(1980, 1, len(y)), [float(v) for v in y], strict=True))


def woolyrnq() -> Rows:
    from pmdarima.datasets import load_woolyrnq

    y = load_woolyrnq()
    return list(zip(quarters(1965, 1, len(y)), [float(v) for v in y], strict=True))


def ausbeer() -> Rows:
    from pmdarima.datasets import load_ausbeer

    y = [float(v) for v in load_ausbeer() if v == v]  # the last quarter is missing (NaN)
    return list(zip(quarters(1956, 1, len(y)), y, strict=True))


def austres() -> Rows:
    from pmdarima.datasets import load_austres

    y = load_austres()
    return list(zip(quarters(1971, 2, len(y)), [float(v) for v in y], strict=True))


def uschange() -> Rows:
    from sktime.datasets import load_uschange

    consumption, _ = load_uschange()
    return list(zip(quarters(1970, 1, len(consumption)), consumption.tolist(), strict=True))


def co2() -> Rows:
    """Mauna Loa CO2, weekly, as monthly means; the 5 months without a reading interpolated."""
    import statsmodels.api as sm

    monthly = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    return [(f"{t.year}-{t.month:02d}", float(v)) for t, v in monthly.items()]


def macro(column: str) -> Callable[[], Rows]:
    """One column of statsmodels' US macrodata (quarterly, 1959-2009, seasonally adjusted)."""

    def load() -> Rows:
        import statsmodels.api as sm

        values = sm.datasets.macrodata.load_pandas().data[column].astype(float).tolist()
        return list(zip(quarters(1959, 1, len(values)), values, strict=True))

    return load


@dataclass(frozen=True)
class BenchmarkSeries:
    name: str
    source: str
    season: int  # 12 monthly, 4 quarterly: also the test period, the last year
    shape: str  # what a reader should expect of it
    load: Callable[[], Rows]

    def write_csv(self, folder: Path) -> Path:
        """date,value rows in `folder`/<name>.csv, as a user would hand rnnlab their series."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}.csv"
        with path.open("w", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["date", "value"])
            writer.writerows((label, f"{value:.10g}") for label, value in self.load())
        return path


SERIES = (
    BenchmarkSeries("airline", "sktime Airline", 12, "trend, multiplicative season", airline),
    BenchmarkSeries("wineind", "pmdarima wineind", 12, "season, mild trend", wineind),
    BenchmarkSeries("seatbelts", "sktime seatbelts (KSI)", 12, "season, level shift", seatbelts),
    BenchmarkSeries("elnino", "statsmodels elnino", 12, "strong season, no trend", elnino),
    BenchmarkSeries("woolyrnq", "pmdarima woolyrnq", 4, "season, changing trend", woolyrnq),
    BenchmarkSeries("ausbeer", "pmdarima ausbeer", 4, "season, trend up then down", ausbeer),
    BenchmarkSeries("austres", "pmdarima austres", 4, "steady trend, no season", austres),
    BenchmarkSeries(
        "uschange", "sktime Uschange (consumption)", 4, "growth rates, noise", uschange
    ),
)

# A second set, fixed on 2026-11-28 after the defaults had been chosen (on SERIES' validation
# years) and SERIES' test years seen: every monthly or quarterly series in these wheels that
# rnnlab had not been run on, with at least 200 values, one of each near-duplicate pair
# (realgdp, not realcons or realdpi). Its test years were scored once, with nothing tuned after.
FRESH_SERIES = (
    BenchmarkSeries("co2", "statsmodels co2 (monthly means)", 12, "trend, steady season", co2),
    BenchmarkSeries("realgdp", "statsmodels macrodata", 4, "trend, adjusted", macro("realgdp")),
    BenchmarkSeries("realinv", "statsmodels macrodata", 4, "trend, cycles", macro("realinv")),
    BenchmarkSeries("cpi", "statsmodels macrodata", 4, "smooth trend", macro("cpi")),
    BenchmarkSeries("unemp", "statsmodels macrodata", 4, "cycles, no trend", macro("unemp")),
    BenchmarkSeries("m1", "statsmodels macrodata", 4, "trend, changing", macro("m1")),
)
