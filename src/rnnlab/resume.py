"""Continuing a run: which checkpoint to start from, and refusing one made with other settings.

`resume=true` continues the run folder's own checkpoints/last.ckpt (a run or sweep job that
was interrupted, or a finished one given a larger max_epochs/max_steps); a run or job that
already finished with these very settings is left as it is. `ckpt_path=<file>` starts a new
run folder from any checkpoint. Either way the settings must be the checkpoint's own, except
the ones that only say how long to train or how to show it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import torch

from rnnlab.callbacks.resume_state import saved_config
from rnnlab.config.run_config import RunConfig
from rnnlab.errors import ConfigError
from rnnlab.run_folder import LAST_CHECKPOINT, METRICS_FILE, read_report

# keys that change how a run is shown or started, never what it computes
RUN_CONTROL = {
    "resume",
    "ckpt_path",
    "torch_threads",
    "training.cuda_graph",  # the same step, replayed (equal to eager within float tolerance)
    "plots",
    "trainer.enable_progress_bar",
    "trainer.enable_model_summary",
    "callbacks.tqdm_progress_bar",
    "callbacks.rich_progress_bar",
    "callbacks.model_summary",
}
# and those a continued run may change: how long it trains
LENGTH = {"trainer.max_epochs", "trainer.max_steps"}


def flatten(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flatten(value, f"{name}.")
        else:
            yield name, value


def differences(old: Mapping[str, Any], new: Mapping[str, Any], ignore: set[str]) -> list[str]:
    """Keys (dotted) whose values differ between two plain configs, ignoring `ignore` and the
    keys under it."""
    before, after = dict(flatten(old)), dict(flatten(new))
    under = tuple(f"{key}." for key in ignore)
    keys = sorted(
        k for k in before.keys() | after.keys() if k not in ignore and not k.startswith(under)
    )
    return [key for key in keys if before.get(key, "<unset>") != after.get(key, "<unset>")]


def refuse_training_backwards(current: dict[str, Any], checkpoint: Path) -> None:
    """A shorter limit than the checkpoint has trained would report a longer-trained model
    under settings that say otherwise."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    epochs = state["loops"]["fit_loop"]["epoch_progress"]["current"]["processed"]
    done = {"max_epochs": epochs, "max_steps": state["global_step"]}
    for name, trained in done.items():
        limit = current["trainer"][name]
        if limit is not None and limit != -1 and limit < trained:
            raise ConfigError(
                f"trainer.{name}",
                limit,
                f"at least {trained}, what {checkpoint} has trained already (or -1)",
            )


def refuse_other_settings(current: dict[str, Any], checkpoint: Path, key: str) -> None:
    saved = saved_config(checkpoint)
    if saved is None:
        raise ConfigError(
            key,
            str(checkpoint),
            "a checkpoint written by this version of rnnlab "
            "(it records the settings it was trained with)",
        )
    refuse_training_backwards(current, checkpoint)
    changed = differences(saved, current, RUN_CONTROL | LENGTH)
    if changed:
        first = changed[0]
        before, now = dict(flatten(saved)).get(first), dict(flatten(current)).get(first)
        raise ConfigError(
            first,
            now,
            f"{before!r}, as in {checkpoint} (continuing a run keeps "
            f"its settings; {len(changed)} differ: "
            f"{', '.join(changed[:5])})",
        )


def checkpoint_to_resume(
    config: RunConfig, current: dict[str, Any], output_dir: Path, multirun: bool
) -> Path | None:
    """The checkpoint the fit starts from, None for a fresh start."""
    if config.ckpt_path is not None:
        path = Path(config.ckpt_path).expanduser()
        refuse_other_settings(current, path, "ckpt_path")
        return path
    if not config.resume:
        return None
    last = output_dir / LAST_CHECKPOINT
    if last.is_file():
        refuse_other_settings(current, last, "resume")
        return last
    if multirun:
        return None  # a job that never reached a checkpoint starts over
    raise ConfigError(
        "resume",
        True,
        f"a run folder holding {LAST_CHECKPOINT}; {output_dir} "
        "has none (pass the run to continue as "
        "hydra.run.dir=<its folder>)",
    )


def finished_result(current: dict[str, Any], output_dir: Path) -> dict[str, Any] | None:
    """metrics.json of a run that already finished with these settings (resume skips it)."""
    if not (output_dir / METRICS_FILE).is_file():
        return None
    report = read_report(output_dir)
    saved = report.get("config")
    if saved is None or differences(saved, current, RUN_CONTROL):
        return None
    return report
