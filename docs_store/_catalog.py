"""The catalogue: one SQLite file that is the store's truth (sources, articles, chunks).

Chroma holds vectors and BM25 is rebuilt from the tokens kept here; a citation needs the
whole article, which only the catalogue has. This module owns the schema and the mapping
between rows and the plain dataclasses; it knows nothing about vectors.

The ``generation`` counter in ``meta`` goes up with every committed change, so derived
indexes know when they are stale. Every stored chunk row gets a ``seq`` from a counter that
never repeats (``next_seq`` in ``meta``; SQLite would reuse rowids after a delete), and every
removed row's ``seq`` is logged in ``removed`` with its generation, so the BM25 index can
follow small changes without a rebuild (``_bm25``). ``pending`` records a write that has
touched Chroma but not yet committed here (see ``_store``). A bulk source is ``partial``
until its last article is committed, so an interrupted import resumes.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ingest import Article, Chunk, Extraction, Paragraph

from ._entities import SCHEMA as ENTITY_SCHEMA
from ._entities import EntityIndex, EntitySummary, StoredFact, StoredMention
from ._errors import StoreError, translate_errors
from ._tokenize import tokenize
from ._types import SourceInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY, content_hash TEXT NOT NULL, ingested_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'complete');
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
CREATE INDEX IF NOT EXISTS chunks_seq ON chunks(seq);
CREATE TABLE IF NOT EXISTS removed (seq INTEGER NOT NULL, generation INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS removed_generation ON removed(generation);
"""
SourceStatus = Literal["complete", "partial"]
_ARTICLE_COLUMNS = "id, source, ref, title, kicker, byline, date, lead, origin, captions, paragraphs"
_CHUNK_SELECT = (
    "SELECT c.id, c.article_id, c.text, c.start, c.paragraph, c.sentences, a.title, a.byline,"
    " a.date, c.source, c.section, a.ref FROM chunks c JOIN articles a ON a.id = c.article_id"
)
_SQL_BATCH = 500
_TOKEN_SELECT = "SELECT c.seq, c.id, c.tokens, a.date FROM chunks c JOIN articles a ON a.id = c.article_id"


class TokenRow(NamedTuple):
    """What the BM25 index needs of a chunk: its ``seq``, id, space-joined tokens and the
    article's date as ``yyyymmdd`` (0 when undated)."""

    seq: int
    id: str
    tokens: str
    date: int


class Catalog:
    """The SQLite catalogue of one store directory.

    Writes go through one connection, serialised by ``lock``, inside :meth:`transaction`.
    Reads use a connection per thread: in WAL mode each sees the last committed state, so
    a reader never waits for a write in progress, nor sees half of one.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[tuple[int | None, sqlite3.Connection]] = []
        self._read_only = read_only
        if read_only:
            if not path.is_file():
                raise StoreError(f"no store at {path.parent} (no catalogue file)")
            self._db = self._connect()
            return
        with translate_errors(f"cannot open catalogue {path}"):
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            self._db.executescript(ENTITY_SCHEMA)
            self._upgrade()
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('epoch', ?)", (uuid.uuid4().hex,))

    def _upgrade(self) -> None:
        """Bring a catalogue written by an earlier version up to this schema."""
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(sources)")}
        if "status" not in columns:  # written before bulk imports could resume
            self._db.execute("ALTER TABLE sources ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'")
        if "seq" not in {r[1] for r in self._db.execute("PRAGMA table_info(removed)")}:
            self._db.execute("DROP TABLE removed")  # logged ids, not seqs: rebuilt below, BM25 rebuilds
            self._db.executescript(_SCHEMA)
        if self._db.execute("SELECT 1 FROM meta WHERE key='next_seq'").fetchone() is None:
            self._db.execute("UPDATE chunks SET seq = rowid")  # per-source seqs before: make them unique
            top = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM chunks").fetchone()[0]
            self._db.execute("INSERT INTO meta VALUES ('next_seq', ?)", (str(int(top) + 1),))

    def close(self) -> None:
        with self.lock, contextlib.suppress(sqlite3.Error):
            self._db.close()
            for _, reader in self._readers:
                reader.close()
            self._readers.clear()

    # ------------------------------------------------------------------ plumbing

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with translate_errors(f"cannot read catalogue {self.path}"):
            return self._reader().execute(sql, params).fetchall()

    def _connect(self) -> sqlite3.Connection:
        if self._read_only:  # never takes a lock a writer could wait for, never creates anything
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, timeout=30)
        return sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)

    def _reader(self) -> sqlite3.Connection:
        """This thread's read connection. Threads come and go (a web server's workers, one per
        upload): connections of threads that have ended are closed when a new one opens."""
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._connect()
            with self.lock:
                alive = {t.ident for t in threading.enumerate()}
                for _ident, old in [r for r in self._readers if r[0] not in alive]:
                    with contextlib.suppress(sqlite3.Error):
                        old.close()
                self._readers = [r for r in self._readers if r[0] in alive]
                self._readers.append((threading.get_ident(), reader))
            self._local.reader = reader
        return reader

    def _in_batches(self, sql: str, ids: Iterable[Any], *, writer: bool = False) -> list[tuple]:
        """``sql`` with its ``{marks}`` filled for each batch of ``ids`` (SQLite caps parameters)."""
        values = list(ids)
        rows: list[tuple] = []
        for i in range(0, len(values), _SQL_BATCH):
            part = values[i : i + _SQL_BATCH]
            statement = sql.format(marks=",".join("?" * len(part)))
            if writer:
                self._db.execute(statement, part)
            else:
                rows += self.query(statement, part)
        return rows

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
                with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
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
            """SELECT s.source, s.content_hash, s.ingested_at, s.status,
                  (SELECT COUNT(*) FROM articles a WHERE a.source = s.source),
                  (SELECT COUNT(*) FROM chunks c WHERE c.source = s.source),
                  (SELECT MIN(NULLIF(date, '')) FROM articles a WHERE a.source = s.source),
                  (SELECT MAX(NULLIF(date, '')) FROM articles a WHERE a.source = s.source)
           FROM sources s ORDER BY s.source"""
        )
        return [SourceInfo(r[0], r[4], r[5], r[6] or "", r[7] or "", r[2], r[1], r[3]) for r in rows]

    def source_names(self) -> list[str]:
        return [r[0] for r in self.query("SELECT source FROM sources")]

    def source_hash(self, source: str) -> str | None:
        """The content hash of a completely stored source (None: absent or partial)."""
        rows = self.query("SELECT content_hash, status FROM sources WHERE source=?", (source,))
        return rows[0][0] if rows and rows[0][1] == "complete" else None

    def source_state(self, source: str) -> tuple[str, SourceStatus] | None:
        rows = self.query("SELECT content_hash, status FROM sources WHERE source=?", (source,))
        return (rows[0][0], rows[0][1]) if rows else None

    def article_ids(self, source: str) -> set[str]:
        return {r[0] for r in self.query("SELECT id FROM articles WHERE source=?", (source,))}

    def present_articles(self, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` are stored."""
        return {r[0] for r in self._in_batches("SELECT id FROM articles WHERE id IN ({marks})", article_ids)}

    def chunk_ids_of_articles(self, article_ids: Iterable[str]) -> list[str]:
        return [r[0] for r in self._in_batches("SELECT id FROM chunks WHERE article_id IN ({marks})", article_ids)]

    def chunk_ids(self, source: str | None = None) -> set[str]:
        if source is None:
            return {r[0] for r in self.query("SELECT id FROM chunks")}
        return {r[0] for r in self.query("SELECT id FROM chunks WHERE source=?", (source,))}

    def chunks_by_id(self, ids: Iterable[str]) -> dict[str, Chunk]:
        rows = self._in_batches(_CHUNK_SELECT + " WHERE c.id IN ({marks})", ids)
        return {r[0]: _chunk_from_row(r) for r in rows}

    def chunk_at(self, article_id: str, offset: int) -> Chunk | None:
        """The chunk of an article that starts at or before ``offset``, nearest first."""
        rows = self.query(
            f"{_CHUNK_SELECT} WHERE c.article_id=? AND c.start<=? ORDER BY c.start DESC LIMIT 1", (article_id, offset)
        )
        return _chunk_from_row(rows[0]) if rows else None

    def article(self, article_id: str) -> Article | None:
        rows = self.query(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id=?", (article_id,))
        return _article_from_row(rows[0]) if rows else None

    def articles(self, source: str | None = None) -> list[Article]:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        rows = self.query(sql + " WHERE source=?", (source,)) if source else self.query(sql)
        return [_article_from_row(r) for r in rows]

    def date_coverage(self) -> tuple[str, str, int, int]:
        """``(first date, last date, undated articles, articles)``: what a refusal says about
        the dates the store can answer for."""
        first, last, undated, total = self.query(
            "SELECT MIN(NULLIF(date, '')), MAX(NULLIF(date, '')),"
            " COALESCE(SUM(date IS NULL OR date = ''), 0), COUNT(*) FROM articles"
        )[0]
        return first or "", last or "", int(undated), int(total)

    def article_facts(self, article_id: str, limit: int = 20) -> list[tuple[str, StoredFact]]:
        """The facts one article states, each with its entity's name (for suggested questions)."""
        with translate_errors(f"cannot read catalogue {self.path}"):
            return EntityIndex.article_facts(self._reader(), article_id, limit)

    def entity_summaries(
        self, *, kind: str | None = None, region: str | None = None, query: str | None = None, limit: int = 200
    ) -> list[EntitySummary]:
        with translate_errors(f"cannot read catalogue {self.path}"):
            return EntityIndex.summaries(self._reader(), kind=kind, region=region, query=query, limit=limit)

    def find_entity(self, name: str) -> EntitySummary | None:
        with translate_errors(f"cannot read catalogue {self.path}"):
            return EntityIndex.find(self._reader(), name)

    def entity_names(self, key: str) -> list[str]:
        with translate_errors(f"cannot read catalogue {self.path}"):
            return EntityIndex.names(self._reader(), key)

    def entity_mentions(self, key: str) -> list[StoredMention]:
        with translate_errors(f"cannot read catalogue {self.path}"):
            return EntityIndex.mentions(self._reader(), key)

    def entity_facts(
        self, *, key: str | None = None, attribute: str | None = None, minimum: float | None = None, limit: int = 500
    ) -> list[StoredFact]:
        with translate_errors(f"cannot read catalogue {self.path}"):
            return EntityIndex.facts(self._reader(), key=key, attribute=attribute, minimum=minimum, limit=limit)

    def reindex_entities(self, extract: Callable[[Article], Extraction]) -> int:
        """Extract the entities of every stored article again (inside a transaction)."""
        articles = self.articles()
        EntityIndex.remove(self._db, [a.id for a in articles])
        EntityIndex.add(self._db, articles, [extract(a) for a in articles])
        return len(articles)

    def token_rows(self, after_seq: int = 0) -> list[TokenRow]:
        """The chunks stored after ``after_seq`` (all by default), in the order they were stored."""
        rows = self.query(f"{_TOKEN_SELECT} WHERE c.seq > ? ORDER BY c.seq", (after_seq,))
        return [TokenRow(r[0], r[1], r[2], _date_number(r[3])) for r in rows]

    def iter_token_rows(self, batch: int = 5000) -> Iterator[TokenRow]:
        """Every chunk's :class:`TokenRow`, streamed from one consistent snapshot."""
        with translate_errors(f"cannot read catalogue {self.path}"):
            reader = self._connect()
            try:
                reader.execute("BEGIN")
                cursor = reader.execute(f"{_TOKEN_SELECT} ORDER BY c.seq")
                while rows := cursor.fetchmany(batch):
                    yield from (TokenRow(r[0], r[1], r[2], _date_number(r[3])) for r in rows)
            finally:
                reader.close()

    def removed_since(self, generation: int) -> set[int]:
        """``seq`` of the chunk rows removed by changes committed after ``generation``."""
        return {r[0] for r in self.query("SELECT seq FROM removed WHERE generation > ?", (generation,))}

    def forget_removed(self, up_to_generation: int) -> None:
        """Drop removal records an index built at ``up_to_generation`` no longer needs."""
        self.execute("DELETE FROM removed WHERE generation <= ?", (up_to_generation,))

    # ------------------------------------------------------------------ writing (inside transaction())

    def replace_source(
        self,
        source: str,
        content_hash: str,
        articles: Sequence[Article],
        chunks: Sequence[Chunk],
        extractions: Sequence[Extraction],
    ) -> None:
        """Make ``source`` hold exactly these articles, chunks and entities. Unchanged chunks
        keep their rows, so the search indexes only see what really changed."""
        stored = self.chunk_ids(source)
        keep = {c.id for c in chunks}
        self.remove_chunks(sorted(stored - keep))
        self._forget_articles(sorted(self.article_ids(source)))
        self.add_articles(articles, [c for c in chunks if c.id not in stored], extractions)
        self.set_source(source, content_hash, "complete")

    def add_articles(
        self, articles: Sequence[Article], chunks: Sequence[Chunk], extractions: Sequence[Extraction]
    ) -> None:
        """Store articles with their chunks and the entities extracted from them."""
        unique = {a.id: (a, x) for a, x in zip(articles, extractions, strict=True)}
        EntityIndex.add(self._db, [a for a, _ in unique.values()], [x for _, x in unique.values()])
        self._db.executemany(
            f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [_article_row(a) for a in {a.id: a for a in articles}.values()],
        )
        seq = int(self._db.execute("SELECT value FROM meta WHERE key='next_seq'").fetchone()[0])
        self.remove_chunks([c.id for c in chunks])  # a chunk stored again gets a new seq
        self._db.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)", [_chunk_row(c, seq + i) for i, c in enumerate(chunks)]
        )
        self._db.execute("UPDATE meta SET value=? WHERE key='next_seq'", (str(seq + len(chunks)),))

    def set_source(self, source: str, content_hash: str, status: SourceStatus) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._db.execute(
            "INSERT OR REPLACE INTO sources (source, content_hash, ingested_at, status) VALUES (?,?,?,?)",
            (source, content_hash, now, status),
        )

    def remove_chunks(self, ids: Sequence[str]) -> None:
        """Delete chunk rows and log their ``seq`` for the BM25 index (inside a transaction,
        which then commits as the next generation)."""
        generation = int(self._db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0]) + 1
        for i in range(0, len(ids), _SQL_BATCH):
            part = list(ids[i : i + _SQL_BATCH])
            marks = ",".join("?" * len(part))
            seqs = [r[0] for r in self._db.execute(f"SELECT seq FROM chunks WHERE id IN ({marks})", part)]
            self._db.execute(f"DELETE FROM chunks WHERE id IN ({marks})", part)
            self._db.executemany("INSERT INTO removed VALUES (?, ?)", [(seq, generation) for seq in seqs])

    def remove_articles(self, article_ids: Sequence[str]) -> None:
        """Articles with their chunks and entities (inside a transaction)."""
        self.remove_chunks(self.chunk_ids_of_articles(article_ids))
        self._forget_articles(article_ids)

    def _forget_articles(self, article_ids: Sequence[str]) -> None:
        """The article rows and their entities, not their chunks."""
        EntityIndex.remove(self._db, article_ids)
        self._in_batches("DELETE FROM articles WHERE id IN ({marks})", article_ids, writer=True)

    def delete_source_rows(self, source: str) -> None:
        self.remove_articles(sorted(self.article_ids(source)))
        self.remove_chunks(sorted(self.chunk_ids(source)))  # none left, unless an article row went missing
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


def _date_number(date: str | None) -> int:
    digits = (date or "").replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0
