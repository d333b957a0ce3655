"""The schemas in Hydra's ConfigStore, as the group `schema/<group>/<name>`: each conf/ file
starts from its own (conf/model/lstm.yaml: `- /schema/model@_here_: lstm`), so composing a
config refuses a wrong type, an unknown choice or a mistyped key. Keeping them in their own
group keeps them out of the choices `model=` lists."""

from __future__ import annotations

from hydra.core.config_store import ConfigStore
from omegaconf import OmegaConf

from rnnlab.config.callbacks import CALLBACK_CONFIGS
from rnnlab.config.data import DATA_CONFIGS
from rnnlab.config.logger import LOGGER_CONFIGS
from rnnlab.config.model import MODEL_CONFIGS
from rnnlab.config.optimizer import OPTIMIZER_CONFIGS
from rnnlab.config.run_config import RunConfig
from rnnlab.config.scheduler import SCHEDULER_CONFIGS
from rnnlab.config.trainer import TrainerConfig

SCHEMA_GROUP = "schema"


def seasons(count: int, season: int) -> int:
    """`${seasons:3,${.season}}`: three seasons of periods (36 months, 12 quarters)."""
    return int(count) * int(season)


def register_configs() -> None:
    """Idempotent: storing a name again replaces it."""
    OmegaConf.register_new_resolver("seasons", seasons, replace=True)
    store = ConfigStore.instance()
    store.store(group=SCHEMA_GROUP, name="train", node=RunConfig)
    store.store(group=f"{SCHEMA_GROUP}/trainer", name="trainer", node=TrainerConfig)
    groups = {"model": MODEL_CONFIGS, "data": DATA_CONFIGS, "optimizer": OPTIMIZER_CONFIGS,
              "logger": LOGGER_CONFIGS, "scheduler": SCHEDULER_CONFIGS,
              "callbacks": CALLBACK_CONFIGS}  # fmt: skip
    for group, schemas in groups.items():
        for name, schema in schemas.items():
            store.store(group=f"{SCHEMA_GROUP}/{group}", name=name, node=schema)
