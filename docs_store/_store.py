"""The store: one directory holding a catalogue (SQLite), the vectors (Chroma) and BM25.

    store_dir/
      catalog.sqlite3   sources, articles, chunks (text, spans, BM25 tokens) — the truth
      chroma/           the local Chroma collection (absent when CHROMA_HOST is set)
      .lock             held by the one process using a local Chroma folder
      .write.lock       serialises writers (threads and, with a Chroma server, processes)

The BM25 index (bm25s) is built in memory from the catalogue's stored tokens on the first
search and rebuilt whenever the catalogue's generation number changes.

Why a catalogue beside Chroma: BM25 must be rebuilt from tokens after every change, a
citation needs the whole article, and consistency needs one side to be the truth. Every
write follows the same order — embed first (nothing touched yet), then record the pending
change, write Chroma, commit the catalogue, clear the pending record — so a crash or
Ctrl-C at any point is undone on the next open by :meth:`DocsStore._recover`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ingest import Article, Chunk, Paragraph, ParsedSource, chunk_article

from ._embeddings import EmbeddingModel
from ._errors import StoreError, translate_errors
from ._settings import RetrievalMode
from ._tokenize import tokenize
from ._types import Hit, IngestReport, SourceInfo

logger = logging.getLogger(__name__)

RRF_K = 60
DENSE_WEIGHT = 0.5
"""Dense list's weight in the fusion (BM25: 1). Measured in docs/evaluation.md: on CMRC dev
among 20k news articles recall@1 0.905 → 0.942 over equal weights, and on the sample-article
questions 0.767 → 0.967; dense still rescues paraphrased questions BM25 misses."""
CHROMA_BATCH = 1000
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

ProgressFn = Callable[[int, int], None]


class DocsStore:
    """Hybrid article store: add / replace / delete by source, search by dense + BM25.

    Args:
        directory: the store directory (``DOCS_STORE_DIR``).
        embedding: the embedding model; its ``model_id`` is recorded and checked on reopen.
        chroma_client: a chromadb client for the vectors; default is a local folder client.
            Pass ``chromadb.HttpClient`` to use a ``chroma run`` server; then several
            processes may open the same store directory (writes are serialised by a file lock).
    """

    def __init__(self, directory: str | Path, *, embedding: EmbeddingModel, chroma_client=None) -> None:
        self.directory = Path(directory)
        self._embedding = embedding
        self._lock = threading.RLock()  # guards the shared SQLite connection and the BM25 cache
        self._write_lock = threading.Lock()  # one add/replace/delete at a time
        self._bm25 = None
        self._bm25_generation = -1
        self._bm25_ids: list[str] = []
        self._lockfile = None
        self._db = None
        try:
            with translate_errors(f"cannot open store {self.directory}"):
                self.directory.mkdir(parents=True, exist_ok=True)
                if chroma_client is None:
                    self._take_process_lock()
                self._db = sqlite3.connect(
                    self.directory / "catalog.sqlite3", check_same_thread=False, isolation_level=None, timeout=30
                )
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.executescript(_SCHEMA)
                self._check_model()
                self._vectors = self._open_vectors(chroma_client)
                with self._writer():
                    self._recover()
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ opening

    def _take_process_lock(self) -> None:
        """A local Chroma folder is not process-safe: refuse a second process clearly."""
        path = self.directory / ".lock"
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise StoreError(
                f"store {self.directory} is open in another process (pid {holder}); a local store is"
                " single-process — close it, or run `chroma run` and set CHROMA_HOST/CHROMA_PORT"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lockfile = handle

    def _check_model(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key='model_id'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('model_id', ?)", (self._embedding.model_id,))
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
        elif row[0] != self._embedding.model_id:
            raise StoreError(
                f"store {self.directory} holds vectors of {row[0]!r}, but the embedding model is"
                f" {self._embedding.model_id!r}; use another DOCS_STORE_DIR or the original EMBEDDING_MODEL"
            )

    def _open_vectors(self, client):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma

        if client is None:
            client = chromadb.PersistentClient(
                path=str(self.directory / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
            )
            name = "news_chunks"
        else:
            name = "news_" + hashlib.sha1(str(self.directory.resolve()).encode()).hexdigest()[:16]
        return Chroma(
            collection_name=name,
            embedding_function=self._embedding.embeddings,
            client=client,
            collection_metadata={"hnsw:space": "cosine", "model_id": self._embedding.model_id},
        )

    @contextlib.contextmanager
    def _writer(self):
        """One writer at a time: a thread lock, plus a file lock for other processes that
        share this directory through a Chroma server (recovery must not undo their write)."""
        with self._write_lock, (self.directory / ".write.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
            if self._lockfile is not None:
                fcntl.flock(self._lockfile, fcntl.LOCK_UN)
                self._lockfile.close()
                self._lockfile = None

    def __enter__(self) -> DocsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def ingest(self, parsed: ParsedSource, *, progress: ProgressFn | None = None) -> IngestReport:
        """Add or replace one source. Same bytes as stored → ``unchanged``, nothing written."""
        with self._writer(), translate_errors(f"cannot store {parsed.source}"):
            rows = self._query("SELECT content_hash FROM sources WHERE source=?", (parsed.source,))
            row = rows[0] if rows else None
            # identical articles within one source share chunk ids: keep one of each
            chunks = list({c.id: c for a in parsed.articles for c in chunk_article(a)}.values())
            if row is not None and row[0] == parsed.content_hash:
                return IngestReport(parsed.source, "unchanged", len(parsed.articles), len(chunks))
            old_ids = {r[0] for r in self._query("SELECT id FROM chunks WHERE source=?", (parsed.source,))}
            new_ids = {c.id for c in chunks}
            to_add = [c for c in chunks if c.id not in old_ids]
            to_remove = sorted(old_ids - new_ids)
            self._apply(parsed.source, to_add, to_remove, progress, lambda: self._write_catalog(parsed, chunks))
            status = "added" if row is None else "replaced"
            return IngestReport(parsed.source, status, len(parsed.articles), len(chunks), len(to_add), len(to_remove))

    def delete_source(self, source: str) -> int:
        """Remove one source and all its chunks; returns the number of chunks removed."""
        with self._writer(), translate_errors(f"cannot delete {source}"):
            resolved = self.resolve_source(source)
            ids = [r[0] for r in self._query("SELECT id FROM chunks WHERE source=?", (resolved,))]

            def write() -> None:
                self._db.execute("DELETE FROM chunks WHERE source=?", (resolved,))
                self._db.execute("DELETE FROM articles WHERE source=?", (resolved,))
                self._db.execute("DELETE FROM sources WHERE source=?", (resolved,))

            self._apply(resolved, [], ids, None, write)
            return len(ids)

    def resolve_source(self, name: str) -> str:
        """Find a stored source by exact name, resolved path, or unique file name."""
        known = [r[0] for r in self._query("SELECT source FROM sources")]
        for candidate in (name, str(Path(name).resolve())):
            if candidate in known:
                return candidate
        by_name = [s for s in known if Path(s).name == Path(name).name]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            raise StoreError(f"source {name!r} is ambiguous: {', '.join(by_name)}")
        raise StoreError(f"no stored source named {name!r} (see `python -m ingest --list`)")

    def _apply(
        self,
        source: str,
        to_add: Sequence[Chunk],
        to_remove: Sequence[str],
        progress: ProgressFn | None,
        write_catalog: Callable[[], None],
    ) -> None:
        vectors = self._embed(to_add, progress)  # may fail or be interrupted: nothing touched yet
        with self._lock:  # readers wait only for the short write below, not for embedding
            self._write(source, to_add, vectors, to_remove, write_catalog)

    def _write(self, source, to_add, vectors, to_remove, write_catalog) -> None:
        self._recover()  # an earlier failed write whose recovery failed must not be overwritten
        pending = json.dumps({"add": [c.id for c in to_add], "remove": list(to_remove)})
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('pending', ?)", (pending,))
        try:
            self._upsert_vectors(to_add, vectors)
            self._delete_vectors(to_remove)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                write_catalog()
                self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
                self._db.execute("DELETE FROM meta WHERE key='pending'")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except BaseException:
            logger.warning("write of %s failed; restoring the previous state", source)
            with contextlib.suppress(Exception):
                self._recover()
            raise

    def _upsert_vectors(self, chunks: Sequence[Chunk], vectors: Sequence[list[float]]) -> None:
        """Write precomputed vectors in batches Chroma accepts (embedding happened earlier,
        before anything was touched)."""
        for i in range(0, len(chunks), CHROMA_BATCH):
            batch = chunks[i : i + CHROMA_BATCH]
            self._vectors._collection.upsert(
                ids=[c.id for c in batch],
                embeddings=list(vectors[i : i + CHROMA_BATCH]),
                documents=[c.index_text for c in batch],
                metadatas=[{"article_id": c.article_id, "source": c.source} for c in batch],
            )

    def _delete_vectors(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), CHROMA_BATCH):
            self._vectors.delete(ids=list(ids[i : i + CHROMA_BATCH]))

    def _embed(self, chunks: Sequence[Chunk], progress: ProgressFn | None) -> list[list[float]]:
        texts = [c.index_text for c in chunks]
        vectors: list[list[float]] = []
        step = 256
        for i in range(0, len(texts), step):
            vectors.extend(self._embedding.embeddings.embed_documents(texts[i : i + step]))
            if progress is not None:
                progress(min(i + step, len(texts)), len(texts))
        return vectors

    def _write_catalog(self, parsed: ParsedSource, chunks: list[Chunk]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._db.execute("DELETE FROM articles WHERE source=?", (parsed.source,))
        self._db.execute("DELETE FROM chunks WHERE source=?", (parsed.source,))
        self._db.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [_article_row(a) for a in {a.id: a for a in parsed.articles}.values()],
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)",
            [_chunk_row(c, seq) for seq, c in enumerate(chunks)],
        )
        self._db.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?)", (parsed.source, parsed.content_hash, now))

    def _recover(self) -> None:
        """Undo a write that did not finish: make Chroma match the catalogue for its ids."""
        row = self._db.execute("SELECT value FROM meta WHERE key='pending'").fetchone()
        if row is None:
            return
        pending = json.loads(row[0])
        ids = pending["add"] + pending["remove"]
        known = self._chunks_by_id(ids)
        stray = [i for i in ids if i not in known]
        self._delete_vectors(stray)
        present = set()
        wanted = list(known)
        for i in range(0, len(wanted), CHROMA_BATCH):
            present.update(self._vectors._collection.get(ids=wanted[i : i + CHROMA_BATCH], include=[])["ids"])
        missing = [known[i] for i in wanted if i not in present]
        if missing:
            self._upsert_vectors(missing, self._embed(missing, None))
        self._db.execute("DELETE FROM meta WHERE key='pending'")
        logger.warning("recovered from an unfinished write (%d stray, %d restored)", len(stray), len(missing))

    # ------------------------------------------------------------------ reading

    def sources(self) -> list[SourceInfo]:
        with self._lock:
            rows = self._query(
                """SELECT s.source, s.content_hash, s.ingested_at,
                      (SELECT COUNT(*) FROM articles a WHERE a.source = s.source),
                      (SELECT COUNT(*) FROM chunks c WHERE c.source = s.source),
                      (SELECT MIN(NULLIF(date, '')) FROM articles a WHERE a.source = s.source),
                      (SELECT MAX(NULLIF(date, '')) FROM articles a WHERE a.source = s.source)
               FROM sources s ORDER BY s.source"""
            )
        return [SourceInfo(r[0], r[3], r[4], r[5] or "", r[6] or "", r[2], r[1]) for r in rows]

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._query("SELECT id FROM chunks")}

    def vector_ids(self) -> set[str]:
        """Ids held by Chroma — for consistency checks (invariant: equals :meth:`chunk_ids`)."""
        with translate_errors("cannot read vectors"):
            return set(self._vectors.get(include=[])["ids"])

    def __len__(self) -> int:
        return self._query("SELECT COUNT(*) FROM chunks")[0][0]

    def _query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """Run a read on the shared connection; the lock keeps app threads from interleaving."""
        with self._lock, translate_errors(f"cannot read store {self.directory}"):
            return self._db.execute(sql, params).fetchall()

    def article(self, article_id: str) -> Article:
        rows = self._query(
            "SELECT id, source, ref, title, kicker, byline, date, lead, origin, captions, paragraphs"
            " FROM articles WHERE id=?",
            (article_id,),
        )
        row = rows[0] if rows else None
        if row is None:
            raise StoreError(f"no article {article_id!r} in store {self.directory}")
        return _article_from_row(row)

    def articles(self, source: str | None = None) -> list[Article]:
        sql = "SELECT id, source, ref, title, kicker, byline, date, lead, origin, captions, paragraphs FROM articles"
        rows = self._query(sql + " WHERE source=?", (source,)) if source else self._query(sql)
        return [_article_from_row(r) for r in rows]

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        mode: RetrievalMode = "hybrid",
        candidates: int = 30,
        dense_weight: float = DENSE_WEIGHT,
    ) -> list[Hit]:
        """Top ``k`` chunks for ``query``.

        ``hybrid`` fuses the dense and BM25 lists by weighted reciprocal rank fusion (each
        list cut at ``candidates``; BM25 weighs 1, dense ``dense_weight``); ``dense`` and
        ``bm25`` use one retriever alone.
        """
        if not query.strip() or len(self) == 0:
            return []
        n = max(candidates, k)
        with translate_errors("search failed"):
            dense = self._dense(query, n) if mode in ("hybrid", "dense") else []
            sparse = self._bm25_search(query, n) if mode in ("hybrid", "bm25") else []
        fused: dict[str, dict] = {}
        for rank, (cid, score) in enumerate(dense, start=1):
            fused.setdefault(cid, {})["dense"] = (rank, score)
        for rank, (cid, score) in enumerate(sparse, start=1):
            fused.setdefault(cid, {})["bm25"] = (rank, score)

        weight = {"dense": dense_weight if mode == "hybrid" else 1.0, "bm25": 1.0}

        def rrf(entry: dict) -> float:
            return sum(weight[name] / (RRF_K + rank) for name, (rank, _) in entry.items())

        ranked = sorted(fused.items(), key=lambda item: rrf(item[1]), reverse=True)
        chunks = self._chunks_by_id([cid for cid, _ in ranked])
        hits = []
        for cid, entry in ranked:
            if cid not in chunks:  # a vector whose catalogue row is gone (another process's write)
                continue
            if len(hits) == k:
                break
            dense_rank, dense_score = entry.get("dense", (None, None))
            bm25_rank, bm25_score = entry.get("bm25", (None, None))
            hits.append(Hit(chunks[cid], rrf(entry), dense_rank, bm25_rank, dense_score, bm25_score))
        return hits

    def idf(self, tokens: Iterable[str]) -> dict[str, float]:
        """Inverse document frequency of BM25 tokens over all chunks.

        A token no chunk contains gets the highest weight: a question about something the
        store never mentions should not look answered.
        """
        index, chunk_ids = self._bm25_index()
        n = len(chunk_ids)
        result: dict[str, float] = {}
        for token in tokens:
            token_id = index.vocab_dict.get(token) if index is not None else None
            df = 0 if token_id is None else int(index.scores["indptr"][token_id + 1] - index.scores["indptr"][token_id])
            result[token] = float(np.log((n + 1) / (df + 0.5)))
        return result

    def _dense(self, query: str, n: int) -> list[tuple[str, float]]:
        results = self._vectors.similarity_search_with_score(query, k=min(n, len(self)))
        return [(doc.id, 1.0 - float(distance)) for doc, distance in results if doc.id]

    def _bm25_search(self, query: str, n: int) -> list[tuple[str, float]]:
        index, chunk_ids = self._bm25_index()
        if index is None:
            return []
        vocab = index.vocab_dict
        ids = [vocab[t] for t in tokenize(query) if t in vocab]
        if not ids:
            return []
        scores = index.get_scores_from_ids(ids)
        top = np.argsort(-scores)[:n]
        return [(chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def _bm25_index(self):
        """The BM25 index for the catalogue's current generation: from memory, else from the
        on-disk cache (``bm25/``), else built from the stored tokens and cached."""
        with self._lock:
            generation = int(self._query("SELECT value FROM meta WHERE key='generation'")[0][0])
            if self._bm25 is not None and self._bm25_generation == generation:
                return self._bm25, self._bm25_ids
            loaded = self._load_bm25(generation)
            if loaded is None:
                rows = self._query("SELECT id, tokens FROM chunks ORDER BY source, seq")
                if not rows:
                    return None, []
                import bm25s

                index = bm25s.BM25()
                index.index([r[1].split(" ") if r[1] else [""] for r in rows], show_progress=False)
                loaded = index, [r[0] for r in rows]
                self._save_bm25(generation, *loaded)
            (self._bm25, self._bm25_ids), self._bm25_generation = loaded, generation
            return self._bm25, self._bm25_ids

    def _load_bm25(self, generation: int):
        folder = self.directory / "bm25"
        try:
            if json.loads((folder / "generation.json").read_text())["generation"] != generation:
                return None
            import bm25s

            ids = json.loads((folder / "ids.json").read_text())
            return bm25s.BM25.load(str(folder / "index")), ids
        except (OSError, ValueError, KeyError):
            return None

    def _save_bm25(self, generation: int, index, ids: list[str]) -> None:
        """Write the cache beside the catalogue; a new folder is swapped in whole, so a reader
        never sees half of one. The cache is an optimisation: failing to write it is fine."""
        folder = self.directory / "bm25"
        staging = self.directory / f".bm25.{os.getpid()}.{threading.get_ident()}"
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            index.save(str(staging / "index"))
            (staging / "ids.json").write_text(json.dumps(ids))
            (staging / "generation.json").write_text(json.dumps({"generation": generation}))
            old = self.directory / f".bm25.old.{os.getpid()}"
            if folder.exists():
                folder.rename(old)
            staging.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            logger.warning("could not cache the BM25 index: %s", exc)
            shutil.rmtree(staging, ignore_errors=True)

    def _chunks_by_id(self, ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(ids)
        found: dict[str, Chunk] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            rows = self._query(
                "SELECT c.id, c.article_id, c.text, c.start, c.paragraph, c.sentences, a.title, a.byline,"
                " a.date, c.source, c.section, a.ref FROM chunks c JOIN articles a ON a.id = c.article_id"
                f" WHERE c.id IN ({marks})",
                part,
            )
            for r in rows:
                spans = tuple(tuple(s) for s in json.loads(r[5]))
                found[r[0]] = Chunk(r[0], r[1], r[2], r[3], r[4], spans, r[6], r[7], r[8], r[9], r[10], r[11])
        return found


def _article_row(a: Article) -> tuple:
    paragraphs = [[p.index, p.text, p.start, [list(s) for s in p.sentences], p.kind] for p in a.paragraphs]
    return (
        a.id,
        a.source,
        a.ref,
        a.title,
        a.kicker,
        a.byline,
        a.date,
        a.lead,
        a.origin,
        json.dumps(list(a.captions), ensure_ascii=False),
        json.dumps(paragraphs, ensure_ascii=False),
    )


def _article_from_row(r: tuple) -> Article:
    paragraphs = tuple(
        Paragraph(i, text, start, tuple(tuple(s) for s in spans), kind)
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
    return (
        c.id,
        c.article_id,
        c.source,
        c.paragraph,
        c.start,
        c.text,
        json.dumps([list(s) for s in c.sentences]),
        c.section,
        tokens,
        seq,
    )
