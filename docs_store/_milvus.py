"""The Milvus backend: the whole store in Milvus collections, shared by any number of processes.

``MILVUS_URI`` names it: a local path runs milvus-lite in-process, ``http://host:19530``
(or ``milvus-lite server``) a Milvus server or cluster that many processes on many machines
share, with no local lock. Four collections, named ``{MILVUS_STORE}_…``:

    chunks    text, dense vector, BM25 over our tokens, article id, source, date, offsets
    articles  one row per article (its fields as JSON, its entity rows), the commit record
              of its chunks: a chunk whose article row is absent is invisible, and is
              removed by the next recovery
    sources   content hash, status (``complete`` / ``partial``), time of ingest
    meta      model id, backend, generation, and the write journals of each writer

BM25 runs inside Milvus over the tokens our own tokenizer gives (``_tokenize``: bigrams of
folded text, the same for Traditional and full-width): each token is sent as a short hash
word that Milvus's standard analyzer keeps whole, so its BM25 ranks what the local store
ranks. The dense and BM25 lists are fused here as for the local store (``_fusion``).

Milvus has no transactions: :meth:`MilvusCatalog.transaction` buffers the catalogue's
writes and applies them in two journalled phases (article rows; then deletions, source
rows and settings), so a writer killed at any point is rolled back or forward by the next
recovery of its journal (its own next open, or any process once it is stale).

The entity views (``entity_summaries`` …) are computed per process from the entity rows
kept in the article rows, mirrored in an in-memory SQLite and refreshed whenever the
store's generation moves.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ingest import Article, Chunk, Extraction, fold

from ._catalog import SourceStatus, _article_from_row, _article_row
from ._embeddings import EmbeddingModel
from ._entities import SCHEMA as ENTITY_SCHEMA
from ._entities import EntityIndex, EntitySummary, StoredFact, StoredMention
from ._errors import StoreError, translate_errors
from ._fusion import Ranked
from ._tokenize import tokenize
from ._types import SourceInfo
from ._vectors import date_number

DEFAULT_STORE = "news"
BATCH = 256
"""Rows per Milvus request (article rows are large: their paragraphs travel whole)."""
FLUSH_EVERY = 512
"""milvus-lite: chunk rows written before the chunks collection is flushed (see ``flush``)."""
ID_BATCH = 1000
"""Ids per ``id in [...]`` filter."""
SCAN_BATCH = 4000
LEASE_S = 600.0
"""A journal older than this, of a writer on another machine, is taken as abandoned."""
CANDIDATES = 4
"""BM25: Milvus's best ``CANDIDATES × n`` matches are scored here (at least 50)."""
STATS_EVERY_S = 30.0
COUNT_AT_ONCE = 5000
"""BM25 statistics are counted again at most every ``STATS_EVERY_S`` after the store changed,
in the background; a store of fewer than ``COUNT_AT_ONCE`` chunks is counted at once."""
SEARCH_EF = 1000
"""HNSW candidate list per query, as for the local store (``_vectors.SEARCH_EF``)."""
K1, B = 1.5, 0.75
"""BM25 constants of the local store (``_bm25``), so both rank alike."""
_DUMMY = [0.0, 0.0]
"""Milvus wants a vector field in every collection; the non-chunk ones carry this."""
_TEXT_MAX = 65535
logger = logging.getLogger(__name__)
_CHUNK_FIELDS = ["id", "article_id", "source", "paragraph", "start", "text", "sentences", "section", "date"]
_ARTICLE_LIGHT = ["id", "title", "byline", "date", "ref"]


def milvus_client(uri: str, token: str | None = None) -> Any:
    """A pymilvus client for ``uri``; a clear error when the extra is not installed."""
    saved = os.environ.pop("MILVUS_URI", None)  # pymilvus parses it at import, and refuses a file path
    # gRPC's core logs a reconnect after an idle keep-alive ("too_many_pings") as an error line;
    # real failures still reach us as exceptions
    os.environ.setdefault("GRPC_VERBOSITY", "NONE")
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise StoreError(
            "MILVUS_URI is set but pymilvus is not installed: pip install '.[milvus]'"
            " (milvus-lite for a local file or a test server)"
        ) from None
    finally:
        if saved is not None:
            os.environ["MILVUS_URI"] = saved
    with translate_errors(f"cannot reach Milvus at {uri}"):
        if "://" not in uri:  # a local milvus-lite store: its folder may not exist yet
            Path(uri).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        client = MilvusClient(uri=uri, token=token or "")
    if "://" not in uri:
        with _LOCAL_LOCK:
            _LOCAL_USERS[os.path.abspath(uri)] = _LOCAL_USERS.get(os.path.abspath(uri), 0) + 1
    return client


_LOCAL_LOCK = threading.Lock()
_LOCAL_USERS: dict[str, int] = {}
"""Open connections per local milvus-lite path in this process."""


def _release_local(uri: str) -> None:
    """milvus-lite runs one in-process server per local path and holds the folder's lock
    until it stops; stop it when this process's last connection to it closes, so another
    process (or a reopen) can take the folder."""
    path = os.path.abspath(uri)
    with _LOCAL_LOCK:
        _LOCAL_USERS[path] = _LOCAL_USERS.get(path, 1) - 1
        if _LOCAL_USERS[path] > 0:
            return
        del _LOCAL_USERS[path]
    with contextlib.suppress(Exception):
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(uri)


def _quiet_pymilvus() -> None:
    """pymilvus logs every failed call, and a warning per paged query, before it raises;
    its errors reach us as exceptions, with our message."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("pymilvus"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    # milvus-lite's in-process server logs a traceback for each paged query (it lacks
    # AllocTimestamp, and pymilvus falls back to a client timestamp)
    logging.getLogger("grpc._server").setLevel(logging.CRITICAL)


def _quote(text: str) -> str:
    """A Milvus string literal (JSON's escaping is what Milvus's parser reads)."""
    return json.dumps(text, ensure_ascii=False)


def _in(field_name: str, values: Sequence[str]) -> str:
    return f"{field_name} in [{','.join(_quote(v) for v in values)}]"


def token_word(token: str) -> str:
    """One of our BM25 tokens as a word Milvus's standard analyzer keeps whole."""
    return "t" + hashlib.blake2b(token.encode(), digest_size=6).hexdigest()


def date_filter(days: tuple[int, int] | None, undated: bool) -> str:
    if days is None:
        return ""
    expression = f"(date >= {days[0]} and date <= {days[1]})"
    return f"({expression} or date == 0)" if undated else expression


class MilvusConnection:
    """The client and the four collections of one Milvus store (created when missing)."""

    def __init__(self, uri: str, *, name: str = DEFAULT_STORE, dim: int | None, token: str | None = None) -> None:
        self.uri = uri
        self.name = name
        self.client = milvus_client(uri, token)
        _quiet_pymilvus()
        self.lock = threading.RLock()  # milvus-lite's in-process engine is not re-entrant
        self.chunks, self.articles, self.sources, self.meta = (
            f"{name}_{n}" for n in ("chunks", "articles", "sources", "meta")
        )
        with translate_errors(f"cannot open the Milvus store {name!r} at {uri}"):
            existing = set(self.client.list_collections())
            self.exists = self.meta in existing
            self._load(existing)
            self.lite = str(self.client.get_server_version()).startswith("milvus_lite")
            if dim is None:  # only reading: create nothing
                return
            if self.chunks not in existing:
                self._create_chunks(dim)
            for collection, fields in (
                (self.articles, [("source", 2048), ("date", 16), ("title", 4096), ("byline", 1024), ("ref", 2048)]),
                (self.sources, [("content_hash", 128), ("ingested_at", 64), ("status", 16)]),
                (self.meta, []),
            ):
                if collection not in existing:
                    self._create_plain(collection, fields, json_doc=collection != self.sources)
            self.exists = True
        self.flush(self.chunks)  # what a stopped process left in milvus-lite's memtable
        self.flush(self.articles)

    def _load(self, existing: set[str]) -> None:
        """Collections made by another process start released; searching needs them loaded."""
        for collection in (self.chunks, self.articles, self.sources, self.meta):
            if collection in existing and str(self.client.get_load_state(collection).get("state")) != "Loaded":
                self.client.load_collection(collection)

    def _create_chunks(self, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=512)
        schema.add_field("article_id", DataType.VARCHAR, max_length=128)
        schema.add_field("source", DataType.VARCHAR, max_length=2048)
        schema.add_field("paragraph", DataType.INT64)
        schema.add_field("start", DataType.INT64)
        schema.add_field("date", DataType.INT64)
        schema.add_field("text", DataType.VARCHAR, max_length=_TEXT_MAX)
        schema.add_field("sentences", DataType.VARCHAR, max_length=_TEXT_MAX)
        schema.add_field("section", DataType.VARCHAR, max_length=4096)
        schema.add_field(
            "words", DataType.VARCHAR, max_length=_TEXT_MAX, enable_analyzer=True, enable_match=True,
            analyzer_params={"tokenizer": "standard"},
        )  # fmt: skip
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_function(
            Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["words"],
                     output_field_names=["sparse"])
        )  # fmt: skip
        index = self.client.prepare_index_params()
        index.add_index("dense", index_type="HNSW", metric_type="COSINE", params={"M": 16, "efConstruction": 200})
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                        params={"bm25_k1": K1, "bm25_b": B})  # fmt: skip
        self.client.create_collection(self.chunks, schema=schema, index_params=index, consistency_level="Strong")

    def _create_plain(self, collection: str, fields: list[tuple[str, int]], *, json_doc: bool) -> None:
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=2048)
        for name, length in fields:
            schema.add_field(name, DataType.VARCHAR, max_length=length)
        if json_doc:
            schema.add_field("doc", DataType.JSON)
            schema.add_field("stamp", DataType.INT64)
        schema.add_field("v", DataType.FLOAT_VECTOR, dim=len(_DUMMY))
        index = self.client.prepare_index_params()
        index.add_index("v", index_type="FLAT", metric_type="L2")
        self.client.create_collection(collection, schema=schema, index_params=index, consistency_level="Strong")

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        with self.lock, translate_errors(f"Milvus {method} failed ({self.uri})"):
            return getattr(self.client, method)(*args, **kwargs)

    def query(self, collection: str, expression: str, fields: list[str], limit: int | None = None) -> list[dict]:
        """Every row matching ``expression`` (paged: Milvus caps one query's window)."""
        if limit is not None:
            return list(self.call("query", collection, filter=expression, output_fields=fields, limit=limit))
        rows: list[dict] = []
        with self.lock, translate_errors(f"Milvus query failed ({self.uri})"):
            iterator = self.client.query_iterator(
                collection, batch_size=SCAN_BATCH, filter=expression, output_fields=fields
            )
            try:
                while batch := iterator.next():
                    rows.extend(batch)
            finally:
                iterator.close()
        return rows

    def by_ids(self, collection: str, key: str, ids: Iterable[str], fields: list[str]) -> list[dict]:
        wanted = sorted(set(ids))
        rows: list[dict] = []
        for i in range(0, len(wanted), ID_BATCH):
            part = wanted[i : i + ID_BATCH]
            rows += self.call("query", collection, filter=_in(key, part), output_fields=fields, limit=len(part))
        return rows

    def count(self, collection: str, expression: str = "") -> int:
        rows = self.call("query", collection, filter=expression, output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def delete_ids(
        self, collection: str, key: str, ids: Sequence[str], on_batch: Callable[[], None] | None = None
    ) -> None:
        for i in range(0, len(ids), ID_BATCH):
            self.call("delete", collection, filter=_in(key, list(ids[i : i + ID_BATCH])))
            if on_batch is not None:
                on_batch()

    def flush(self, collection: str) -> None:
        """Seal what was written into indexed segments. milvus-lite searches rows still in its
        memtable (up to 128 MB) by rebuilding a BM25 index for them per query, in Python: 2,000
        unflushed chunks cost seconds a search. A Milvus server seals segments itself."""
        if self.lite:
            self.call("flush", collection)

    def drop(self) -> None:
        """Remove every collection of this store (tests and ``--migrate`` back)."""
        for collection in (self.chunks, self.articles, self.sources, self.meta):
            with contextlib.suppress(Exception):
                self.call("drop_collection", collection)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if "://" not in self.uri:
            _release_local(self.uri)


# ---------------------------------------------------------------------- vectors and BM25


class MilvusVectors:
    """The dense side, and the chunk rows themselves (text, offsets, date, BM25 words)."""

    def __init__(self, connection: MilvusConnection, embedding: EmbeddingModel) -> None:
        self._m = connection
        self._embedding = embedding
        self._unflushed = 0

    def close(self) -> None:
        return None

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray, on_batch: Callable[[], None] = lambda: None) -> None:
        for i in range(0, len(chunks), BATCH):
            rows = [_chunk_row(c, vectors[i + j]) for j, c in enumerate(chunks[i : i + BATCH])]
            self._m.call("upsert", self._m.chunks, rows)
            on_batch()
        self._unflushed += len(chunks)
        if self._unflushed >= FLUSH_EVERY:
            self._m.flush(self._m.chunks)
            self._unflushed = 0

    def retag(self, chunks: Sequence[Chunk]) -> None:
        rows = [{"id": c.id, "date": date_number(c.date)} for c in chunks]
        for i in range(0, len(rows), BATCH):
            self._m.call("upsert", self._m.chunks, rows[i : i + BATCH], partial_update=True)

    def delete(self, ids: Sequence[str], on_batch: Callable[[], None] = lambda: None) -> None:
        self._m.delete_ids(self._m.chunks, "id", ids, on_batch)

    def present(self, ids: Iterable[str]) -> set[str]:
        return {r["id"] for r in self._m.by_ids(self._m.chunks, "id", ids, ["id"])}

    def reset(self) -> None:
        """Nothing to drop: in Milvus the chunk rows are the catalogue's too, and a rebuild
        overwrites each row's vector in place."""
        return None

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        rows = self._m.by_ids(self._m.chunks, "id", ids, ["id", "dense"])
        return {r["id"]: np.asarray(r["dense"], dtype=np.float32) for r in rows}

    def ids(self) -> set[str]:
        return {r["id"] for r in self._m.query(self._m.chunks, "", ["id"])}

    def search(self, query: str, n: int, days: tuple[int, int] | None = None, undated: bool = False) -> Ranked:
        vector = self._embedding.embeddings.embed_query(fold(query))
        found = self._m.call(
            "search", self._m.chunks, data=[list(map(float, vector))], anns_field="dense", limit=n,
            filter=date_filter(days, undated), output_fields=["id"],
            search_params={"metric_type": "COSINE", "params": {"ef": max(SEARCH_EF, n)}},
        )  # fmt: skip
        return [(hit["id"], float(hit["distance"])) for hit in found[0]]


@dataclass(frozen=True)
class _TermStats:
    """What BM25 needs of the whole collection: chunks, their mean length, and how many
    chunks hold each word (``token_word``)."""

    chunks: int
    mean_length: float
    df: dict[str, int]


class MilvusBM25:
    """BM25 over our tokens: Milvus finds the candidates, they are scored here with the
    collection's statistics (see the module docstring and :meth:`search`)."""

    def __init__(self, connection: MilvusConnection, catalog: MilvusCatalog) -> None:
        self._m = connection
        self._catalog = catalog
        self._stats: _TermStats | None = None
        self._stats_generation = -1
        self._stats_at = 0.0
        self._stats_lock = threading.Lock()
        self._building = False

    def search(self, tokens: list[str], n: int, dates: tuple[int, int] | None = None, undated: bool = False) -> Ranked:
        """Top ``n`` by Lucene BM25 (``K1``, ``B``, the local store's formula) computed from
        this collection's statistics, over Milvus's best ``CANDIDATES × n`` BM25 matches.
        Milvus ranks the candidates; the scores are ours because milvus-lite scores each
        segment, and its unflushed rows, with that part's own statistics alone, so a new
        article could rank below an old one that matches worse."""
        if not tokens:
            return []
        query = [token_word(t) for t in tokens]
        found = self._m.call(
            "search", self._m.chunks, data=[" ".join(query)], anns_field="sparse", limit=max(n * CANDIDATES, 50),
            filter=date_filter(dates, undated), output_fields=["id", "words"], search_params={"metric_type": "BM25"},
        )  # fmt: skip
        stats = self._term_stats()
        scored = []
        for hit in found[0]:
            words = hit["entity"]["words"].split()
            score = _bm25(query, words, stats)
            if score > 0:
                scored.append((hit["id"], score))
        return sorted(scored, key=lambda item: item[1], reverse=True)[:n]

    def idf(self, tokens: Iterable[str]) -> dict[str, float]:
        """As ``BM25Index.idf``, from the collection's statistics."""
        stats = self._term_stats()
        return {t: float(np.log((stats.chunks + 1) / (stats.df.get(token_word(t), 0) + 0.5))) for t in set(tokens)}

    def _term_stats(self) -> _TermStats:
        """The statistics, counted once per process and again, in the background, when the
        store has changed (at most every ``STATS_EVERY_S``; a question meanwhile uses the
        previous counts, which differ by the few chunks written since)."""
        generation = self._catalog.generation
        with self._stats_lock:
            stats = self._stats
            if stats is not None and generation != self._stats_generation and stats.chunks < COUNT_AT_ONCE:
                stats = None  # small: counted again right now (milliseconds)
            stale = generation != self._stats_generation and time.monotonic() - self._stats_at > STATS_EVERY_S
            if stats is not None and stale and not self._building:
                self._building = True
                threading.Thread(target=self._rebuild, args=(generation,), daemon=True).start()
        if stats is None:
            stats = self._count()
            with self._stats_lock:
                self._stats, self._stats_generation, self._stats_at = stats, generation, time.monotonic()
        return stats

    def _rebuild(self, generation: int) -> None:
        try:
            stats = self._count()
            with self._stats_lock:
                self._stats, self._stats_generation, self._stats_at = stats, generation, time.monotonic()
        except Exception:  # the previous counts keep serving; the next question tries again
            logger.warning("could not count the BM25 statistics of %s", self._m.chunks, exc_info=True)
        finally:
            self._building = False

    def _count(self) -> _TermStats:
        df: Counter[str] = Counter()
        chunks = length = 0
        for row in self._m.query(self._m.chunks, "", ["words"]):
            words = row["words"].split()
            chunks += 1
            length += len(words)
            df.update(set(words))
        return _TermStats(chunks, length / chunks if chunks else 1.0, dict(df))

    def prepare(self) -> None:
        """End of a bulk import, start of the app: seal the rows written since the last flush,
        and count the statistics now rather than at the first question."""
        self._m.flush(self._m.chunks)
        self._m.flush(self._m.articles)
        self._stats = None
        self._term_stats()


def _bm25(query: Sequence[str], words: Sequence[str], stats: _TermStats) -> float:
    """Lucene BM25 of one chunk, as bm25s computes it for the local store."""
    counts = Counter(words)
    norm = K1 * (1 - B + B * len(words) / max(stats.mean_length, 1e-9))
    score = 0.0
    for word in query:
        tf = counts.get(word, 0)
        if tf:
            df = stats.df.get(word, 1)
            idf = math.log(1 + (max(stats.chunks, df) - df + 0.5) / (df + 0.5))
            score += idf * tf * (K1 + 1) / (tf + norm)
    return score


def _chunk_row(c: Chunk, vector: np.ndarray) -> dict[str, Any]:
    return {
        "id": c.id, "article_id": c.article_id, "source": c.source, "paragraph": c.paragraph, "start": c.start,
        "date": date_number(c.date), "text": c.text, "sentences": json.dumps([list(s) for s in c.sentences]),
        "section": c.section[:4000], "words": " ".join(token_word(t) for t in tokenize(c.index_text)),
        "dense": [float(x) for x in vector],
    }  # fmt: skip


# ---------------------------------------------------------------------- the catalogue


@dataclass
class _Pending:
    """The catalogue writes of one transaction, applied together at its end."""

    articles: dict[str, tuple[Article, Extraction]] = field(default_factory=dict)
    forget: set[str] = field(default_factory=set)
    sources: dict[str, tuple[str, str, str] | None] = field(default_factory=dict)
    meta: dict[str, str | None] = field(default_factory=dict)
    forget_sources: set[str] = field(default_factory=set)


class MilvusCatalog:
    """The :class:`~docs_store._catalog.Catalog` surface over Milvus collections."""

    def __init__(self, connection: MilvusConnection) -> None:
        self._m = connection
        self.path = connection.uri
        self.lock = threading.RLock()
        self.writer = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._pending: _Pending | None = None
        self._unflushed = 0
        self._sources: tuple[int, list[SourceInfo]] | None = None
        self._coverage: tuple[int, tuple[str, str, int, int]] | None = None
        self._mirror = sqlite3.connect(":memory:", check_same_thread=False)
        self._mirror.executescript(ENTITY_SCHEMA)
        self._mirror_lock = threading.RLock()
        self._mirror_generation = -1
        self._mirror_stamp = 0
        self._mirror_ids: set[str] = set()

    def close(self) -> None:
        with self._mirror_lock, contextlib.suppress(sqlite3.Error):
            self._mirror.close()

    # ------------------------------------------------------------------ meta and journals

    def meta(self, key: str) -> str | None:
        rows = self._m.by_ids(self._m.meta, "key", [key], ["doc"])
        return rows[0]["doc"].get("value") if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        if self._pending is not None:
            self._pending.meta[key] = value
        else:
            self._write_meta({key: value})

    def _write_meta(self, values: dict[str, str | None]) -> None:
        gone = [k for k, v in values.items() if v is None]
        rows = [
            {"key": k, "doc": {"value": v}, "stamp": time.time_ns(), "v": _DUMMY}
            for k, v in values.items()
            if v is not None
        ]
        if rows:
            self._m.call("upsert", self._m.meta, rows)
        if gone:
            self._m.delete_ids(self._m.meta, "key", gone)

    def meta_keys(self, prefix: str) -> dict[str, str]:
        rows = self._m.query(self._m.meta, f"key like {_quote(prefix + '%')}", ["key", "doc"])
        return {r["key"]: r["doc"].get("value") for r in rows}

    @property
    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    def journal(self, record: dict[str, Any]) -> str:
        """A journal value: ``record`` plus who wrote it and when (for :meth:`stale_writers`)."""
        return json.dumps({**record, "writer": self.writer, "at": time.time()}, ensure_ascii=False)

    def stale_writers(self) -> set[str]:
        """Writers whose journals were left behind: this process's own, a process on this
        machine that is gone, or any writer silent for :data:`LEASE_S`."""
        stale = set()
        for key, value in {**self.meta_keys("pending:"), **self.meta_keys("txn:")}.items():
            writer = key.split(":", 1)[1]
            host, _, rest = writer.partition(":")
            pid = int(rest.split(":", 1)[0]) if rest.split(":", 1)[0].isdigit() else -1
            at = json.loads(value).get("at", 0) if value else 0
            if (
                writer == self.writer
                or (host == socket.gethostname() and not _alive(pid))
                or time.time() - at > LEASE_S
            ):
                stale.add(writer)
        return stale

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Buffer the writes inside; apply them on exit (nothing, on an exception)."""
        with self.lock:
            if self._pending is not None:  # nested: the outer one applies
                yield
                return
            self._pending = _Pending()
            try:
                yield
                pending = self._pending
            finally:
                self._pending = None
            self._apply(pending)

    def _apply(self, p: _Pending) -> None:
        key = f"txn:{self.writer}"
        new = sorted(set(p.articles) - self.present_articles(p.articles))
        self._write_meta({key: self.journal({"phase": "rows", "new": new})})
        rows = [_article_record(a, x) for a, x in p.articles.values()]
        for i in range(0, len(rows), BATCH // 4):
            self._m.call("upsert", self._m.articles, rows[i : i + BATCH // 4])
        self._unflushed += len(rows)
        if self._unflushed >= FLUSH_EVERY:
            self._m.flush(self._m.articles)
            self._unflushed = 0
        finish = {
            "phase": "commit",
            "forget": sorted(p.forget - set(p.articles)),
            "forget_sources": sorted(p.forget_sources),
            "sources": {s: list(v) if v else None for s, v in p.sources.items()},
            "meta": p.meta,
        }
        self._write_meta({key: self.journal(finish)})
        self._finish(finish)
        self._write_meta({key: None})

    def _finish(self, record: dict[str, Any]) -> None:
        """Phase two of a transaction (run again by a recovery: every step is idempotent)."""
        self._m.delete_ids(self._m.articles, "key", record["forget"])
        for source in record["forget_sources"]:
            self._m.call("delete", self._m.articles, filter=f"source == {_quote(source)}")
        upserts, gone = [], []
        for source, value in record["sources"].items():
            if value is None:
                gone.append(source)
            else:
                content_hash, status, at = value
                upserts.append({"key": source, "content_hash": content_hash, "ingested_at": at, "status": status,
                                "v": _DUMMY})  # fmt: skip
        if upserts:
            self._m.call("upsert", self._m.sources, upserts)
        self._m.delete_ids(self._m.sources, "key", gone)
        self._write_meta({**record["meta"], "generation": str(time.time_ns())})

    def recover_transaction(self, writer: str) -> None:
        """Roll a writer's unfinished transaction back (article rows written, nothing
        else) or forward (its second phase had begun)."""
        key = f"txn:{writer}"
        value = self.meta(key)
        if value is None:
            return
        record = json.loads(value)
        if record.get("phase") == "commit":
            self._finish(record)
        else:
            self._m.delete_ids(self._m.articles, "key", record.get("new", []))
            self._write_meta({"generation": str(time.time_ns())})
        self._write_meta({key: None})

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return self._m.count(self._m.chunks)

    def sources(self) -> list[SourceInfo]:
        """Every source with its counts and dates (counted once per generation: an answer
        reads the source list to name outlets, and counting scans each source's rows)."""
        generation = self.generation
        cached = self._sources
        if cached is not None and cached[0] == generation:
            return list(cached[1])
        found = self._count_sources()
        self._sources = (generation, found)
        return list(found)

    def _count_sources(self) -> list[SourceInfo]:
        rows = self._m.query(self._m.sources, "", ["key", "content_hash", "ingested_at", "status"])
        found = []
        for r in sorted(rows, key=lambda r: r["key"]):
            dates = [d["date"] for d in self._m.query(self._m.articles, f"source == {_quote(r['key'])}", ["date"])]
            chunks = self._m.count(self._m.chunks, f"source == {_quote(r['key'])}")
            known = [d for d in dates if d]
            found.append(SourceInfo(r["key"], len(dates), chunks, min(known, default=""), max(known, default=""),
                                    r["ingested_at"], r["content_hash"], r["status"]))  # fmt: skip
        return found

    def source_names(self) -> list[str]:
        return [r["key"] for r in self._m.query(self._m.sources, "", ["key"])]

    def source_hash(self, source: str) -> str | None:
        state = self.source_state(source)
        return state[0] if state and state[1] == "complete" else None

    def source_state(self, source: str) -> tuple[str, SourceStatus] | None:
        rows = self._m.by_ids(self._m.sources, "key", [source], ["content_hash", "status"])
        return (rows[0]["content_hash"], rows[0]["status"]) if rows else None

    def article_ids(self, source: str) -> set[str]:
        return {r["key"] for r in self._m.query(self._m.articles, f"source == {_quote(source)}", ["key"])}

    def present_articles(self, article_ids: Iterable[str]) -> set[str]:
        return {r["key"] for r in self._m.by_ids(self._m.articles, "key", article_ids, ["key"])}

    def chunk_ids_of_articles(self, article_ids: Iterable[str]) -> list[str]:
        ids = sorted(set(article_ids))
        found: list[str] = []
        for i in range(0, len(ids), ID_BATCH):
            found += [r["id"] for r in self._m.query(self._m.chunks, _in("article_id", ids[i : i + ID_BATCH]), ["id"])]
        return found

    def chunk_ids(self, source: str | None = None) -> set[str]:
        """Visible chunk ids: those whose article row exists."""
        expression = "" if source is None else f"source == {_quote(source)}"
        rows = self._m.query(self._m.chunks, expression, ["id", "article_id"])
        live = self.present_articles({r["article_id"] for r in rows})
        return {r["id"] for r in rows if r["article_id"] in live}

    def orphan_chunks(self, source: str) -> list[str]:
        """Chunk rows of ``source`` whose article row is absent (left by a stopped write)."""
        rows = self._m.query(self._m.chunks, f"source == {_quote(source)}", ["id", "article_id"])
        live = self.present_articles({r["article_id"] for r in rows})
        return [r["id"] for r in rows if r["article_id"] not in live]

    def chunks_by_id(self, ids: Iterable[str]) -> dict[str, Chunk]:
        rows = self._m.by_ids(self._m.chunks, "id", ids, _CHUNK_FIELDS)
        return self._chunks(rows)

    def _chunks(self, rows: list[dict]) -> dict[str, Chunk]:
        articles = {
            r["key"]: r for r in self._m.by_ids(self._m.articles, "key", {r["article_id"] for r in rows},
                                                  ["key", "title", "byline", "date", "ref"])
        }  # fmt: skip
        found = {}
        for r in rows:
            a = articles.get(r["article_id"])
            if a is None:  # not committed, or being removed
                continue
            spans = tuple((s, e) for s, e in json.loads(r["sentences"]))
            found[r["id"]] = Chunk(r["id"], r["article_id"], r["text"], r["start"], r["paragraph"], spans,
                                   a["title"], a["byline"], a["date"], r["source"], r["section"], a["ref"])  # fmt: skip
        return found

    def chunk_at(self, article_id: str, offset: int) -> Chunk | None:
        rows = self._m.query(self._m.chunks, f"article_id == {_quote(article_id)} and start <= {int(offset)}",
                             _CHUNK_FIELDS)  # fmt: skip
        found = self._chunks(sorted(rows, key=lambda r: r["start"], reverse=True)[:1])
        return next(iter(found.values()), None)

    def article(self, article_id: str) -> Article | None:
        rows = self._m.by_ids(self._m.articles, "key", [article_id], ["doc"])
        return _article_from_row(rows[0]["doc"]["row"]) if rows else None

    def articles(self, source: str | None = None) -> list[Article]:
        expression = "" if source is None else f"source == {_quote(source)}"
        return [_article_from_row(r["doc"]["row"]) for r in self._m.query(self._m.articles, expression, ["doc"])]

    def date_coverage(self) -> tuple[str, str, int, int]:
        """As the local catalogue's (counted once per generation: a refusal states it)."""
        generation = self.generation
        if self._coverage is not None and self._coverage[0] == generation:
            return self._coverage[1]
        dates = [r["date"] for r in self._m.query(self._m.articles, "", ["date"])]
        known = [d for d in dates if d]
        coverage = min(known, default=""), max(known, default=""), len(dates) - len(known), len(dates)
        self._coverage = (generation, coverage)
        return coverage

    # ------------------------------------------------------------------ entities (per-process mirror)

    def _entities(self) -> sqlite3.Connection:
        """The entity tables, brought up to the store's generation first."""
        generation = self.generation
        with self._mirror_lock:
            if generation != self._mirror_generation:
                self._refresh_mirror()
                self._mirror_generation = generation
            return self._mirror

    def _refresh_mirror(self) -> None:
        rows = self._m.query(self._m.articles, "", ["key", "stamp"])
        ids = {r["key"] for r in rows}
        changed = [r["key"] for r in rows if r["stamp"] > self._mirror_stamp or r["key"] not in self._mirror_ids]
        gone = self._mirror_ids - ids
        db = self._mirror
        db.execute("BEGIN")
        EntityIndex.remove(db, sorted(gone | set(changed)))
        touched: set[str] = set()
        for i in range(0, len(changed), BATCH):
            for r in self._m.by_ids(self._m.articles, "key", changed[i : i + BATCH], ["doc"]):
                touched |= EntityIndex.insert_rows(db, r["doc"]["entities"], r["doc"]["facts"])
        EntityIndex.summarise(db, touched)
        db.execute("COMMIT")
        self._mirror_ids = ids
        self._mirror_stamp = max((r["stamp"] for r in rows), default=0)

    def article_facts(self, article_id: str, limit: int = 20) -> list[tuple[str, StoredFact]]:
        with self._mirror_lock:
            return EntityIndex.article_facts(self._entities(), article_id, limit)

    def entity_summaries(
        self, *, kind: str | None = None, region: str | None = None, query: str | None = None, limit: int = 200
    ) -> list[EntitySummary]:
        with self._mirror_lock:
            return EntityIndex.summaries(self._entities(), kind=kind, region=region, query=query, limit=limit)

    def find_entity(self, name: str) -> EntitySummary | None:
        with self._mirror_lock:
            return EntityIndex.find(self._entities(), name)

    def entity_names(self, key: str) -> list[str]:
        with self._mirror_lock:
            return EntityIndex.names(self._entities(), key)

    def entity_mentions(self, key: str) -> list[StoredMention]:
        with self._mirror_lock:
            return EntityIndex.mentions(self._entities(), key)

    def entity_facts(
        self, *, key: str | None = None, attribute: str | None = None, minimum: float | None = None, limit: int = 500
    ) -> list[StoredFact]:
        with self._mirror_lock:
            return EntityIndex.facts(self._entities(), key=key, attribute=attribute, minimum=minimum, limit=limit)

    def reindex_entities(self, extract: Callable[[Article], Extraction]) -> int:
        articles = self.articles()
        for a in articles:
            self._buffer().articles[a.id] = (a, extract(a))
        return len(articles)

    # ------------------------------------------------------------------ writing (inside transaction())

    def _buffer(self) -> _Pending:
        if self._pending is None:
            raise StoreError("a catalogue write outside a transaction (a bug)")
        return self._pending

    def replace_source(
        self, source: str, content_hash: str, articles: Sequence[Article], chunks: Sequence[Chunk],
        extractions: Sequence[Extraction],
    ) -> None:  # fmt: skip
        self._buffer().forget |= self.article_ids(source)
        self.add_articles(articles, chunks, extractions)
        self.set_source(source, content_hash, "complete")

    def add_articles(
        self, articles: Sequence[Article], chunks: Sequence[Chunk], extractions: Sequence[Extraction]
    ) -> None:
        """The article rows; their chunk rows were written by :class:`MilvusVectors` first."""
        pending = self._buffer()
        for a, x in zip(articles, extractions, strict=True):
            pending.articles[a.id] = (a, x)

    def set_source(self, source: str, content_hash: str, status: SourceStatus) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._buffer().sources[source] = (content_hash, status, now)

    def remove_chunks(self, ids: Sequence[str]) -> None:
        """Nothing here: chunk rows go with :meth:`MilvusVectors.delete` after the commit."""
        return None

    def remove_articles(self, article_ids: Sequence[str]) -> None:
        pending = self._buffer()
        pending.forget |= set(article_ids)
        for article_id in article_ids:
            pending.articles.pop(article_id, None)

    def delete_source_rows(self, source: str) -> None:
        pending = self._buffer()
        pending.forget_sources.add(source)
        pending.sources[source] = None


def _article_record(article: Article, extraction: Extraction) -> dict[str, Any]:
    entities, facts = EntityIndex.rows(article, extraction)
    row = list(_article_row(article))
    return {
        "key": article.id, "source": article.source, "date": article.date or "", "title": article.title[:4000],
        "byline": article.byline[:1000], "ref": article.ref[:2000], "stamp": time.time_ns(), "v": _DUMMY,
        "doc": {"row": row, "entities": entities, "facts": facts},
    }  # fmt: skip


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
