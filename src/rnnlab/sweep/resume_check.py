"""Before a multirun with resume=true starts: the folder must hold that sweep.

Jobs are matched to folders by number, so a resumed sweep must list the same settings as the
one it continues; only how long jobs train (trainer.max_epochs, trainer.max_steps) and how
they are shown may change. Otherwise a job would write over another setting's results.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from rnnlab.cli import report_ending
from rnnlab.errors import ConfigError
from rnnlab.resume import LENGTH, RUN_CONTROL
from rnnlab.sweep.job import override_pairs

SAVED_CONFIG = "multirun.yaml"  # Hydra's record of a sweep, in its folder


def override_settings(overrides: list[str]) -> dict[str, str]:
    """{'model': 'rnn,gru', ...} from command-line overrides, less those a resume may change."""
    settings = dict(override_pairs(overrides))
    ignored = RUN_CONTROL | LENGTH | {"hydra.sweep.dir"}
    return {key: value for key, value in settings.items() if key not in ignored}


class SweepResumeCheck(Callback):
    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Hydra turns a callback's exception into a warning and goes on: exit here instead."""
        try:
            check_sweep_to_resume(config)
        except ConfigError as error:
            sys.exit(report_ending(error))


def check_sweep_to_resume(config: DictConfig) -> None:
    if not config.get("resume"):
        return
    sweep_dir = Path(config.hydra.sweep.dir)
    saved = sweep_dir / SAVED_CONFIG
    if not saved.is_file():
        raise ConfigError(
            "resume",
            True,
            f"a sweep folder as hydra.sweep.dir; {sweep_dir} "
            f"holds no {SAVED_CONFIG}: nothing to resume",
        )
    before = override_settings(list(OmegaConf.load(saved).hydra.overrides.task))
    now = override_settings(list(config.hydra.overrides.task))
    if before != now:
        changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
        key = changed[0]
        raise ConfigError(
            key,
            now.get(key, "<unset>"),
            f"{before.get(key, '<unset>')!r}, as in the sweep being resumed "
            f"({saved}); jobs are matched by number, so a resumed sweep "
            "keeps its settings (only trainer.max_epochs/max_steps may grow)",
        )
