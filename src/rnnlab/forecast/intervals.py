"""Prediction intervals by split conformal prediction on backtest residuals (Vovk et al. 2005;
as in Stankeviciute et al. 2021 for RNN forecasts): the interval is the forecast plus or
minus the ((1 - alpha)(1 + 1/n))-quantile of the n absolute errors the same configuration
made at its backtest origins, pooled over the steps of the horizon.

Exchangeable errors make it cover at least 1 - alpha on average; errors that grow with the
step make it too wide near and too narrow far. Coverage is measured by leaving each origin
out in turn and counting how often its truth falls inside the interval from the others.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def conformal_halfwidth(residuals: Sequence[float], alpha: float) -> float:
    """The half-width from absolute residuals; inf when too few for the level asked."""
    errors = np.sort(np.abs(np.asarray(residuals, dtype=np.float64)))
    n = len(errors)
    rank = math.ceil((1 - alpha) * (n + 1))  # the conformal order statistic, 1-based
    return float(errors[rank - 1]) if rank <= n else math.inf


def leave_one_out_coverage(residuals_by_origin: Sequence[Sequence[float]], alpha: float) -> float:
    """The share of each origin's errors inside the half-width made from the other origins'."""
    inside, total = 0, 0
    for i, own in enumerate(residuals_by_origin):
        others = [r for j, rs in enumerate(residuals_by_origin) if j != i for r in rs]
        width = conformal_halfwidth(others, alpha)
        inside += sum(abs(r) <= width for r in own)
        total += len(own)
    return inside / total if total else math.nan
