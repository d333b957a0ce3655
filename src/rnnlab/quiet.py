"""Lightning notices that say nothing about the user's run, kept out of every run's log.

Only these three, matched by their text; every other warning and message still shows.
"""

from __future__ import annotations

import logging
import warnings

# Lightning 2.6 advertises its cloud logger at every Trainer start (an INFO record)
ADVERT_PREFIX = "💡 Tip:"
# Lightning 2.6's own use of a torch pytree API that torch 2.13 deprecates: nothing to act on
PYTREE_DEPRECATION = r"`isinstance\(treespec, LeafSpec\)` is deprecated"
# LearningRateMonitor copies each learning rate with torch.tensor(); under a CUDA-graphed step
# the rate is already a tensor (tasks/cuda_graph.py), which torch then advises against
LR_MONITOR_TENSOR_COPY = "To copy construct from a tensor"
LR_MONITOR = r"lightning\.pytorch\.callbacks\.lr_monitor"


class _DropAdverts(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(ADVERT_PREFIX)


def silence_lightning_notices() -> None:
    """Idempotent: the filter is added once per process."""
    logger = logging.getLogger("lightning.pytorch.utilities.rank_zero")
    if not any(isinstance(f, _DropAdverts) for f in logger.filters):
        logger.addFilter(_DropAdverts())
    warnings.filterwarnings("ignore", message=PYTREE_DEPRECATION)
    warnings.filterwarnings("ignore", message=LR_MONITOR_TENSOR_COPY, module=LR_MONITOR)
