"""Hydra's sweep syntax as Optuna distributions, with the meanings Hydra's basic sweeper gives
it: `choice(a,b)` one of the values, `range(1,4)` 1, 2, 3 (stop excluded, as in Python),
`interval(a,b)` any float between, `tag(log, ...)` on a log scale. An override that sweeps
nothing (`trainer.max_epochs=5`) is a fixed setting of every trial."""

from __future__ import annotations

import re
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import IntervalSweep, Override, RangeSweep
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)

PLAIN = re.compile(r"^[\w./:-]+$")  # a string the override grammar reads back unquoted


def as_override_value(value: Any) -> str:
    """A sampled value written as the override grammar reads it back to the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if PLAIN.match(text) and text.lower() not in ("true", "false", "null"):
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def distribution(override: Override) -> BaseDistribution:
    key, value = override.get_key_element(), override.value()
    log = "log" in getattr(value, "tags", set())
    if override.is_choice_sweep():
        return CategoricalDistribution(list(override.sweep_iterator()))
    if override.is_range_sweep():
        assert isinstance(value, RangeSweep)
        values = list(override.sweep_iterator())
        if not values:
            raise ValueError(f"{key}: {override.input_line!r} holds no value")
        if all(isinstance(v, int) for v in (value.start, value.stop, value.step)):
            step = int(value.step)
            if log and step != 1:
                raise ValueError(f"{key}: a log-scale range needs step 1")
            return IntDistribution(values[0], values[-1], log=log, step=step)
        return FloatDistribution(values[0], values[-1], step=value.step)
    if override.is_interval_sweep():
        assert isinstance(value, IntervalSweep)
        return FloatDistribution(float(value.start), float(value.end), log=log)
    raise ValueError(f"{key}: {override.input_line!r} is not a search range Optuna can sample")


def search_space(
    params: dict[str, str], arguments: list[str]
) -> tuple[dict[str, BaseDistribution], dict[str, str]]:
    """(distributions to sample, {key: fixed override line}) from `hydra.sweeper.params` and
    the command line; a key on the command line wins over the same key in params."""
    lines = [f"{key}={value}" for key, value in params.items()] + list(arguments)
    space: dict[str, BaseDistribution] = {}
    fixed: dict[str, str] = {}
    for override in OverridesParser.create().parse_overrides(lines):
        key = override.get_key_element()
        space.pop(key, None)
        fixed.pop(key, None)
        if override.is_sweep_override():
            space[key] = distribution(override)
        else:
            fixed[key] = override.input_line  # as the user wrote it
    return space, fixed


def grid(space: dict[str, BaseDistribution]) -> dict[str, list[Any]]:
    """GridSampler's search space: every value of each discrete distribution."""
    values: dict[str, list[Any]] = {}
    for key, dist in space.items():
        if isinstance(dist, CategoricalDistribution):
            values[key] = list(dist.choices)
        elif isinstance(dist, IntDistribution) and not dist.log:
            values[key] = list(range(dist.low, dist.high + 1, dist.step))
        elif isinstance(dist, FloatDistribution) and dist.step is not None:
            count = round((dist.high - dist.low) / dist.step) + 1
            values[key] = [dist.low + i * dist.step for i in range(count)]
        else:
            raise ValueError(f"{key}: the grid sampler needs choice() or range(), not {dist}")
    return values
