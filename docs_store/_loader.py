"""Files on disk → the store, as a stream of events: the one ingest loop every entry point uses.

The CLI prints these events, the app turns them into its progress bar and result lines, and
the store service (``_service``) sends them over a socket to a CLI in another process — so
a file gets the same checks, the same result line and the same exit status everywhere.
Page files (txt, md, html, docx, pdf) are stored whole or not at all; bulk ``.jsonl(.gz)``
files are streamed and committed article by article, so an interrupted import resumes.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest import Article, IngestError, Limits, NewsAssistantError, iter_bulk_articles, parse_file
from ingest._readers import BULK_SUFFIXES, SUPPORTED_SUFFIXES, suffix_of

from ._store import DocsStore
from ._types import IngestReport

EventKind = Literal["file", "progress", "result", "summary"]


@dataclass(frozen=True)
class Event:
    """One step of an ingest: a file starts, progress within it, its result, the summary.

    ``result`` events carry ``status`` (added / unchanged / replaced / failed) and, for a
    failure, ``reason`` and ``detail`` (see :class:`ingest.IngestError`).
    """

    kind: EventKind
    name: str = ""
    status: str = ""
    done: int = 0
    total: int = 0
    unit: str = ""
    articles: int = 0
    chunks: int = 0
    reason: str = ""
    detail: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", 0, {})} | {"kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def line(self) -> str:
        """The one-line result a person reads (CLI)."""
        if self.status == "failed":
            return f"failed: {self.name}: {self.reason}" + (f" ({self.detail})" if self.detail else "")
        return f"{self.status}: {self.name} ({self.articles} articles, {self.chunks} chunks)"


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders expanded to their supported files (hidden ones skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and suffix_of(p) in SUPPORTED_SUFFIXES and not p.name.startswith(".")
            )
        else:
            files.append(path)
    return files


EventSink = Callable[[Event], None]


def load_paths(
    store: DocsStore,
    paths: Sequence[str | Path],
    limits: Limits,
    on_event: EventSink,
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> Event:
    """Ingest files and folders, reporting each step to ``on_event``; returns the summary.

    A bad file gets a ``failed`` result and the others still go in. ``cancelled`` is
    polled between files and between bulk batches (the file in progress is rolled back,
    or, for a bulk file, kept up to its last committed batch, ready to resume).
    """
    totals: Counter[str] = Counter()
    files = expand_paths(paths)
    for number, path in enumerate(files, start=1):
        if cancelled():
            break
        on_event(Event("file", name=path.name, done=number, total=len(files)))
        result = load_file(store, path, limits, on_event, cancelled=cancelled)
        totals[result.status] += 1
        totals["articles"] += result.articles
        totals["chunks"] += result.chunks
        on_event(result)
    totals["files"] = len(files)
    summary = Event("summary", counts=dict(totals))
    on_event(summary)
    return summary


def load_file(
    store: DocsStore,
    path: Path,
    limits: Limits,
    on_event: EventSink,
    *,
    source: str | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Event:
    """Ingest one file; reports progress to ``on_event`` and returns its ``result`` event
    (not reported: the caller decides)."""
    name = source or str(path.resolve())
    try:
        if suffix_of(path) in BULK_SUFFIXES:
            report = _load_bulk(store, path, name, limits, on_event, cancelled)
        else:
            parsed = parse_file(path, source=name, limits=limits)
            _check(cancelled, path)

            def progress(done: int, total: int) -> None:
                _check(cancelled, path)  # between embedding batches: nothing is written yet
                on_event(Event("progress", name=path.name, done=done, total=total, unit="chunk"))

            report = store.ingest(parsed, progress=progress)
    except IngestError as exc:
        return Event("result", name=path.name, status="failed", reason=exc.reason, detail=exc.detail)
    except NewsAssistantError as exc:  # the store refused this file; the others may still go in
        return Event("result", name=path.name, status="failed", reason="store error", detail=str(exc))
    return Event("result", name=path.name, status=report.status, articles=report.articles, chunks=report.chunks)


def _check(cancelled: Callable[[], bool], path: Path) -> None:
    if cancelled():
        raise IngestError(path.name, "cancelled")


def _load_bulk(
    store: DocsStore, path: Path, name: str, limits: Limits, on_event: EventSink, cancelled: Callable[[], bool]
) -> IngestReport:
    """A bulk file: hash and count its lines first (one quick streaming pass, so progress
    has a total and an ETA), then stream its articles into the store."""
    digest, lines = _hash_and_count(path)

    def articles() -> Iterator[Article]:
        for article in iter_bulk_articles(path, name, limits):
            _check(cancelled, path)  # the batches committed so far stay: the import resumes
            yield article

    def progress(seen: int, skipped: int) -> None:
        on_event(Event("progress", name=path.name, done=seen, total=lines, unit="article", articles=skipped))

    return store.ingest_bulk(name, digest, articles(), progress=progress)


def _hash_and_count(path: Path) -> tuple[str, int]:
    """SHA-256 of the file's bytes and its number of lines (after gunzip for .gz)."""
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            digest.update(block)
    lines = 0
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            lines += block.count(b"\n")
    return digest.hexdigest(), lines
