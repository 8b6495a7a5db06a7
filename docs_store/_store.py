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
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np

from ingest import ENTITY_INDEX_VERSION, Article, Chunk, Extraction, ParsedSource, chunk_article, extract_entities, fold
from ingest._entities import shared_tagger, shared_verifier

from ._bm25 import BM25Index, in_range
from ._catalog import Catalog, SourceStatus
from ._embeddings import EmbeddingModel
from ._errors import StoreBusy, StoreError, translate_errors
from ._faults import checkpoint
from ._fusion import DEFAULT_DENSE_WEIGHT, fuse
from ._milvus import MilvusBM25, MilvusCatalog, MilvusConnection, MilvusVectors
from ._settings import RetrievalMode
from ._tokenize import tokenize
from ._types import Hit, IngestReport, IngestStatus, SourceInfo
from ._vectors import VectorIndex, date_number

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
"""``progress(done, total)`` while embedding."""
BulkProgressFn = Callable[[int, int], None]
"""``progress(articles seen, of which skipped as already stored)`` during a bulk import."""
BULK_BATCH = 256
"""Articles committed together in a bulk import: a kill loses at most one batch of work."""
EMBED_BATCH = 256
"""Chunks embedded per call, so a progress bar moves and Ctrl-C is noticed between calls."""
REBUILD_BATCH = 2048
SWEEP_OVER = 2000
"""Milvus: a write removing more chunks than this journals their source, not their ids (a
journal entry stays small), and a recovery sweeps the source's chunks no article holds."""
AUTO_REINDEX_ARTICLES = 5000
"""Up to this many articles, an outdated entity index is redone when the store opens."""


class DocsStore:
    """Hybrid article store: add / replace / delete by source, search by dense + BM25.

    Args:
        directory: the store directory (``DOCS_STORE_DIR``).
        embedding: the embedding model; its ``model_id`` is recorded and checked on reopen.
        chroma_client: a chromadb client for the vectors; default is a local folder client.
            Pass ``chromadb.HttpClient`` to use a ``chroma run`` server; then several
            processes may open the same store directory (writes are serialised by a file lock).
        dense_weight: the dense list's weight in hybrid fusion (BM25 weighs 1).
        rebuilding: open a store whose vectors came from another encoder, in order to
            :meth:`rebuild_vectors` (otherwise that is refused).
        backend: where the vectors live, ``"local"`` or ``"server HOST:PORT"``; recorded,
            and a store opened with another backend is refused (it would look empty) unless
            ``migrating`` (see :meth:`migrate_vectors`).
        entities: extract towns, parks, projects, companies and places at ingest
            (``ENTITY_INDEX``); off, the entity index stays empty.
        tagger: the rules take the learned name tagger's edges (``ENTITY_TAGGER``).
        verifier: the learned verifier drops found names it finds more likely than not
            none (``ENTITY_VERIFIER``).
        uploads: the upload folder (``UPLOAD_DIR``, default ``<store>/uploads``): a deleted
            source that lies there is removed with it.
        milvus: keep the whole store in Milvus instead (``MILVUS_URI``, see ``_milvus``):
            ``directory`` then only holds the upload folder, and any number of processes
            on any machines may open the store at once (no lock is taken).
    """

    def __init__(
        self,
        directory: str | Path,
        *,
        embedding: EmbeddingModel,
        chroma_client: Any = None,
        dense_weight: float = DEFAULT_DENSE_WEIGHT,
        rebuilding: bool = False,
        backend: str = "local",
        migrating: bool = False,
        entities: bool = True,
        tagger: bool = False,
        verifier: bool = True,
        uploads: Path | None = None,
        milvus: MilvusConnection | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.dense_weight = dense_weight
        self.entities = entities
        self.tagger = tagger
        self.verifier = verifier
        self.uploads = uploads if uploads is not None else self.directory / "uploads"
        self._embedding = embedding
        self._write_lock = threading.Lock()  # one add/replace/delete at a time in this process
        self._lockfile: IO[str] | None = None
        self._catalog: Catalog | MilvusCatalog | None = None
        self._milvus = milvus
        self._vectors: VectorIndex | MilvusVectors
        self._bm25: BM25Index | MilvusBM25
        try:
            with translate_errors(f"cannot open store {self.directory}"):
                self.directory.mkdir(parents=True, exist_ok=True)
            if milvus is None and (chroma_client is None or migrating):
                self._take_process_lock()
            self.backend = backend
            if milvus is not None:
                catalog = MilvusCatalog(milvus)
                self._catalog = catalog
                self._pending_key = f"pending:{catalog.writer}"
                self._vectors = MilvusVectors(milvus, embedding)
                self._bm25 = MilvusBM25(milvus, catalog)
            else:
                self._catalog = Catalog(self.directory / "catalog.sqlite3")
                self._pending_key = "pending"
            if not migrating:
                self._check_backend()
            if not rebuilding:
                self._check_model()
            if milvus is None:
                self._vectors = VectorIndex(self.directory, embedding, chroma_client)
                self._bm25 = BM25Index(self.directory, self._catalog)  # type: ignore[arg-type]
            if not (rebuilding or migrating):  # both replace the vectors anyway
                with self._writer():
                    self._recover_all()
                self._refresh_entities()
        except BaseException:
            self.close()
            raise

    @property
    def embedding(self) -> EmbeddingModel:
        return self._embedding

    @property
    def catalog(self) -> Catalog:  # or a MilvusCatalog: the same surface
        if self._catalog is None:
            raise StoreError(f"store {self.directory} is closed")
        return self._catalog  # type: ignore[return-value]

    # ------------------------------------------------------------------ opening and closing

    def _take_process_lock(self) -> None:
        """A local Chroma folder is not process-safe: one process holds it (see ``_service``
        for how others still write through it)."""
        path = self.directory / ".lock"
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(handle.fileno()).st_ino != _inode(path):  # the holder removed it as we opened it
                handle.close()
                return self._take_process_lock()
        except BlockingIOError:
            handle.seek(0)
            holder = _holder(handle.read())
            handle.close()
            pid, service = holder.get("pid"), holder.get("service")
            raise StoreBusy(
                f"store {self.directory} is open in another process (pid {pid or '?'}); a local store is"
                " single-process — use the app's service, close it, or run `chroma run` and set CHROMA_HOST",
                pid,
                service,
            ) from None
        self._lockfile = handle
        self.advertise(None)

    def advertise(self, service: Path | None) -> None:
        """Record in the lock file who holds the store and where it takes requests."""
        if self._lockfile is None:
            return
        self._lockfile.seek(0)
        self._lockfile.truncate()
        self._lockfile.write(json.dumps({"pid": os.getpid(), "service": str(service) if service else None}))
        self._lockfile.flush()

    def _check_model(self) -> None:
        """One store, one encoder: vectors of two encoders are not comparable."""
        recorded = self.catalog.meta("model_id")
        if self.catalog.meta("rebuilding") is not None:
            raise StoreError(
                f"store {self.directory} was being re-embedded when it stopped; finish with"
                f" `python -m ingest --store {self.directory} --rebuild`"
            )
        if recorded is None:
            self.catalog.set_meta("model_id", self._embedding.model_id)
        elif recorded != self._embedding.model_id:
            raise StoreError(
                f"store {self.directory} holds vectors of {recorded!r}, but the encoder is"
                f" {self._embedding.model_id!r}; re-embed it with `python -m ingest --store {self.directory}"
                " --rebuild`, or set EMBEDDING_MODEL / EMBEDDING_BACKEND back to what made it"
            )

    def _check_backend(self) -> None:
        """A store's vectors live in one place; opened with the other backend it would
        silently look empty, so say how to move them instead."""
        recorded = self.catalog.meta("vectors")
        if recorded is None:
            self.catalog.set_meta("vectors", self.backend)
        elif recorded.startswith("milvus ") and self.backend.startswith("milvus "):
            return  # read from Milvus itself: the same store, however this machine names the server
        elif recorded != self.backend:
            raise StoreError(
                f"store {self.directory} keeps its vectors in {_describe_backend(recorded)}, but it was opened with"
                f" {_describe_backend(self.backend)}; move them with `python -m ingest --store {self.directory}"
                " --migrate` (run with the new MILVUS_URI or CHROMA_HOST setting), or go back to the old setting"
            )

    @property
    def model_id(self) -> str:
        """The encoder whose vectors this store holds."""
        return self.catalog.meta("model_id") or self._embedding.model_id

    @contextlib.contextmanager
    def _writer(self) -> Iterator[None]:
        """One writer at a time: a thread lock, plus a file lock for other processes that
        share this directory through a Chroma server (recovery must not undo their write).
        Milvus writers need no lock: each keeps its own journals (see ``_recover_all``)."""
        if self._milvus is not None:
            with self._write_lock:
                yield
            return
        with self._write_lock, (self.directory / ".write.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def close(self) -> None:
        vectors = getattr(self, "_vectors", None)  # absent when opening failed before it
        if vectors is not None:
            vectors.close()
        if self._catalog is not None:
            self._catalog.close()
            self._catalog = None
        if self._milvus is not None:
            self._milvus.close()
            self._milvus = None
        if self._lockfile is not None:  # no stale lock file: the store is free when it is gone
            with contextlib.suppress(OSError):
                (self.directory / ".lock").unlink()
            fcntl.flock(self._lockfile, fcntl.LOCK_UN)
            self._lockfile.close()
            self._lockfile = None

    def __enter__(self) -> DocsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def ingest(self, parsed: ParsedSource, *, progress: ProgressFn | None = None) -> IngestReport:
        """Add or replace one source, all or nothing. Same bytes as stored → ``unchanged``.

        Embedding happens before the write lock is taken: a long upload never blocks
        another writer, and readers never wait for it.
        """
        source = parsed.source
        with translate_errors(f"cannot store {source}"):
            # identical articles within one source share chunk ids: keep one of each
            chunks = list({c.id: c for a in parsed.articles for c in chunk_article(a)}.values())
            if self.catalog.source_hash(source) == parsed.content_hash:
                return IngestReport(source, "unchanged", len(parsed.articles), len(chunks))
            stored = self.catalog.chunk_ids(source)
            vectors = self._embed([c for c in chunks if c.id not in stored], progress)
            extractions = [self._extract(a) for a in parsed.articles]
            with self._writer():
                was = self.catalog.source_state(source)
                if was is not None and was == (parsed.content_hash, "complete"):
                    return IngestReport(source, "unchanged", len(parsed.articles), len(chunks))
                stored_now = self.catalog.chunk_ids(source)  # another writer may have changed it meanwhile
                to_add = [c for c in chunks if c.id not in stored_now]
                to_remove = sorted(stored_now - {c.id for c in chunks})
                vectors = self._vectors_for(to_add, vectors, [c for c in chunks if c.id not in stored])

                def write_catalog() -> None:
                    self.catalog.replace_source(source, parsed.content_hash, parsed.articles, chunks, extractions)

                self._write(source, to_add, vectors, to_remove, write_catalog)
                self._retag(chunks, stored_now)
            status: IngestStatus = "added" if was is None else "replaced"
            return IngestReport(source, status, len(parsed.articles), len(chunks), len(to_add), len(to_remove))

    def ingest_bulk(
        self,
        source: str,
        content_hash: str,
        articles: Iterable[Article],
        *,
        progress: BulkProgressFn | None = None,
        batch: int = BULK_BATCH,
    ) -> IngestReport:
        """Add or replace a bulk source (``.jsonl``) article by article, resumably.

        Articles are committed in batches; one already stored (same content hash) is
        skipped, so a killed or interrupted import continues where it stopped when run
        again. The source is marked ``partial`` until the last batch; then articles of
        its earlier version that the file no longer holds are removed and it becomes
        ``complete``. Same file as stored and complete → ``unchanged``.
        """
        with translate_errors(f"cannot store {source}"):
            state = self.catalog.source_state(source)
            if state == (content_hash, "complete"):
                return IngestReport(source, "unchanged", len(self.catalog.article_ids(source)),
                                    len(self.catalog.chunk_ids(source)))  # fmt: skip
            stored = self.catalog.article_ids(source)
            seen: set[str] = set()
            waiting: list[Article] = []
            done = skipped = added_chunks = 0
            for article in articles:
                if article.id in seen:
                    continue
                seen.add(article.id)
                if article.id in stored:
                    skipped += 1
                else:
                    waiting.append(article)
                if len(waiting) >= batch:
                    added_chunks += self._commit_articles(source, content_hash, waiting)
                    done += len(waiting)
                    waiting = []
                if progress is not None:
                    progress(done + skipped + len(waiting), skipped)
            if waiting:
                added_chunks += self._commit_articles(source, content_hash, waiting)
            removed = self._finish_bulk(source, content_hash, sorted(stored - seen))
            status: IngestStatus = "added" if state is None else "replaced"
            return IngestReport(source, status, len(seen), len(self.catalog.chunk_ids(source)), added_chunks, removed)

    def _commit_articles(self, source: str, content_hash: str, articles: Sequence[Article]) -> int:
        """One batch of a bulk import: embedded, then committed with the source marked
        ``partial`` (nothing is recorded for a file that fails before its first batch)."""
        chunks = list({c.id: c for a in articles for c in chunk_article(a)}.values())
        vectors = self._embed(chunks, None)
        found = {a.id: self._extract(a) for a in articles}
        with self._writer():
            taken = self.catalog.present_articles(a.id for a in articles)
            if taken:  # another process stored some of these meanwhile: keep theirs
                articles = [a for a in articles if a.id not in taken]
                keep = [i for i, c in enumerate(chunks) if c.article_id not in taken]
                chunks, vectors = [chunks[i] for i in keep], vectors[keep]
            extractions = [found[a.id] for a in articles]

            def write_catalog() -> None:
                self.catalog.add_articles(articles, chunks, extractions)
                self.catalog.set_source(source, content_hash, "partial")

            self._write(source, chunks, vectors, [], write_catalog)
        return len(chunks)

    def _finish_bulk(self, source: str, content_hash: str, stale: list[str]) -> int:
        with self._writer():
            gone = self.catalog.chunk_ids_of_articles(stale)

            def write_catalog() -> None:
                self.catalog.remove_articles(stale)
                self.catalog.set_source(source, content_hash, "complete")

            self._write(source, [], np.zeros((0, 0), dtype=np.float32), gone, write_catalog)
        return len(gone)

    def delete_source(self, source: str) -> int:
        """Remove one source and all its chunks; returns the number of chunks removed.

        An uploaded file (kept in the upload folder) goes too, under the same lock, so an
        upload of the same name cannot slip in between.
        """
        with self._writer(), translate_errors(f"cannot delete {source}"):
            resolved = self.resolve_source(source)
            ids = sorted(self.catalog.chunk_ids(resolved))
            self._write(
                resolved, [], np.zeros((0, 0), dtype=np.float32), ids, lambda: self.catalog.delete_source_rows(resolved)
            )
            self._remove_upload(resolved)
        return len(ids)

    def _remove_upload(self, source: str) -> None:
        path = Path(source)
        if path.parent.resolve() == self.uploads.resolve() and path.is_file():
            with contextlib.suppress(OSError):
                path.unlink()

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

    def _retag(self, chunks: Sequence[Chunk], kept: set[str]) -> None:
        """Kept chunks whose article got another date (a corrected page, a better reader):
        their ids hash the text, not the date, so only the vectors' metadata changes."""
        before = self.catalog.chunks_by_id(c.id for c in chunks if c.id in kept)
        changed = [c for c in chunks if c.id in before and before[c.id].date != c.date]
        if changed:
            self._vectors.retag(changed)

    def _vectors_for(self, to_add: Sequence[Chunk], vectors: np.ndarray, embedded: Sequence[Chunk]) -> np.ndarray:
        """Rows of ``vectors`` (computed for ``embedded``) for ``to_add``, embedding any chunk
        that was not foreseen (rare: another writer removed it meanwhile)."""
        row = {c.id: i for i, c in enumerate(embedded)}
        missing = [c for c in to_add if c.id not in row]
        extra = self._embed(missing, None) if missing else None
        out = []
        for c in to_add:
            if c.id in row:
                out.append(vectors[row[c.id]])
            else:
                assert extra is not None
                out.append(extra[missing.index(c)])
        return np.asarray(out, dtype=np.float32) if out else np.zeros((0, 0), dtype=np.float32)

    def _write(
        self,
        source: str,
        to_add: Sequence[Chunk],
        vectors: np.ndarray,
        to_remove: Sequence[str],
        write_catalog: Callable[[], None],
    ) -> None:
        """The write protocol, under the write lock: journal, new vectors, catalogue, old
        vectors, clear. Old vectors go after the commit, so a kill never leaves a stored
        chunk without its vector (in Milvus the chunk row is the vector, and its text)."""
        self._recover()  # an earlier failed write whose recovery failed must not be overwritten
        journal: dict[str, Any] = {"add": [c.id for c in to_add], "remove": list(to_remove)}
        if self._milvus is not None and len(to_remove) > SWEEP_OVER:
            journal = {"add": journal["add"], "sweep": source}  # a whole big source: no id list
        self.catalog.set_meta(self._pending_key, self._journal(journal))
        checkpoint("journal written")
        try:
            self._vectors.upsert(to_add, vectors, on_batch=lambda: checkpoint("chroma upsert batch"))
            with self.catalog.transaction():
                write_catalog()
                checkpoint("catalogue written, not committed")
            checkpoint("catalogue committed")
            self._vectors.delete(to_remove, on_batch=lambda: checkpoint("chroma delete batch"))
            self.catalog.set_meta(self._pending_key, None)
        except BaseException:
            logger.warning("write of %s failed; restoring the previous state", source)
            with contextlib.suppress(Exception):
                self._recover()
            raise

    def _embed(self, chunks: Sequence[Chunk], progress: ProgressFn | None) -> np.ndarray:
        texts = [fold(c.index_text) for c in chunks]  # one script for matching; Chroma keeps the original
        parts: list[np.ndarray] = []
        for i in range(0, len(texts), EMBED_BATCH):
            parts.append(self._embedding.embed_documents(texts[i : i + EMBED_BATCH]))
            checkpoint("embedded a batch")
            if progress is not None:
                progress(min(i + EMBED_BATCH, len(texts)), len(texts))
        return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)

    def rebuild_vectors(self, *, progress: ProgressFn | None = None) -> int:
        """Re-embed every chunk with the current encoder (after changing model or backend).

        The catalogue is the truth, so no source file is read. Interrupted, the store says
        so on the next open until a rebuild finishes. Returns the number of chunks embedded.
        """
        with self._writer(), translate_errors(f"cannot rebuild the vectors of {self.directory}"):
            self.catalog.set_meta("rebuilding", self._embedding.model_id)
            self.catalog.set_meta(self._pending_key, None)
            ids = sorted(self.catalog.chunk_ids())
            self._vectors.reset()
            for i in range(0, len(ids), REBUILD_BATCH):
                chunks = list(self.catalog.chunks_by_id(ids[i : i + REBUILD_BATCH]).values())
                self._vectors.upsert(chunks, self._embed(chunks, None))
                if progress is not None:
                    progress(min(i + REBUILD_BATCH, len(ids)), len(ids))
            self.catalog.set_meta("model_id", self._embedding.model_id)
            self.catalog.set_meta("rebuilding", None)
            return len(ids)

    def _extract(self, article: Article) -> Extraction:
        if not self.entities:
            return Extraction((), ())
        return extract_entities(article, tagger=shared_tagger() if self.tagger else None, verify=self.verifier)

    @property
    def extractor_version(self) -> str:
        """The entity extractor this store writes with: its version, the settings that change
        its output and the digests of the learned weights it uses (so that switching a setting
        or retraining re-extracts at the next open)."""
        verifier = shared_verifier() if self.verifier else None  # no bundled weights: the rules alone
        tagger = shared_tagger() if self.tagger else None
        return (
            ENTITY_INDEX_VERSION
            + (f"+tagger@{tagger.meta['weights_sha256'][:12]}" if tagger else "")
            + (f"+verifier@{verifier.digest}" if verifier else "-verifier")
        )

    def reindex_entities(self) -> int:
        """Extract the entities of every stored article again (after the extractor changed,
        or for a store made before it existed). Returns the number of articles."""
        with (
            self._writer(),
            translate_errors(f"cannot index the entities of {self.directory}"),
            self.catalog.transaction(),
        ):
            count = self.catalog.reindex_entities(self._extract)
            self.catalog.set_meta("entities_version", self.extractor_version)
            return count

    def _refresh_entities(self) -> None:
        """An entity index written by an older extractor is redone at open (a few seconds
        for thousands of articles); a bigger store is left as it is, with a warning naming
        the command, so opening never stalls for minutes."""
        if not self.entities or self.catalog.meta("entities_version") == self.extractor_version:
            return
        articles = self.catalog.date_coverage()[3]
        if articles == 0:
            self.catalog.set_meta("entities_version", self.extractor_version)
        elif articles <= AUTO_REINDEX_ARTICLES:
            logger.info("re-extracting the entities of %d articles (extractor %s)", articles, self.extractor_version)
            self.reindex_entities()
        else:
            logger.warning(
                "the entity index of %s is not from extractor %s; run `python -m ingest --reindex-entities`",
                self.directory,
                self.extractor_version,
            )

    def migrate_vectors(self, source: VectorIndex, *, progress: ProgressFn | None = None) -> int:
        """Copy every vector from ``source`` (the store's old backend) into this store's
        backend, then record the new backend; no re-embedding. Returns the vectors copied."""
        with self._writer(), translate_errors(f"cannot migrate the vectors of {self.directory}"):
            self._vectors.reset()  # the target may hold vectors from an earlier round trip
            ids = sorted(self.catalog.chunk_ids())
            for i in range(0, len(ids), REBUILD_BATCH):
                part = ids[i : i + REBUILD_BATCH]
                vectors = source.vectors(part)
                chunks = self.catalog.chunks_by_id(part)
                missing = [cid for cid in part if cid not in vectors]
                if missing:
                    raise StoreError(f"the old backend lacks {len(missing)} vectors (e.g. {missing[0]}); use --rebuild")
                self._vectors.upsert([chunks[c] for c in part], np.asarray([vectors[c] for c in part]))
                if progress is not None:
                    progress(min(i + REBUILD_BATCH, len(ids)), len(ids))
            self.catalog.set_meta("vectors", self.backend)
            return len(ids)

    def vectors_of(self, articles: Sequence[Article]) -> tuple[list[Chunk], np.ndarray]:
        """The stored chunks of ``articles`` with their vectors (for :func:`copy_store`)."""
        chunks = list(self.catalog.chunks_by_id(self.catalog.chunk_ids_of_articles(a.id for a in articles)).values())
        found = self._vectors.vectors([c.id for c in chunks])
        missing = [c for c in chunks if c.id not in found]
        if missing:
            raise StoreError(f"{len(missing)} chunks lack a vector (e.g. {missing[0].id}); run --rebuild first")
        return chunks, np.asarray([found[c.id] for c in chunks], dtype=np.float32)

    def copy_articles(
        self, source: str, state: tuple[str, SourceStatus], articles: Sequence[Article], chunks: Sequence[Chunk],
        vectors: np.ndarray,
    ) -> int:  # fmt: skip
        """Store articles with their chunks and vectors as they are (a migration): same
        write protocol as an ingest, entities extracted again."""
        extractions = [self._extract(a) for a in articles]

        def write_catalog() -> None:
            self.catalog.add_articles(articles, chunks, extractions)
            self.catalog.set_source(source, state[0], state[1])

        with self._writer():
            self._write(source, chunks, vectors, [], write_catalog)
        return len(chunks)

    def _journal(self, record: dict[str, Any]) -> str:
        catalog = self.catalog
        return catalog.journal(record) if isinstance(catalog, MilvusCatalog) else json.dumps(record)

    def _recover_all(self) -> None:
        """At open: this store's unfinished write; in Milvus, also those of any writer that
        is gone (a killed process on this machine, or one silent for ``LEASE_S``)."""
        catalog = self.catalog
        if not isinstance(catalog, MilvusCatalog):
            return self._recover()
        for writer in catalog.stale_writers():
            self._recover(f"pending:{writer}")  # its catalogue transaction first, then its chunks
        return None

    def _recover(self, key: str | None = None) -> None:
        """Undo a write that did not finish: make the vectors match the catalogue for its ids."""
        key = key or self._pending_key
        catalog = self.catalog
        if isinstance(catalog, MilvusCatalog):
            catalog.recover_transaction(key.split(":", 1)[1])
        pending = self.catalog.meta(key)
        if pending is None:
            return
        record = json.loads(pending)
        ids = record["add"] + record.get("remove", [])
        if "sweep" in record:  # Milvus: the removed chunks are those of the source no article holds
            ids += self.catalog.orphan_chunks(record["sweep"])  # type: ignore[attr-defined]
        known = self.catalog.chunks_by_id(ids)
        stray = [i for i in ids if i not in known]
        self._vectors.delete(stray)
        present = self._vectors.present(known)
        missing = [chunk for cid, chunk in known.items() if cid not in present]
        if missing:
            self._vectors.upsert(missing, self._embed(missing, None))
        self.catalog.set_meta(key, None)
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

    def chunk_at(self, article_id: str, offset: int) -> Chunk | None:
        """The chunk holding article position ``offset`` (for citing entity mentions)."""
        chunk = self.catalog.chunk_at(article_id, offset)
        return chunk if chunk is not None and offset < chunk.start + len(chunk.text) else None

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        mode: RetrievalMode = "hybrid",
        candidates: int = 30,
        dense_weight: float | None = None,
        published: tuple[date, date] | None = None,
        undated: bool = False,
    ) -> list[Hit]:
        """Top ``k`` chunks for ``query``.

        ``hybrid`` fuses the dense and BM25 lists by weighted reciprocal rank fusion (each
        list cut at ``candidates``; BM25 weighs 1, dense ``dense_weight``, default the
        store's); ``dense`` and ``bm25`` use one retriever alone. ``published`` keeps only
        articles published in that (inclusive) range; undated articles are left out unless
        ``undated`` (a question about a year may be answered by a page that bears no date,
        the year in its sentence is checked later; "最近" can only be answered by dated ones).
        """
        if not query.strip():
            return []
        size = len(self) if self._milvus is None else candidates + k  # Milvus: no count call per search
        if size == 0:
            return []
        n = max(candidates, k)
        days = None
        if published is not None:
            days = (date_number(published[0].isoformat()), date_number(published[1].isoformat()))
        with translate_errors("search failed"):
            dense = self._vectors.search(query, min(n, size), days, undated) if mode in ("hybrid", "dense") else []
            sparse = self._bm25.search(tokenize(query), n, days, undated) if mode in ("hybrid", "bm25") else []
        weight = self.dense_weight if dense_weight is None else dense_weight
        fused = fuse(dense, sparse, dense_weight=weight)
        chunks = self.catalog.chunks_by_id(f.id for f in fused)
        hits: list[Hit] = []
        for f in fused:
            if f.id not in chunks:  # a vector whose catalogue row is gone (another process's write)
                continue
            if not in_range(date_number(chunks[f.id].date), days, undated):
                continue
            if len(hits) == k:
                break
            hits.append(Hit(chunks[f.id], f.score, f.dense_rank, f.bm25_rank, f.dense_score, f.bm25_score))
        return hits

    def idf(self, tokens: Iterable[str]) -> dict[str, float]:
        """Inverse document frequency of BM25 tokens over all chunks (see ``BM25Index.idf``)."""
        return self._bm25.idf(tokens)

    def prepare_search(self) -> None:
        """Build or load the search indexes now (after a bulk import, at app start)."""
        with translate_errors(f"cannot prepare the BM25 index of {self.directory}"):
            self._bm25.prepare()
        checkpoint("BM25 index cached")


def _holder(text: str) -> dict[str, Any]:
    """The lock file's content: JSON ``{"pid", "service"}`` (older stores wrote a bare pid)."""
    try:
        data = json.loads(text)
        return data if isinstance(data, dict) else {"pid": int(data)}
    except ValueError:
        return {}


def _describe_backend(backend: str) -> str:
    kind, _, where = backend.partition(" ")
    if kind == "local":
        return f"the local folder {where}" if where else "a local Chroma folder"
    return f"the Milvus store {where}" if kind == "milvus" else f"the Chroma server at {where}"


def _inode(path: Path) -> int:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return -1
