"""A sweep at a glance: the metric against each swept axis, one line per architecture."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

from rnnlab.pyplot import pyplot
from rnnlab.sweep.results import JobResult, swept_keys


def axis_means(results: list[JobResult], axis: str, metric: str) -> dict[str, dict[str, float]]:
    """{architecture: {axis value: mean metric over the finished jobs with that value}}."""
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for result in results:
        value = result.metrics.get(metric, math.nan)
        if result.status == "ok" and math.isfinite(value):
            setting = result.override_values().get(axis, "")
            sums[result.architecture or "?"][setting].append(value)
    return {
        arch: {setting: sum(v) / len(v) for setting, v in by_setting.items()}
        for arch, by_setting in sums.items()
    }


def _order(settings: set[str]) -> list[str]:
    """Numbers in numeric order, anything else alphabetically."""

    def key(setting: str) -> tuple[int, float, str]:
        try:
            return (0, float(setting), setting)
        except ValueError:
            return (1, 0.0, setting)

    return sorted(settings, key=key)


def plot_sweep(results: list[JobResult], metric: str, path: Path) -> Path:
    plt = pyplot()
    axes_keys = [key for key in swept_keys(results) if key != "model"] or ["model"]
    figure, axes = plt.subplots(
        1, len(axes_keys), figsize=(4.2 * len(axes_keys), 3.6), squeeze=False, sharey=True
    )
    for axis_key, ax in zip(axes_keys, axes[0], strict=True):
        means = axis_means(results, axis_key, metric)
        settings = _order({s for by_setting in means.values() for s in by_setting})
        for architecture, by_setting in sorted(means.items()):
            xs = [i for i, s in enumerate(settings) if s in by_setting]
            ax.plot(xs, [by_setting[settings[i]] for i in xs], marker="o", label=architecture)
        ax.set_xticks(range(len(settings)), settings)
        ax.set_xlabel(axis_key)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(f"{metric} (mean over the other axes)")
    axes[0][-1].legend(title="model")
    failed = sum(r.failed for r in results)
    figure.suptitle(f"{len(results)} jobs, {failed} failed")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
