"""The top of the config (conf/train.yaml): what a run does besides data, model, optimizer
and trainer. Each field's default is written here and only here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from rnnlab.config.choices import ClassicalModel, Mode, RegressionLoss


@dataclass
class CheckpointConfig:
    # which checkpoint is "best" and gets tested; null keeps the last epoch (for a fixed
    # number of epochs chosen beforehand)
    monitor: str | None = "val/loss"
    mode: Mode = Mode.min  # which end of the monitored metric is better


@dataclass
class TrainingConfig:
    # warm-up (burn-in): the first k steps of each window only set the hidden state: no
    # graph, so no gradient flows through them, and per-step targets there get no loss and no
    # metric. Fewer than the window's steps; not with a bidirectional model
    # allowed: an integer >= 0
    warmup_steps: int = 0
    # truncated backpropagation through time: the window is cut into chunks of k steps, the
    # state carried over detached, one optimizer step per chunk (for many-to-one heads only
    # the last chunk has a loss; earlier chunks just advance the state). Lightning 2 removed
    # `truncated_bptt_steps`, so this uses manual optimisation; `trainer.gradient_clip_val` /
    # `gradient_clip_algorithm` still apply (the task clips by hand, since Lightning refuses
    # its flags there). `global_step` counts optimizer steps (batches x chunks). Not with
    # bidirectional models, `model.head=mean` or gradient accumulation. null: backpropagate
    # through the whole window
    # allowed: an integer >= 1, or null
    tbptt_steps: int | None = None
    # the run stops at the first optimizer step whose training loss or gradient norm is not
    # finite, or whose loss is over this many times the first step's; null: only the
    # non-finite check
    # allowed: null (only the non-finite check) or a number > 1
    divergence_factor: float | None = 1000.0
    # regression and forecasting: the loss on the (scaled) targets
    loss: RegressionLoss = RegressionLoss.mse
    # on one CUDA device, the whole training step (forward, loss, backward, clipping with the
    # Trainer's flags, Adam/AdamW step) is captured as one CUDA graph after 3 eager steps and
    # replayed for every batch of the same shape (a short last batch runs eagerly);
    # schedulers still change the learning rate. It switches itself off, saying why in the
    # run's log, on the CPU, under DDP, with mixed precision, SGD, truncated BPTT or a
    # callback that acts between backward and the optimizer step. `metrics.json`'s
    # `cuda_graph` says what happened. false: always eager
    cuda_graph: bool = True


@dataclass
class AutoConfig:
    """Automatic forecasting (experiment=auto_forecast, src/rnnlab/backtests/auto.py)."""

    # automatic forecasting (`experiment=auto_forecast` sets it): settings to try against
    # each other, each a mapping of dotted keys to values ({model.hidden_size: 16}); empty:
    # no search, the run trains once as configured
    # allowed: a list of mappings
    candidates: list[dict[str, Any]] = field(default_factory=list)
    # statsforecast models weighed against rnnlab's forecast on the same backtest origins,
    # alone, averaged with each other and with rnnlab (`experiment=auto_forecast` lists all
    # four; needs `pip install -e ".[forecast]"`); empty: rnnlab's candidates only
    classical: list[ClassicalModel] = field(default_factory=list)
    # backtest origins inside the training part, one horizon apart
    # allowed: an integer >= 1
    origins: int = 3
    # how many of the best candidates are averaged into the forecast
    # allowed: an integer from 1 to the number of candidates
    combine: int = 2
    # runs of each combined candidate (refitted through validation)
    # allowed: an integer >= 1
    seeds: int = 3
    # the prediction interval's 1 - coverage (conformal, from the backtests' errors)
    # allowed: a number in (0, 1)
    alpha: float = 0.1


@dataclass
class RunConfig:
    # seeds torch, numpy, python and the data; the same seed gives the same metrics
    # allowed: an integer >= 0
    seed: int = 42
    plots: bool = True  # draw the test figure (PNG in the run folder, image in TensorBoard)
    # `torch.set_num_threads` for the run; null: chosen from the first batch, 1 thread for a
    # step under 10 million multiply-adds (batch x time steps x parameters; rnnlab's default
    # sizes), else torch's (one per core), as measured on 2 cores (src/rnnlab/step_threads.py,
    # docs/PERFORMANCE.md); jobs a launcher runs side by side share the cores out instead;
    # set 1 where other work shares the machine (two threads then ran 2-5x slower)
    # allowed: an integer >= 1, or null
    torch_threads: int | None = None
    # continue the run in `hydra.run.dir` (or every job of `hydra.sweep.dir`) from its
    # `checkpoints/last.ckpt`; a run finished with the same settings is left as it is
    resume: bool = False
    # start a new run from this checkpoint: weights, optimizer and loop state (the settings
    # must be the checkpoint's)
    ckpt_path: str | None = None
    checkpoint: CheckpointConfig = field(default_factory=CheckpointConfig)
    # the value a run returns (for sweepers) and by which sweep summaries rank jobs
    optimized_metric: str = "val/loss"
    optimized_mode: Mode = Mode.min  # which end of optimized_metric is better
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
