"""Close the process group before a spawned rank exits, so no rank dies by SIGABRT.

Under ddp_spawn each rank is a multiprocessing child that leaves through os._exit: the atexit
handler Lightning registers to destroy the process group never runs. Rank 0 then exits while
rank 1's gloo threads still hold its connection, and about one run in six ended with "terminate
called without an active exception" (SIGABRT) in rank 1 after a fit that had succeeded. Here
every rank waits for the others, then closes the group itself, as the last teardown hook.
"""

from __future__ import annotations

import lightning as L
import torch.distributed as dist


class CloseSpawnedRanks(L.Callback):
    def teardown(self, trainer: L.Trainer, pl_module: L.LightningModule, stage: str) -> None:
        if dist.is_available() and dist.is_initialized():
            dist.barrier()  # no rank leaves while another still talks to it
            dist.destroy_process_group()
