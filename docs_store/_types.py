"""Plain data the store hands out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ingest import Chunk

IngestStatus = Literal["added", "unchanged", "replaced"]


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk. ``score`` is the fused score; the per-retriever ranks (1-based)
    and raw scores say which retriever found it (None: not in that retriever's list)."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None
    bm25_score: float | None = None


@dataclass(frozen=True)
class SourceInfo:
    source: str
    articles: int
    chunks: int
    first_date: str
    last_date: str
    ingested_at: str
    content_hash: str
    status: str = "complete"
    """``partial`` while a bulk import has not finished (run it again to resume)."""


@dataclass(frozen=True)
class IngestReport:
    source: str
    status: IngestStatus
    articles: int
    chunks: int
    added_chunks: int = 0
    removed_chunks: int = 0
