"""The catalogue: one SQLite file that is the store's truth (sources, articles, chunks).

Chroma holds vectors and BM25 is rebuilt from the tokens kept here; a citation needs the
whole article, which only the catalogue has. This module owns the schema and the mapping
between rows and the plain dataclasses; it knows nothing about vectors.

The ``generation`` counter in ``meta`` goes up with every committed change, so derived
indexes (the BM25 cache) know when they are stale. ``pending`` records a write that has
touched Chroma but not yet committed here (see ``_store``).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest import Article, Chunk, Paragraph

from ._errors import translate_errors
from ._tokenize import tokenize
from ._types import SourceInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY, content_hash TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, ref TEXT, title TEXT, kicker TEXT, byline TEXT,
    date TEXT, lead TEXT, origin TEXT, captions TEXT, paragraphs TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, source TEXT NOT NULL, paragraph INTEGER,
    start INTEGER, text TEXT NOT NULL, sentences TEXT NOT NULL, section TEXT, tokens TEXT NOT NULL,
    seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
"""
_ARTICLE_COLUMNS = "id, source, ref, title, kicker, byline, date, lead, origin, captions, paragraphs"
_CHUNK_SELECT = (
    "SELECT c.id, c.article_id, c.text, c.start, c.paragraph, c.sentences, a.title, a.byline,"
    " a.date, c.source, c.section, a.ref FROM chunks c JOIN articles a ON a.id = c.article_id"
)
_SQL_BATCH = 500


class Catalog:
    """The SQLite catalogue of one store directory.

    One connection is shared by the threads of a process (the app serves several requests
    at once); ``lock`` serialises its use. Writes happen inside :meth:`transaction`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        with translate_errors(f"cannot open catalogue {path}"):
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")

    def close(self) -> None:
        with self.lock, contextlib.suppress(sqlite3.Error):
            self._db.close()

    # ------------------------------------------------------------------ plumbing

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.lock, translate_errors(f"cannot read catalogue {self.path}"):
            return self._db.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.lock, translate_errors(f"cannot write catalogue {self.path}"):
            self._db.execute(sql, params)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together, and bump the generation; an exception
        (or Ctrl-C) rolls them back."""
        with self.lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key=?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.execute("DELETE FROM meta WHERE key=?", (key,))
        else:
            self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return self.query("SELECT COUNT(*) FROM chunks")[0][0]

    def sources(self) -> list[SourceInfo]:
        rows = self.query(
            """SELECT s.source, s.content_hash, s.ingested_at,
                  (SELECT COUNT(*) FROM articles a WHERE a.source = s.source),
                  (SELECT COUNT(*) FROM chunks c WHERE c.source = s.source),
                  (SELECT MIN(NULLIF(date, '')) FROM articles a WHERE a.source = s.source),
                  (SELECT MAX(NULLIF(date, '')) FROM articles a WHERE a.source = s.source)
           FROM sources s ORDER BY s.source"""
        )
        return [SourceInfo(r[0], r[3], r[4], r[5] or "", r[6] or "", r[2], r[1]) for r in rows]

    def source_names(self) -> list[str]:
        return [r[0] for r in self.query("SELECT source FROM sources")]

    def source_hash(self, source: str) -> str | None:
        rows = self.query("SELECT content_hash FROM sources WHERE source=?", (source,))
        return rows[0][0] if rows else None

    def chunk_ids(self, source: str | None = None) -> set[str]:
        if source is None:
            return {r[0] for r in self.query("SELECT id FROM chunks")}
        return {r[0] for r in self.query("SELECT id FROM chunks WHERE source=?", (source,))}

    def chunks_by_id(self, ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(ids)
        found: dict[str, Chunk] = {}
        for i in range(0, len(ids), _SQL_BATCH):
            part = ids[i : i + _SQL_BATCH]
            marks = ",".join("?" * len(part))
            for r in self.query(f"{_CHUNK_SELECT} WHERE c.id IN ({marks})", part):
                found[r[0]] = _chunk_from_row(r)
        return found

    def article(self, article_id: str) -> Article | None:
        rows = self.query(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id=?", (article_id,))
        return _article_from_row(rows[0]) if rows else None

    def articles(self, source: str | None = None) -> list[Article]:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        rows = self.query(sql + " WHERE source=?", (source,)) if source else self.query(sql)
        return [_article_from_row(r) for r in rows]

    def token_rows(self) -> list[tuple[str, str]]:
        """``(chunk id, space-joined BM25 tokens)`` for every chunk, in a stable order."""
        return [(r[0], r[1]) for r in self.query("SELECT id, tokens FROM chunks ORDER BY source, seq")]

    # ------------------------------------------------------------------ writing (inside transaction())

    def replace_source(
        self, source: str, content_hash: str, articles: Sequence[Article], chunks: Sequence[Chunk]
    ) -> None:
        """Make ``source`` hold exactly these articles and chunks."""
        self.delete_source_rows(source)
        self._db.executemany(
            f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [_article_row(a) for a in {a.id: a for a in articles}.values()],
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)",
            [_chunk_row(c, seq) for seq, c in enumerate(chunks)],
        )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._db.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?)", (source, content_hash, now))

    def delete_source_rows(self, source: str) -> None:
        self._db.execute("DELETE FROM chunks WHERE source=?", (source,))
        self._db.execute("DELETE FROM articles WHERE source=?", (source,))
        self._db.execute("DELETE FROM sources WHERE source=?", (source,))


def _article_row(a: Article) -> tuple:
    paragraphs = [[p.index, p.text, p.start, [list(s) for s in p.sentences], p.kind] for p in a.paragraphs]
    captions = json.dumps(list(a.captions), ensure_ascii=False)
    return (a.id, a.source, a.ref, a.title, a.kicker, a.byline, a.date, a.lead, a.origin, captions,
            json.dumps(paragraphs, ensure_ascii=False))  # fmt: skip


def _article_from_row(r: tuple) -> Article:
    paragraphs = tuple(
        Paragraph(i, text, start, tuple((s, e) for s, e in spans), kind)
        for i, text, start, spans, kind in json.loads(r[10])
    )
    return Article(
        id=r[0],
        source=r[1],
        ref=r[2] or "",
        title=r[3] or "",
        kicker=r[4] or "",
        byline=r[5] or "",
        date=r[6] or "",
        lead=r[7] or "",
        origin=r[8] or "",
        captions=tuple(json.loads(r[9] or "[]")),
        paragraphs=paragraphs,
    )


def _chunk_row(c: Chunk, seq: int) -> tuple:
    tokens = " ".join(tokenize(c.index_text))
    sentences = json.dumps([list(s) for s in c.sentences])
    return (c.id, c.article_id, c.source, c.paragraph, c.start, c.text, sentences, c.section, tokens, seq)


def _chunk_from_row(r: tuple) -> Chunk:
    spans = tuple((s, e) for s, e in json.loads(r[5]))
    return Chunk(r[0], r[1], r[2], r[3], r[4], spans, r[6], r[7], r[8], r[9], r[10], r[11])
