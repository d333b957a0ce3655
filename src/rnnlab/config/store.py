"""The schemas in Hydra's ConfigStore: each conf/ file starts from one (`defaults: [base_x]`),
so composing a config refuses a wrong type, an unknown choice or a mistyped key."""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from rnnlab.config.data import DATA_CONFIGS
from rnnlab.config.model import MODEL_CONFIGS
from rnnlab.config.optimizer import OPTIMIZER_CONFIGS
from rnnlab.config.run import RunConfig
from rnnlab.config.trainer import TrainerConfig

SCHEMA_PREFIX = "base_"  # conf/<group>/<name>.yaml extends <group>/base_<name>


def register_configs() -> None:
    """Idempotent: storing a name again replaces it."""
    store = ConfigStore.instance()
    store.store(name=f"{SCHEMA_PREFIX}train", node=RunConfig)
    store.store(group="trainer", name=f"{SCHEMA_PREFIX}trainer", node=TrainerConfig)
    groups = {"model": MODEL_CONFIGS, "data": DATA_CONFIGS, "optimizer": OPTIMIZER_CONFIGS}
    for group, schemas in groups.items():
        for name, schema in schemas.items():
            store.store(group=group, name=f"{SCHEMA_PREFIX}{name}", node=schema)
