"""What a data module tells the model and the task, so nobody types sizes by hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TaskKind = Literal["classification", "regression", "forecasting", "labeling"]


@dataclass(frozen=True)
class DataFacts:
    """Sizes, task kind and the target transform a data module was built with.

    output_size is the number of classes for classification and labeling (one label per
    step), else the number of values predicted per window. Targets are stored as
    ((log y if target_log else y) - mean) / std; the task inverts that so metrics come out
    in the data's own units.
    """

    task: TaskKind
    input_size: int
    output_size: int
    target_mean: float = 0.0
    target_std: float = 1.0
    target_log: bool = False
    # MAPE is only meaningful when targets stay away from zero (passengers yes, sine no)
    percentage_errors: bool = False
    # MASE's denominator: in-sample MAE of the seasonal naive forecast before the test period
    mase_scale: float | None = None
    # the series' seasonal period (forecasting one series), which seasonal_naive looks back
    season: int | None = None
    # the steps each input window has (forecasting one series): the linear path's width
    window: int | None = None
    # several series, one model (data=csv with an id column or several targets): their
    # names; targets are then on each series' own scale and metrics per series come after
    series_names: tuple[str, ...] = ()
