"""The store: one directory holding a catalogue (SQLite), the vectors (Chroma) and BM25.

    store_dir/
      catalog.sqlite3   sources, articles, chunks (text, spans, BM25 tokens) — the truth (``_catalog``)
      chroma/           the local Chroma collection, absent when CHROMA_HOST is set (``_vectors``)
      bm25/             the BM25 index cached for the catalogue's current generation (``_bm25``)
      .lock             held by the one process using a local Chroma folder
      .write.lock       serialises writers (threads and, with a Chroma server, processes)

Every write follows the same order — embed first (nothing touched yet), then record the
pending change, write Chroma, commit the catalogue (which bumps its generation), clear the
pending record — so a crash or Ctrl-C at any point is undone on the next open by
:meth:`DocsStore._recover`, and BM25 follows the new generation on the next search.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ingest import Article, Chunk, ParsedSource, chunk_article

from ._bm25 import BM25Index
from ._catalog import Catalog
from ._embeddings import EmbeddingModel
from ._errors import StoreError, translate_errors
from ._fusion import DEFAULT_DENSE_WEIGHT, fuse
from ._settings import RetrievalMode
from ._tokenize import tokenize
from ._types import Hit, IngestReport, IngestStatus, SourceInfo
from ._vectors import VectorIndex

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
EMBED_BATCH = 256
"""Chunks embedded per call, so a progress bar moves and Ctrl-C is noticed between calls."""


class DocsStore:
    """Hybrid article store: add / replace / delete by source, search by dense + BM25.

    Args:
        directory: the store directory (``DOCS_STORE_DIR``).
        embedding: the embedding model; its ``model_id`` is recorded and checked on reopen.
        chroma_client: a chromadb client for the vectors; default is a local folder client.
            Pass ``chromadb.HttpClient`` to use a ``chroma run`` server; then several
            processes may open the same store directory (writes are serialised by a file lock).
        dense_weight: the dense list's weight in hybrid fusion (BM25 weighs 1).
    """

    def __init__(
        self,
        directory: str | Path,
        *,
        embedding: EmbeddingModel,
        chroma_client: Any = None,
        dense_weight: float = DEFAULT_DENSE_WEIGHT,
    ) -> None:
        self.directory = Path(directory)
        self.dense_weight = dense_weight
        self._embedding = embedding
        self._write_lock = threading.Lock()  # one add/replace/delete at a time in this process
        self._lockfile: IO[str] | None = None
        self._catalog: Catalog | None = None
        try:
            with translate_errors(f"cannot open store {self.directory}"):
                self.directory.mkdir(parents=True, exist_ok=True)
            if chroma_client is None:
                self._take_process_lock()
            self._catalog = Catalog(self.directory / "catalog.sqlite3")
            self._check_model()
            self._vectors = VectorIndex(self.directory, embedding, chroma_client)
            self._bm25 = BM25Index(self.directory)
            with self._writer():
                self._recover()
        except BaseException:
            self.close()
            raise

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            raise StoreError(f"store {self.directory} is closed")
        return self._catalog

    # ------------------------------------------------------------------ opening and closing

    def _take_process_lock(self) -> None:
        """A local Chroma folder is not process-safe: refuse a second process clearly."""
        handle = (self.directory / ".lock").open("a+")
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
        recorded = self.catalog.meta("model_id")
        if recorded is None:
            self.catalog.set_meta("model_id", self._embedding.model_id)
        elif recorded != self._embedding.model_id:
            raise StoreError(
                f"store {self.directory} holds vectors of {recorded!r}, but the embedding model is"
                f" {self._embedding.model_id!r}; use another DOCS_STORE_DIR or the original EMBEDDING_MODEL"
            )

    @contextlib.contextmanager
    def _writer(self) -> Iterator[None]:
        """One writer at a time: a thread lock, plus a file lock for other processes that
        share this directory through a Chroma server (recovery must not undo their write)."""
        with self._write_lock, (self.directory / ".write.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._catalog is not None:
            self._catalog.close()
            self._catalog = None
        if self._lockfile is not None:
            fcntl.flock(self._lockfile, fcntl.LOCK_UN)
            self._lockfile.close()
            self._lockfile = None

    def __enter__(self) -> DocsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def ingest(self, parsed: ParsedSource, *, progress: ProgressFn | None = None) -> IngestReport:
        """Add or replace one source. Same bytes as stored → ``unchanged``, nothing written."""
        with self._writer(), translate_errors(f"cannot store {parsed.source}"):
            stored_hash = self.catalog.source_hash(parsed.source)
            # identical articles within one source share chunk ids: keep one of each
            chunks = list({c.id: c for a in parsed.articles for c in chunk_article(a)}.values())
            if stored_hash == parsed.content_hash:
                return IngestReport(parsed.source, "unchanged", len(parsed.articles), len(chunks))
            old_ids = self.catalog.chunk_ids(parsed.source)
            new_ids = {c.id for c in chunks}
            to_add = [c for c in chunks if c.id not in old_ids]
            to_remove = sorted(old_ids - new_ids)

            def write_catalog() -> None:
                self.catalog.replace_source(parsed.source, parsed.content_hash, parsed.articles, chunks)

            self._apply(parsed.source, to_add, to_remove, progress, write_catalog)
            status: IngestStatus = "added" if stored_hash is None else "replaced"
            return IngestReport(parsed.source, status, len(parsed.articles), len(chunks), len(to_add), len(to_remove))

    def delete_source(self, source: str) -> int:
        """Remove one source and all its chunks; returns the number of chunks removed."""
        with self._writer(), translate_errors(f"cannot delete {source}"):
            resolved = self.resolve_source(source)
            ids = sorted(self.catalog.chunk_ids(resolved))
            self._apply(resolved, [], ids, None, lambda: self.catalog.delete_source_rows(resolved))
            return len(ids)

    def resolve_source(self, name: str) -> str:
        """Find a stored source by exact name, resolved path, or unique file name."""
        known = self.catalog.source_names()
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
        with self.catalog.lock:  # readers wait only for the short write below, not for embedding
            self._write(source, to_add, vectors, to_remove, write_catalog)

    def _write(
        self,
        source: str,
        to_add: Sequence[Chunk],
        vectors: list[list[float]],
        to_remove: Sequence[str],
        write_catalog: Callable[[], None],
    ) -> None:
        self._recover()  # an earlier failed write whose recovery failed must not be overwritten
        self.catalog.set_meta("pending", json.dumps({"add": [c.id for c in to_add], "remove": list(to_remove)}))
        try:
            self._vectors.upsert(to_add, vectors)
            self._vectors.delete(to_remove)
            with self.catalog.transaction():
                write_catalog()
                self.catalog.set_meta("pending", None)
        except BaseException:
            logger.warning("write of %s failed; restoring the previous state", source)
            with contextlib.suppress(Exception):
                self._recover()
            raise

    def _embed(self, chunks: Sequence[Chunk], progress: ProgressFn | None) -> list[list[float]]:
        texts = [c.index_text for c in chunks]
        vectors: list[list[float]] = []
        for i in range(0, len(texts), EMBED_BATCH):
            vectors.extend(self._embedding.embeddings.embed_documents(texts[i : i + EMBED_BATCH]))
            if progress is not None:
                progress(min(i + EMBED_BATCH, len(texts)), len(texts))
        return vectors

    def _recover(self) -> None:
        """Undo a write that did not finish: make Chroma match the catalogue for its ids."""
        pending = self.catalog.meta("pending")
        if pending is None:
            return
        record = json.loads(pending)
        ids = record["add"] + record["remove"]
        known = self.catalog.chunks_by_id(ids)
        stray = [i for i in ids if i not in known]
        self._vectors.delete(stray)
        present = self._vectors.present(known)
        missing = [chunk for cid, chunk in known.items() if cid not in present]
        if missing:
            self._vectors.upsert(missing, self._embed(missing, None))
        self.catalog.set_meta("pending", None)
        logger.warning("recovered from an unfinished write (%d stray, %d restored)", len(stray), len(missing))

    # ------------------------------------------------------------------ reading

    def sources(self) -> list[SourceInfo]:
        return self.catalog.sources()

    def chunk_ids(self) -> set[str]:
        return self.catalog.chunk_ids()

    def vector_ids(self) -> set[str]:
        """Ids held by Chroma — for consistency checks (invariant: equals :meth:`chunk_ids`)."""
        with translate_errors("cannot read vectors"):
            return self._vectors.ids()

    def __len__(self) -> int:
        return len(self.catalog)

    def article(self, article_id: str) -> Article:
        found = self.catalog.article(article_id)
        if found is None:
            raise StoreError(f"no article {article_id!r} in store {self.directory}")
        return found

    def articles(self, source: str | None = None) -> list[Article]:
        return self.catalog.articles(source)

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        mode: RetrievalMode = "hybrid",
        candidates: int = 30,
        dense_weight: float | None = None,
    ) -> list[Hit]:
        """Top ``k`` chunks for ``query``.

        ``hybrid`` fuses the dense and BM25 lists by weighted reciprocal rank fusion (each
        list cut at ``candidates``; BM25 weighs 1, dense ``dense_weight``, default the
        store's); ``dense`` and ``bm25`` use one retriever alone.
        """
        size = len(self)
        if not query.strip() or size == 0:
            return []
        n = max(candidates, k)
        with translate_errors("search failed"):
            dense = self._vectors.search(query, min(n, size)) if mode in ("hybrid", "dense") else []
            sparse = self._bm25_search(query, n) if mode in ("hybrid", "bm25") else []
        weight = self.dense_weight if dense_weight is None else dense_weight
        fused = fuse(dense, sparse, dense_weight=weight)
        chunks = self.catalog.chunks_by_id(f.id for f in fused)
        hits: list[Hit] = []
        for f in fused:
            if f.id not in chunks:  # a vector whose catalogue row is gone (another process's write)
                continue
            if len(hits) == k:
                break
            hits.append(Hit(chunks[f.id], f.score, f.dense_rank, f.bm25_rank, f.dense_score, f.bm25_score))
        return hits

    def idf(self, tokens: Iterable[str]) -> dict[str, float]:
        """Inverse document frequency of BM25 tokens over all chunks (see ``BM25Index.idf``)."""
        return self._bm25.idf(tokens, self.catalog.generation, self.catalog.token_rows)

    def _bm25_search(self, query: str, n: int) -> list[tuple[str, float]]:
        return self._bm25.search(tokenize(query), n, self.catalog.generation, self.catalog.token_rows)
