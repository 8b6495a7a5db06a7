"""A test-only fault hook: kill the process at the n-th step of the write protocol.

``NEWS_ASSISTANT_KILL_AT=n`` (read once, here, because the point is to kill a real
``python -m ingest`` or app process from outside) makes :func:`checkpoint` send SIGKILL to
its own process at the n-th call; ``NEWS_ASSISTANT_KILL_LOG=path`` appends each step's
name, so a test can list the steps a write goes through. Unset, a checkpoint costs nothing.
"""

from __future__ import annotations

import os
import signal
import threading

_lock = threading.Lock()
_count = 0
_KILL_AT = int(os.environ.get("NEWS_ASSISTANT_KILL_AT", "0") or 0)
_LOG = os.environ.get("NEWS_ASSISTANT_KILL_LOG", "")


def checkpoint(step: str) -> None:
    """A point of the write protocol where a crash must leave the store consistent."""
    global _count
    if not _KILL_AT and not _LOG:
        return
    with _lock:
        _count += 1
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"{_count} {step}\n")
        if _count == _KILL_AT:
            os.kill(os.getpid(), signal.SIGKILL)
