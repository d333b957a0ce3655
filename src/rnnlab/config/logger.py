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

    # where: a tracking server (http://host:5000), a database (sqlite:///mlflow.db) or a
    # folder (file:///...); null: $MLFLOW_TRACKING_URI, else sqlite:///outputs/mlflow.db
    # under the launch folder (`mlflow ui --backend-store-uri sqlite:///outputs/mlflow.db`)
    tracking_uri: str | None = None
    # null: "rnnlab" for a single run; a sweep's folder for each job of a sweep, so a sweep
    # is one experiment with a run per job
    experiment_name: str | None = None
    log_checkpoint: bool = True  # the best checkpoint (or the last) as an artifact


LOGGER_CONFIGS: dict[str, type] = {
    "tensorboard": TensorBoardLoggerConfig,
    "csv": CsvLoggerConfig,
    "mlflow": MlflowLoggerConfig,
}
