"""One store, many processes: the process holding a local store writes for the others.

A local Chroma folder may be opened by one process only. The process that holds it (the
app) runs a :class:`StoreService` on a Unix socket named in the store's lock file; a CLI
that finds the store held sends its request there and prints the same progress, result
lines and exit status as if it had written itself. The holder may also answer read
requests (``queries``: questions, entity lists) for a Python process that cannot open the
store itself, so ``from assistant import answer`` works while the app serves. Requests and events are JSON lines;
the socket is readable by its owner only. When the CLI goes away (Ctrl-C), the service
stops the request at its next step, leaving the store as a failed write would.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import socketserver
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ingest import Limits, NewsAssistantError

from ._errors import StoreError
from ._loader import Event, load_paths
from ._store import DocsStore

logger = logging.getLogger(__name__)


def socket_path(store_dir: Path) -> Path:
    """Beside the store when the path is short enough for a Unix socket, else in /tmp."""
    beside = store_dir.resolve() / ".service.sock"
    if len(str(beside)) < 100:
        return beside
    digest = hashlib.sha1(str(store_dir.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"news-assistant-{digest}.sock"


class StoreService:
    """Serve ingest and delete requests for ``store`` from other processes (a rebuild,
    which replaces every vector the app answers from, is not offered).

    ``queries`` maps further request names to handlers that take the request and return
    JSON data, sent back as ``{"kind": "result", "value": ...}`` (the app registers
    ``answer``, ``entities`` and ``entity``; the store layer knows nothing of answers).
    """

    def __init__(
        self, store: DocsStore, limits: Limits, queries: Mapping[str, Callable[[dict], Any]] | None = None
    ) -> None:
        self.store = store
        self.limits = limits
        self.queries = dict(queries or {})
        self.path = socket_path(store.directory)
        self._server: socketserver.ThreadingUnixStreamServer | None = None

    def start(self) -> Path:
        service = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                service._handle(self.rfile, self.connection)

        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        old_umask = os.umask(0o177)  # the socket is created readable by its owner only
        try:
            self._server = socketserver.ThreadingUnixStreamServer(str(self.path), Handler)
        finally:
            os.umask(old_umask)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="store-service", daemon=True).start()
        self.store.advertise(self.path)
        return self.path

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _handle(self, reader: Any, connection: socket.socket) -> None:
        gone = threading.Event()

        def send(data: dict) -> None:
            try:
                connection.sendall((json.dumps(data, ensure_ascii=False) + "\n").encode())
            except OSError:
                gone.set()  # the client went away: stop at the next step

        try:
            request = json.loads(reader.readline() or "{}")
            op = request.get("op")
            if op == "ingest":
                summary = load_paths(
                    self.store, request["paths"], self.limits, lambda e: send(e.to_dict()), cancelled=gone.is_set
                )
                send({"kind": "done", "exit": 1 if summary.counts.get("failed") else 0})
            elif op == "delete":
                removed = self.store.delete_source(request["source"])
                send({"kind": "message", "text": f"deleted {request['source']}: {removed} chunks removed"})
                send({"kind": "done", "exit": 0})
            elif op in self.queries:
                send({"kind": "result", "value": self.queries[op](request)})
            else:
                send({"kind": "error", "text": f"unknown request {op!r}"})
        except NewsAssistantError as exc:
            send({"kind": "error", "text": str(exc)})
        except (KeyboardInterrupt, ValueError, KeyError) as exc:
            send({"kind": "error", "text": f"request stopped: {type(exc).__name__}: {exc}"})
        except Exception:
            logger.exception("store service request failed")
            send({"kind": "error", "text": "the service failed; see the app's log"})


def forward(path: Path, request: dict) -> Iterator[dict]:
    """Send ``request`` to the service at ``path``; yield its replies (events, messages,
    then ``done`` with the exit status, or ``error``)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        try:
            conn.connect(str(path))
        except OSError as exc:
            raise StoreError(f"cannot reach the process holding the store at {path}: {exc}") from exc
        conn.sendall((json.dumps(request, ensure_ascii=False) + "\n").encode())
        with conn.makefile("r", encoding="utf-8") as replies:
            for line in replies:
                yield json.loads(line)


def query(path: Path, request: dict) -> Any:
    """One read request to the service at ``path``: its result value, or the service's
    error as a :class:`StoreError`."""
    for reply in forward(path, request):
        if reply.get("kind") == "result":
            return reply.get("value")
        if reply.get("kind") == "error":  # the holder's own message, e.g. "question is empty"
            raise StoreError(str(reply.get("text")))
    raise StoreError(f"the process holding the store at {path} closed the connection without an answer")


def event_of(reply: dict) -> Event:
    return Event.from_dict(reply)
