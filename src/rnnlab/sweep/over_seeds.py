"""Settings compared over seeds: a sweep that lists `seed` among its axes (seed=0,1,2) is
read as repeats of each setting, and a setting is ranked by its mean, not its luckiest seed."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from rnnlab.sweep.results import JobResult, swept_keys

SEED_AXIS = "seed"


@dataclass
class SettingOverSeeds:
    setting: dict[str, str]  # the non-seed axes' values
    values: list[float]  # the metric of each finished seed
    seeds: int  # jobs of this setting, finished or not

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values) if self.values else math.nan

    @property
    def deviation(self) -> float:
        return statistics.stdev(self.values) if len(self.values) > 1 else 0.0


def over_seeds(results: list[JobResult], metric: str, mode: str) -> list[SettingOverSeeds]:
    """One entry per setting of the other axes, best mean first; [] unless `seed` is swept.

    A setting whose seeds all failed ranks last; failed seeds do not count in the mean, and
    the entry says how many of its seeds finished.
    """
    axes = swept_keys(results)
    if SEED_AXIS not in axes:
        return []
    others = [axis for axis in axes if axis != SEED_AXIS]
    groups: dict[tuple[str, ...], SettingOverSeeds] = {}
    for result in results:
        values = result.override_values()
        setting = {axis: values.get(axis, "") for axis in others}
        key = tuple(setting.values())
        group = groups.setdefault(key, SettingOverSeeds(setting, [], 0))
        group.seeds += 1
        value = result.metrics.get(metric, math.nan)
        if result.status == "ok" and math.isfinite(value):
            group.values.append(value)
    sign = 1.0 if mode == "min" else -1.0
    return sorted(groups.values(), key=lambda g: (not g.values, sign * g.mean if g.values else 0.0))
