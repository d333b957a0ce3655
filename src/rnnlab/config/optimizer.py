"""The `optimizer` group (conf/optimizer/): torch optimizers by name.

Every field but `name` is a keyword argument of the torch optimizer; its default is written
here and only here.
"""

from __future__ import annotations

from dataclasses import dataclass

from omegaconf import MISSING

from rnnlab.config.choices import OptimizerName


@dataclass
class OptimizerConfig:
    name: OptimizerName = MISSING  # which optimizer; pick it with optimizer=
    # the learning rate
    # allowed: a number > 0
    lr: float = 1e-3
    # L2 penalty added to the gradient (adamw: decoupled from it)
    # allowed: a number >= 0
    weight_decay: float = 0.0


@dataclass
class AdamConfig(OptimizerConfig):
    name: OptimizerName = OptimizerName.adam


@dataclass
class AdamWConfig(OptimizerConfig):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019)."""

    name: OptimizerName = OptimizerName.adamw
    weight_decay: float = 0.01


@dataclass
class SGDConfig(OptimizerConfig):
    name: OptimizerName = OptimizerName.sgd
    lr: float = 1e-2
    # the velocity's decay
    # allowed: a number in [0, 1)
    momentum: float = 0.9
    nesterov: bool = False  # Nesterov momentum; needs momentum > 0


OPTIMIZER_CONFIGS: dict[str, type[OptimizerConfig]] = {
    "adam": AdamConfig,
    "adamw": AdamWConfig,
    "sgd": SGDConfig,
}
