"""pyplot for drawing into files, the one place that picks matplotlib's backend: Agg, so
figures draw where there is no display (CI, cluster nodes, joblib workers). matplotlib loads
only when a figure is drawn."""

from __future__ import annotations

from typing import Any


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
