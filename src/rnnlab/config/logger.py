"""The loggers a run writes to (conf/logger/): TensorBoard by default, Lightning's CSV logger,
MLflow; several at once with `logger=[tensorboard,mlflow]` or `logger=many`, none with
`logger=null`. Built in rnnlab/loggers.py, where each gets the run's folder and name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TensorBoardLoggerConfig:
    """<run>/tensorboard/<settings>/: curves, the test figure, HPARAMS (rnnlab/hparams.py)."""


@dataclass
class CsvLoggerConfig:
    """<run>/csv/metrics.csv: every logged value per step or epoch, one column per name."""


@dataclass
class MlflowLoggerConfig:
    """A run in an MLflow experiment: params, per-epoch and final metrics, the test figure,
    metrics.json and the best checkpoint as artifacts (needs the `mlflow` extra)."""

    # MLflow (`pip install -e ".[mlflow]"`): a tracking server (`http://127.0.0.1:5000`), a
    # database (`sqlite:///mlflow.db`) or a folder store (`file:///...`, MLflow < 3.13); null:
    # `$MLFLOW_TRACKING_URI`, else `sqlite:///outputs/mlflow.db` (see it with `mlflow ui
    # --backend-store-uri sqlite:///outputs/mlflow.db`). The run records its settings as
    # params, the per-epoch metrics as they come, the final metrics as
    # `final/<split>/<metric>`, and the test figure, test_forecast.csv, metrics.json and the
    # best checkpoint as artifacts
    tracking_uri: str | None = None
    # the MLflow experiment; null: `rnnlab` for a single run, `rnnlab sweep <sweep folder>`
    # for each job of a sweep, so a sweep is one experiment with a run per job (named
    # `<job>/<swept values>`)
    experiment_name: str | None = None
    # the best checkpoint (else the last) as an artifact under `checkpoints/`
    log_checkpoint: bool = True


LOGGER_CONFIGS: dict[str, type] = {
    "tensorboard": TensorBoardLoggerConfig,
    "csv": CsvLoggerConfig,
    "mlflow": MlflowLoggerConfig,
}
