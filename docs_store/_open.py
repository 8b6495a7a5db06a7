"""Build a store from :class:`Settings` — the one place that turns settings into objects."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ._catalog import Catalog
from ._embeddings import EmbeddingModel, load_embedding_model
from ._errors import StoreError, translate_errors
from ._milvus import MilvusCatalog, MilvusConnection
from ._settings import Settings
from ._store import REBUILD_BATCH, DocsStore, ProgressFn
from ._types import SourceInfo
from ._vectors import VectorIndex


def open_store(
    settings: Settings | None = None,
    *,
    embedding: EmbeddingModel | None = None,
    rebuilding: bool = False,
    migrating: bool = False,
) -> DocsStore:
    """Open (or create) the store named by ``settings`` (default: from the environment).

    ``rebuilding`` opens a store made with another encoder, to re-embed it; ``migrating``
    one whose vectors live in the other backend, to move them (``python -m ingest``).
    """
    settings = settings or Settings.from_env()
    embedding = embedding or load_embedding_model(
        settings.embedding_model, backend=settings.embedding_backend, cache_dir=settings.model_cache_dir
    )
    milvus = None
    if settings.milvus_uri:
        if not migrating:
            _refuse_local_content(settings)
        milvus = milvus_connection(settings, dim=int(embedding.embed_documents(["维度"]).shape[1]))
    client = _chroma_client(settings.chroma_host, settings.chroma_port) if settings.chroma_host else None
    return DocsStore(
        settings.store_dir,
        embedding=embedding,
        chroma_client=client,
        dense_weight=settings.dense_weight,
        rebuilding=rebuilding,
        backend=backend_of(settings),
        migrating=migrating,
        entities=settings.entity_index,
        tagger=settings.entity_tagger,
        verifier=settings.entity_verifier,
        uploads=settings.uploads,
        milvus=milvus,
    )


def backend_of(settings: Settings) -> str:
    """What a store records as its backend: ``local``, ``server HOST:PORT`` or ``milvus URI#STORE``."""
    if settings.milvus_uri:
        return f"milvus {settings.milvus_uri}#{settings.milvus_store}"
    return f"server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else "local"


def milvus_connection(settings: Settings, *, dim: int | None) -> MilvusConnection:
    """The Milvus collections of ``settings`` (created when missing, unless ``dim`` is None)."""
    assert settings.milvus_uri
    return MilvusConnection(settings.milvus_uri, name=settings.milvus_store, dim=dim, token=settings.milvus_token)


def read_sources(settings_or_dir: Settings | Path | str) -> list[SourceInfo]:
    """The sources of a store, read without opening it (no model, no lock): works while
    another process holds or writes the store, and never waits for it."""
    if isinstance(settings_or_dir, Settings) and settings_or_dir.milvus_uri:
        _refuse_local_content(settings_or_dir)
        connection = milvus_connection(settings_or_dir, dim=None)
        try:
            if not connection.exists:
                return []
            catalog = MilvusCatalog(connection)
            _refuse_moved(catalog.meta("vectors"), "local", f"the Milvus store {settings_or_dir.milvus_store!r}")
            return catalog.sources()
        finally:
            connection.close()
    directory = settings_or_dir.store_dir if isinstance(settings_or_dir, Settings) else Path(settings_or_dir)
    local = Catalog(directory / "catalog.sqlite3", read_only=True)
    try:
        _refuse_moved(local.meta("vectors"), "milvus", f"store {directory}")
        return local.sources()
    finally:
        local.close()


def _refuse_moved(recorded: str | None, elsewhere: str, what: str) -> None:
    """A store that ``--migrate`` moved between a folder and Milvus is read where it went
    (``elsewhere``: the kind of backend it records when it moved away)."""
    if recorded and recorded.startswith(elsewhere + " "):
        raise StoreError(f"{what} was moved to {recorded.split(' ', 1)[1]}; set MILVUS_URI accordingly, or move it"
                         " back with `python -m ingest --migrate`")  # fmt: skip


def _refuse_local_content(settings: Settings) -> None:
    """A local store in ``DOCS_STORE_DIR`` that was never moved: opening Milvus instead
    would silently hide its articles, so say how to move them."""
    recorded, articles = _local_record(settings)
    if articles and not (recorded or "local").startswith("milvus "):
        raise StoreError(
            f"store {settings.store_dir} holds {articles} articles locally, but MILVUS_URI is set; move them with"
            f" `python -m ingest --store {settings.store_dir} --migrate` (with MILVUS_URI set), or unset MILVUS_URI"
        )


def migrate(
    settings: Settings, *, progress: ProgressFn | None = None, from_milvus: str | None = None
) -> tuple[str, str, int]:
    """Move a store to the backend ``settings`` name, from the one it records.

    Between a local folder and a Chroma server only the vectors move; to or from Milvus the
    whole store does (articles, chunks with their vectors, sources; entities are extracted
    again), and the old place records where it went, so it is not opened by mistake.
    ``from_milvus`` names the Milvus store to move back (``URI#STORE``) when the local
    folder holds no record of it. Returns ``(old backend, new backend, chunks copied)``.
    """
    if settings.milvus_uri:
        return _to_milvus(settings, progress)
    recorded = from_milvus or _recorded(settings)
    if recorded and (recorded.startswith("milvus ") or from_milvus):
        return _from_milvus(settings, recorded.removeprefix("milvus "), progress)
    with open_store(settings, migrating=True) as store:
        old = store.catalog.meta("vectors") or "local"
        if old == store.backend:
            return old, old, 0
        if old == "local":
            client = None
        else:
            host, _, port = old.split(" ", 1)[1].rpartition(":")
            client = _chroma_client(host, int(port))
        source = VectorIndex(store.directory, store.embedding, client)
        return old, store.backend, store.migrate_vectors(source, progress=progress)


def _recorded(settings: Settings) -> str | None:
    return _local_record(settings)[0]


def _local_record(settings: Settings) -> tuple[str | None, int]:
    """The backend the local folder's catalogue records, and its articles ((None, 0): none)."""
    path = settings.store_dir / "catalog.sqlite3"
    if not path.is_file():
        return None, 0
    catalog = Catalog(path, read_only=True)
    try:
        return catalog.meta("vectors"), catalog.date_coverage()[3]
    finally:
        catalog.close()


def _to_milvus(settings: Settings, progress: ProgressFn | None) -> tuple[str, str, int]:
    local = Settings(**{**settings.__dict__, "milvus_uri": None})
    old = _recorded(local) or "local"
    if old.startswith("milvus "):
        raise StoreError(f"store {settings.store_dir} was already moved to {old.removeprefix('milvus ')}")
    if old != "local":
        host, _, port = old.split(" ", 1)[1].rpartition(":")
        local = Settings(**{**local.__dict__, "chroma_host": host, "chroma_port": int(port)})
    with open_store(local) as source:
        embedding = source.embedding
        _clear_milvus(settings)
        with open_store(settings, embedding=embedding, migrating=True) as target:
            copied = copy_store(source, target, progress)
            target.catalog.set_meta("vectors", target.backend)
            target.catalog.set_meta("model_id", source.model_id)
        source.catalog.set_meta("vectors", backend_of(settings))
    return old, backend_of(settings), copied


def _from_milvus(settings: Settings, where: str, progress: ProgressFn | None) -> tuple[str, str, int]:
    uri, _, name = where.rpartition("#") if "#" in where else (where, "", "news")
    remote = Settings(**{**settings.__dict__, "milvus_uri": uri, "milvus_store": name or "news", "chroma_host": None})
    old = backend_of(remote)
    with open_store(remote, migrating=True) as source:
        _clear_local(settings)
        with open_store(settings, embedding=source.embedding, migrating=True) as target:
            copied = copy_store(source, target, progress)
            target.catalog.set_meta("vectors", target.backend)
            target.catalog.set_meta("model_id", source.model_id)
        source.catalog.set_meta("vectors", f"local {settings.store_dir.resolve()}")
    return old, backend_of(settings), copied


def _clear_milvus(settings: Settings) -> None:
    """A Milvus store left by an earlier round trip is replaced; one in use is refused."""
    connection = milvus_connection(settings, dim=None)
    try:
        if not connection.exists:
            return
        recorded = MilvusCatalog(connection).meta("vectors")
        if recorded is not None and recorded.startswith("milvus "):
            raise StoreError(f"the Milvus store {settings.milvus_store!r} at {settings.milvus_uri} is in use; "
                             "set MILVUS_STORE to another name")  # fmt: skip
        connection.drop()
    finally:
        connection.close()


def _clear_local(settings: Settings) -> None:
    """The local folder is replaced only when it holds nothing, or an old copy of a store
    that moved to Milvus."""
    recorded, articles = _local_record(settings)
    if recorded is not None and not recorded.startswith("milvus ") and articles:
        raise StoreError(f"store {settings.store_dir} already holds {articles} articles; choose an empty --store")
    for name in ("catalog.sqlite3", "catalog.sqlite3-wal", "catalog.sqlite3-shm"):
        (settings.store_dir / name).unlink(missing_ok=True)
    for name in ("chroma", "bm25"):
        shutil.rmtree(settings.store_dir / name, ignore_errors=True)


def copy_store(source: DocsStore, target: DocsStore, progress: ProgressFn | None = None) -> int:
    """Every source of ``source`` into ``target``: same articles, chunks and vectors (no
    re-embedding), entities extracted again. Returns the number of chunks copied."""
    total = len(source.chunk_ids())
    copied = 0
    for info in source.sources():
        state = source.catalog.source_state(info.source)
        assert state is not None
        articles = source.articles(info.source)
        step = REBUILD_BATCH // 8
        for i in range(0, max(len(articles), 1), step):
            part = articles[i : i + step]
            last = i + step >= len(articles)  # until then the source is partial: a stopped copy shows
            status = state[1] if last else "partial"
            copied += target.copy_articles(info.source, (state[0], status), part, *source.vectors_of(part))
            if progress is not None:
                progress(copied, total)
    if target.entities:  # extracted again above, by this extractor: no re-extraction at the next open
        target.catalog.set_meta("entities_version", target.extractor_version)
    return copied


def _chroma_client(host: str, port: int) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    with translate_errors(f"cannot reach Chroma server at {host}:{port}"):
        client = chromadb.HttpClient(host=host, port=port, settings=ChromaSettings(anonymized_telemetry=False))
        client.heartbeat()
    return client
