"""Several series in one CSV, one global model: data=csv with `data.id_column` (long format)
or a list of `data.target` columns (one column per series).

Each series is windowed, split and scaled exactly as a file of its own would be (its own
SeriesDataModule: its log choice, mean and spread from its own training part), so a series
of thousands and one of tens weigh alike in the loss. The splits are the series' splits
laid end to end: no window mixes two series. With `data.series_id`, each window also says
which series it is (one-hot channels after the series and its covariates). The model and
the task see values on each series' own scale; metrics in each series' units, and their
mean MASE, are computed per series after the fit (forecast/several.py).
"""

from __future__ import annotations

from dataclasses import replace

import torch

from rnnlab.config.convert import resolved
from rnnlab.config.data import CsvConfig
from rnnlab.data.in_memory import InMemoryDataModule
from rnnlab.data.series import SeriesDataModule, fitted_window
from rnnlab.data.series_file import SeriesValues, naming_series


class SeveralSeriesDataModule(InMemoryDataModule):
    def __init__(self, several: dict[str, SeriesValues], config: CsvConfig) -> None:
        super().__init__(batch_size=config.batch_size, seed=config.seed)
        # one window for all (their windows are stacked): what the shortest series allows
        config = resolved(config)
        windows = []
        for name, series in several.items():
            with naming_series(name):
                held = series.first(len(series.values) - config.hold_back)
                windows.append(fitted_window(held, config))
        window = min(windows)
        config = replace(config, window=window)
        self.members: dict[str, SeriesDataModule] = {}
        for name, series in several.items():
            with naming_series(name):  # a refusal says which series
                self.members[name] = SeriesDataModule(series, config)
        if config.series_id:
            add_identity(self.members)
        self.splits = {
            split: (
                torch.cat([m.splits[split][0] for m in self.members.values()]),  # (n, window, c)
                torch.cat([m.splits[split][1] for m in self.members.values()]),  # (n, horizon)
            )
            for split in ("train", "val", "test")
        }
        first = next(iter(self.members.values())).facts
        # targets are on each series' own scale: the task's metrics stay on it (no unit
        # to turn them back into); each series' units come back in forecast/several.py
        self.facts = replace(first, target_mean=0.0, target_std=1.0, target_log=False,
                             percentage_errors=False, mase_scale=None,
                             series_names=tuple(self.members))  # fmt: skip


def add_identity(members: dict[str, SeriesDataModule]) -> None:
    """Each member's windows gain k one-hot channels saying which of the k series it is."""
    k = len(members)
    for i, member in enumerate(members.values()):
        code = torch.zeros(k)
        code[i] = 1.0
        for split, (x, y) in member.splits.items():
            identity = code.expand(x.shape[0], x.shape[1], k)  # (n, window, k)
            member.splits[split] = (torch.cat([x, identity], dim=2), y)  # (n, window, c + k)
        member.facts = replace(member.facts, input_size=member.facts.input_size + k)
