"""Whether to model a series' logarithm, decided from its training part alone.

A log turns a seasonal swing that grows with the level (airline passengers) into one of
constant size, which a network trained on windows of the past can carry to levels it has
not seen; on a series whose swing does not grow with its level it only distorts. So `auto`
takes the log where every value is > 0 (a log needs it) and, over the training part's
seasonal cycles (or blocks of 12 periods without a season), the cycles' spread grows
with their mean: the slope of log spread on log mean is at least LOG_SLOPE (1 for a purely
multiplicative series, 0 for an additive one).
"""

from __future__ import annotations

import torch

LOG_SLOPE = 0.5


def swing_grows_with_level(train: torch.Tensor, season: int) -> bool:
    """train (length,) > 0: does each cycle's spread rise with its mean?"""
    cycle = season if season > 1 else 12
    cycles = len(train) // cycle
    if cycles < 3:
        return False
    blocks = train[len(train) - cycles * cycle :].double().view(cycles, cycle)
    level, spread = blocks.mean(dim=1).log(), blocks.std(dim=1).clamp_min(1e-12).log()
    if float(level.max() - level.min()) < 0.1:  # the level hardly moves: nothing to tell
        return False
    level = level - level.mean()
    slope = float((level * (spread - spread.mean())).sum() / (level * level).sum())
    return slope >= LOG_SLOPE


def use_log(setting: bool | str, values: torch.Tensor, train_end: int, season: int) -> bool:
    if setting != "auto":
        return bool(setting)
    if bool((values <= 0).any()):
        return False
    return swing_grows_with_level(values[:train_end], season)
