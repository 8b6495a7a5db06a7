"""Store errors, and the one place where third-party exceptions are translated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ingest import NewsAssistantError


class StoreError(NewsAssistantError):
    """The store cannot be opened, written or searched; the message says why and where."""


class StoreBusy(StoreError):
    """A local store is held by another process (``pid``); ``service`` is the socket on
    which that process accepts writes for others, if it runs one."""

    def __init__(self, message: str, pid: int | None, service: str | None) -> None:
        super().__init__(message)
        self.pid = pid
        self.service = service


@contextmanager
def translate_errors(action: str) -> Iterator[None]:
    """Re-raise chromadb / sqlite / connection failures as :class:`StoreError`.

    Only library exceptions are translated; our own errors and KeyboardInterrupt pass.
    """
    import sqlite3

    try:
        yield
    except NewsAssistantError:
        raise
    except sqlite3.Error as exc:
        raise StoreError(f"{action}: catalogue database error: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - chromadb raises many unrelated types
        module = type(exc).__module__ or ""
        if module.startswith(("chromadb", "httpx", "httpcore", "urllib3", "requests")) or isinstance(
            exc, ConnectionError | OSError | ValueError
        ):
            raise StoreError(f"{action}: {type(exc).__name__}: {exc}") from exc
        raise
