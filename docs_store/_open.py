"""Build a store from :class:`Settings` — the one place that turns settings into objects."""

from __future__ import annotations

from typing import Any

from ._embeddings import EmbeddingModel, load_embedding_model
from ._errors import translate_errors
from ._settings import Settings
from ._store import DocsStore


def open_store(settings: Settings | None = None, *, embedding: EmbeddingModel | None = None) -> DocsStore:
    """Open (or create) the store named by ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    embedding = embedding or load_embedding_model(settings.embedding_model)
    client = _chroma_client(settings) if settings.chroma_host else None
    return DocsStore(settings.store_dir, embedding=embedding, chroma_client=client, dense_weight=settings.dense_weight)


def _chroma_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    with translate_errors(f"cannot reach Chroma server at {settings.chroma_host}:{settings.chroma_port}"):
        client = chromadb.HttpClient(
            host=settings.chroma_host or "",
            port=settings.chroma_port,
            settings=ChromaSettings(anonymized_telemetry=False),
        )
        client.heartbeat()
    return client
