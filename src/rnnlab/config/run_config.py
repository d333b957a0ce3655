"""The top of the config (conf/train.yaml): what a run does besides data, model, optimizer
and trainer. Each field's default is written here and only here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from rnnlab.config.choices import ClassicalModel, Mode, RegressionLoss


@dataclass
class CheckpointConfig:
    # the validation metric that picks the best checkpoint (the one tested at the end);
    # null: the last epoch (for a number of epochs chosen beforehand)
    monitor: str | None = "val/loss"
    mode: Mode = Mode.min  # min or max: which end of the monitored metric is better


@dataclass
class TrainingConfig:
    # burn-in: the first k steps of each window only set the hidden state (no gradient;
    # per-step targets there get no loss and no metric); fewer than the window's steps
    warmup_steps: int = 0
    # truncated BPTT: chunks of k steps, the state carried over detached, an optimizer step
    # per chunk; null: backpropagate through the whole window
    tbptt_steps: int | None = None
    # stop the run at the first step whose training loss or gradient norm is not finite, or
    # whose loss exceeds this many times the first step's; null: only the non-finite check
    divergence_factor: float | None = 1000.0
    # regression and forecasting: the loss on the (scaled) targets; mse, mae or huber
    loss: RegressionLoss = RegressionLoss.mse
    # on one CUDA device, replay the whole training step (forward, backward, clipping, Adam or
    # AdamW step) as one CUDA graph, captured after 3 eager steps; batches of another shape
    # run eagerly. Off by itself elsewhere (CPU, DDP, mixed precision, SGD, truncated BPTT,
    # callbacks acting between backward and step); the run's log says why. false: never
    cuda_graph: bool = True


@dataclass
class AutoConfig:
    """Automatic forecasting (experiment=auto_forecast, src/rnnlab/backtests/auto.py)."""

    # settings to try against each other, each a mapping of dotted keys to values
    # ({model.hidden_size: 16}); empty: no search, the run trains once as configured
    candidates: list[dict[str, Any]] = field(default_factory=list)
    # statsforecast models weighed against the candidates, alone, averaged with each other
    # and with rnnlab's forecast: SeasonalNaive, AutoETS, AutoARIMA, AutoTheta (needs
    # `pip install -e ".[forecast]"`); empty: rnnlab's candidates only
    classical: list[ClassicalModel] = field(default_factory=list)
    origins: int = 3  # backtest origins inside the training part, one horizon apart
    combine: int = 2  # the best candidates whose forecasts are averaged into the forecast
    seeds: int = 3  # runs of each combined candidate (refitted through validation)
    alpha: float = 0.1  # the prediction intervals aim to cover 1 - alpha (conformal)


@dataclass
class RunConfig:
    seed: int = 42  # seeds torch, numpy, python and the data
    plots: bool = True  # the test figure as PNG in the run folder and an image in TensorBoard
    # torch.set_num_threads for the run; null: chosen from the size of a training step, one
    # thread for a small one, else torch's (one per core), as measured (rnnlab/step_threads.py,
    # docs/PERFORMANCE.md); jobs a launcher runs side by side share the cores out instead;
    # 1 where other work shares the machine (two threads then ran 2-5x slower)
    torch_threads: int | None = None
    # continue the run in hydra.run.dir (or each job of hydra.sweep.dir) from its last
    # checkpoint; a finished run or job with the same settings is left as it is
    resume: bool = False
    # start a new run from this checkpoint: weights, optimizer and loop state
    ckpt_path: str | None = None
    checkpoint: CheckpointConfig = field(default_factory=CheckpointConfig)
    # the value a run returns (for sweepers) and by which sweep summaries rank jobs
    optimized_metric: str = "val/loss"
    optimized_mode: Mode = Mode.min
    training: TrainingConfig = field(default_factory=TrainingConfig)
    auto: AutoConfig = field(default_factory=AutoConfig)
    data: Any = MISSING  # conf/data/, schema in config/data.py
    model: Any = MISSING  # conf/model/, schema in config/model.py
    optimizer: Any = MISSING  # conf/optimizer/, schema in config/optimizer.py
    trainer: Any = MISSING  # conf/trainer/, schema in config/trainer.py
    scheduler: Any = MISSING  # conf/scheduler/, schema in config/scheduler.py
    # conf/logger/: name -> settings (schemas in config/logger.py); empty: no logger
    logger: dict[str, Any] = field(default_factory=dict)
    # conf/callbacks/: name -> settings (schemas in config/callbacks.py); empty: none extra
    callbacks: dict[str, Any] = field(default_factory=dict)
