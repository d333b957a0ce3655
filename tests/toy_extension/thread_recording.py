"""A data set of one's own that notes torch's thread count when the run builds it: how a
test sees the order of a run's set-up through the run's own seam (data.module)."""

from __future__ import annotations

from typing import Any, ClassVar

import torch
from toy_extension.majority import MajorityDataModule


class ThreadRecordingMajority(MajorityDataModule):
    threads_at_build: ClassVar[list[int]] = []

    def __init__(self, batch_size: int, seed: int, **settings: Any) -> None:
        type(self).threads_at_build.append(torch.get_num_threads())
        super().__init__(batch_size, seed, **settings)
