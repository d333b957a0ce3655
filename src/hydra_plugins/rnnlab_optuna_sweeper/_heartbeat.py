"""Heartbeats for the trials this worker is running, from a thread of the sweeping process.

Optuna records heartbeats only inside `study.optimize`; a sweeper works by ask and tell, so it
records them itself. While this process lives its trials stay fresh, whatever launcher runs
the jobs; when it dies they go stale, and the next worker that asks fails them and queues a
retry (RetryHeartbeatStaleTrialCallback), instead of leaving them RUNNING for ever.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from optuna.storages import BaseStorage, RDBStorage


@contextmanager
def heartbeats(storage: BaseStorage, trial_ids: list[int], interval: int | None) -> Iterator[None]:
    if not isinstance(storage, RDBStorage) or not interval:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        while True:
            for trial_id in trial_ids:
                storage.record_heartbeat(trial_id)
            if stop.wait(interval):
                return

    thread = threading.Thread(target=beat, name="optuna-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
