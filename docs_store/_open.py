"""Build a store from :class:`Settings` — the one place that turns settings into objects."""

from __future__ import annotations

from typing import Any

from ._embeddings import EmbeddingModel, load_embedding_model
from ._errors import translate_errors
from ._settings import Settings
from ._store import DocsStore, ProgressFn
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
        uploads=settings.uploads,
    )


def backend_of(settings: Settings) -> str:
    return f"server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else "local"


def migrate(settings: Settings, *, progress: ProgressFn | None = None) -> tuple[str, str, int]:
    """Move a store's vectors from the backend it records to the one ``settings`` name.

    Returns ``(old backend, new backend, vectors copied)``.
    """
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


def _chroma_client(host: str, port: int) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    with translate_errors(f"cannot reach Chroma server at {host}:{port}"):
        client = chromadb.HttpClient(host=host, port=port, settings=ChromaSettings(anonymized_telemetry=False))
        client.heartbeat()
    return client
