"""Two pictures of a search, next to optimization_results.yaml, drawn by Optuna's own
matplotlib plots: the value of each trial with the best so far (optuna_history.png), and each
trial's metric per epoch, where pruned trials show where they stopped
(optuna_epochs.png)."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import optuna
from optuna.visualization import matplotlib as optuna_plots

from rnnlab.pyplot import pyplot

log = logging.getLogger(__name__)


def draw_search(study: optuna.Study, sweep_dir: Path, metric: str) -> None:
    plt = pyplot()
    pictures = {"optuna_history.png": optuna_plots.plot_optimization_history,
                "optuna_epochs.png": optuna_plots.plot_intermediate_values}  # fmt: skip
    for name, plot in pictures.items():
        with warnings.catch_warnings():  # Optuna calls its plots experimental (since 2.2)
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            try:
                axes = plot(study)
            except ValueError as error:  # nothing to draw yet (no finished trial)
                log.info("no %s: %s", name, error)
                continue
        if name == "optuna_epochs.png":
            axes.set_xlabel("epoch")
        axes.set_ylabel(metric)
        axes.figure.set_size_inches(8, 5)
        axes.figure.tight_layout()
        axes.figure.savefig(sweep_dir / name, dpi=110)
        plt.close(axes.figure)
