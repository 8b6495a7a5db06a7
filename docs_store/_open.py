"""Build a store from :class:`Settings` — the one place that turns settings into objects."""

from __future__ import annotations

from ._embeddings import EmbeddingModel, load_embedding_model
from ._errors import StoreError, translate_errors
from ._settings import Settings
from ._store import DocsStore


def open_store(settings: Settings | None = None, *, embedding: EmbeddingModel | None = None) -> DocsStore:
    """Open (or create) the store named by ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    embedding = embedding or load_embedding_model(settings.embedding_model)
    client = None
    if settings.chroma_host:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        where = f"{settings.chroma_host}:{settings.chroma_port}"
        with translate_errors(f"cannot reach Chroma server at {where}"):
            try:
                client = chromadb.HttpClient(
                    host=settings.chroma_host,
                    port=settings.chroma_port,
                    settings=ChromaSettings(anonymized_telemetry=False),
                )
                client.heartbeat()
            except Exception as exc:  # noqa: BLE001
                raise StoreError(f"cannot reach Chroma server at {where}: {exc}") from exc
    return DocsStore(settings.store_dir, embedding=embedding, chroma_client=client)
