"""The run's loggers, from conf/logger/ (schemas in config/logger.py): each gets the run's
folder and its name here, which no YAML could know (see sweep/job.run_name)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lightning.pytorch.loggers import CSVLogger, Logger, MLFlowLogger, TensorBoardLogger

from rnnlab.config.logger import MlflowLoggerConfig
from rnnlab.config.run_config import RunConfig
from rnnlab.errors import ConfigError
from rnnlab.run_folder import CHECKPOINT_DIR


def tensorboard_logger(output_dir: Path, run_name: str, multirun: bool) -> TensorBoardLogger:
    """TensorBoard's run is named by what sets it apart (see sweep/job.run_name). A sweep
    job logs into <job folder>/<name>, so a TensorBoard on the sweep shows '3/rnn...' with
    nothing else in between; a single run into tensorboard/<name>, or into the one run
    folder already there (a resumed run continues its curves even if its name changed,
    e.g. with a larger trainer.max_epochs)."""
    if multirun:
        return TensorBoardLogger(save_dir=str(output_dir), name="", version=run_name,
                                 default_hp_metric=False)  # fmt: skip
    root = output_dir / "tensorboard"
    earlier = [p.name for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
    version = earlier[0] if len(earlier) == 1 else run_name
    return TensorBoardLogger(save_dir=str(output_dir), name="tensorboard", version=version,
                             default_hp_metric=False)  # fmt: skip


def mlflow_logger(
    settings: MlflowLoggerConfig | Mapping[str, Any], output_dir: Path, run_name: str,
    multirun: bool,
) -> MLFlowLogger:  # fmt: skip
    """One MLflow run; the jobs of a sweep share one experiment named by the sweep's folder."""

    def get(key: str) -> Any:
        return setting(settings, key)

    try:
        import mlflow  # noqa: F401
    except ImportError:
        raise ConfigError("logger", "mlflow", "tensorboard or csv here: logger=mlflow needs "
                          "MLflow (pip install -e '.[mlflow]')") from None  # fmt: skip
    if multirun:
        experiment = get("experiment_name") or f"rnnlab sweep {output_dir.parent}"
        name = f"{output_dir.name}/{run_name}"
    else:
        experiment, name = get("experiment_name") or "rnnlab", run_name
    uri = get("tracking_uri") or os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:  # MLflow's database store (its folder store is in maintenance mode)
        (Path.cwd() / "outputs").mkdir(exist_ok=True)
        uri = f"sqlite:///{Path.cwd() / 'outputs' / 'mlflow.db'}"
    return MLFlowLogger(experiment_name=experiment, run_name=name, tracking_uri=uri)


def setting(settings: Any, key: str) -> Any:
    """A logger's setting, from its schema's object or a saved run's plain mapping."""
    if isinstance(settings, Mapping):
        return settings.get(key, getattr(MlflowLoggerConfig, key, None))
    return getattr(settings, key)


def build_loggers(
    config: RunConfig, output_dir: Path, run_name: str, multirun: bool
) -> list[Logger]:
    builders = {
        "tensorboard": lambda _: tensorboard_logger(output_dir, run_name, multirun),
        "csv": lambda _: CSVLogger(save_dir=str(output_dir), name="csv", version=""),
        "mlflow": lambda settings: mlflow_logger(settings, output_dir, run_name, multirun),
    }
    return [builders[name](settings) for name, settings in config.logger.items()]


def find_logger(loggers: list[Logger], kind: type) -> Any | None:
    return next((logger for logger in loggers if isinstance(logger, kind)), None)


def report_to_mlflow(
    logger: MLFlowLogger,
    hparams: Mapping[str, Any],
    metrics: Mapping[str, float],
    step: int,
    files: list[Path],
) -> None:
    """The run's settings as params, its final metrics as final/<split>/<metric> (the
    per-epoch ones arrived while training), and its files as artifacts."""
    logger.log_hyperparams({key: "null" if v is None else v for key, v in hparams.items()})
    logger.log_metrics({f"final/{name}": value for name, value in metrics.items()}, step=step)
    for path in files:
        folder = CHECKPOINT_DIR if path.suffix == ".ckpt" else None
        logger.experiment.log_artifact(logger.run_id, str(path), folder)
