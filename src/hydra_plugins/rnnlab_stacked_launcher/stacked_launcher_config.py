"""The launcher's settings (`hydra.launcher.*`) as a Hydra schema."""

# no `from __future__ import annotations`: Hydra's plugin scan runs this module before it is
# in sys.modules, where dataclasses would look string annotations up

from dataclasses import dataclass

from hydra.core.config_store import ConfigStore


@dataclass
class StackedLauncherConf:
    _target_: str = "hydra_plugins.rnnlab_stacked_launcher.stacked_launcher.StackedLauncher"
    # the most jobs one stacked model holds: memory grows with it (each replica keeps its
    # own weights, optimizer state, data and metrics); 1 turns stacking off
    max_replicas: int = 64


ConfigStore.instance().store(
    group="hydra/launcher", name="stacked", node=StackedLauncherConf, provider="rnnlab"
)
