"""summary.csv and summary.md for a multirun folder: one row per job, best first."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rnnlab.report import write_text_atomically
from rnnlab.sweep.over_seeds import over_seeds
from rnnlab.sweep.results import JobResult, rank, read_sweep, swept_keys


def metric_columns(results: list[JobResult], metric: str) -> list[str]:
    """The optimized metric first, then every other metric any job reported, sorted."""
    names = sorted({name for result in results for name in result.metrics} - {metric})
    return [metric, *names]


def summary_csv(results: list[JobResult], metric: str) -> str:
    """One row per job; each swept key also gets its own column, ready for a dataframe."""
    metrics = metric_columns(results, metric)
    axes = swept_keys(results)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "job", "status", "overrides", *axes, *metrics, "num_parameters",
                     "wall_time_s", "error", "folder"])  # fmt: skip
    for position, result in enumerate(results, start=1):
        settings = [result.override_values().get(key, "") for key in axes]
        values = [result.metrics.get(name, "") for name in metrics]
        writer.writerow([position, result.number, result.status, " ".join(result.overrides),
                         *settings, *values, result.num_parameters or "",
                         result.wall_time_s or "", result.error, result.folder.name])  # fmt: skip
    return out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value).replace("|", "\\|")


def summary_markdown(results: list[JobResult], metric: str, mode: str) -> str:
    tests = sorted({n for r in results for n in r.metrics if n.startswith("test/")} - {metric})
    columns = [metric, *tests]
    failed = sum(result.failed for result in results)
    axes = swept_keys(results)
    shared = sorted({o for r in results for o in r.overrides if o.split("=")[0] not in axes})
    lines = [
        f"# Sweep summary: {len(results)} jobs, {failed} failed, sorted by {metric} ({mode})",
        "",
        f"Every job: {_cell(' '.join(shared)) or '(no other overrides)'}",
        "",
        "| rank | job | " + " | ".join([*axes, "status", *columns]) + " | params | time (s) |",
        "|" + "---|" * (len(axes) + len(columns) + 5),
    ]
    for position, result in enumerate(results, start=1):
        status = f"{result.status}: {result.error}" if result.error else result.status
        settings = [_cell(result.override_values().get(key)) for key in axes]
        values = [_cell(result.metrics.get(name)) for name in columns]
        cells = [str(position), str(result.number), *settings, _cell(status[:200]), *values,
                 _cell(result.num_parameters), _cell(result.wall_time_s)]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines + seeds_markdown(results, metric, mode)) + "\n"


def seeds_markdown(results: list[JobResult], metric: str, mode: str) -> list[str]:
    """A table of settings ranked by their mean over seeds, when `seed` is one of the axes."""
    settings = over_seeds(results, metric, mode)
    if not settings:
        return []
    axes = list(settings[0].setting)
    lines = ["", f"## By setting, over seeds: mean ± sd of {metric} ({mode})", "",
             "| rank | " + " | ".join([*axes, f"{metric} mean", "sd", "seeds finished"]) + " |",
             "|" + "---|" * (len(axes) + 4)]  # fmt: skip
    for position, group in enumerate(settings, start=1):
        cells = [str(position), *(_cell(group.setting[axis]) for axis in axes),
                 _cell(group.mean), _cell(group.deviation),
                 f"{len(group.values)}/{group.seeds}"]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def write_summaries(sweep_dir: Path, metric: str, mode: str) -> list[JobResult]:
    """Read every job under sweep_dir, write summary.csv and summary.md, return the ranking."""
    results = rank(read_sweep(sweep_dir), metric, mode)
    write_text_atomically(sweep_dir / "summary.csv", summary_csv(results, metric))
    write_text_atomically(sweep_dir / "summary.md", summary_markdown(results, metric, mode))
    return results
