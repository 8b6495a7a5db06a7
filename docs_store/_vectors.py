"""The dense side: one Chroma collection (through langchain-chroma) holding chunk vectors.

Vectors are computed by the caller before anything is written (see ``_store``), so this
module only upserts, deletes, lists and searches, always in batches Chroma accepts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ingest import Chunk

from ._embeddings import EmbeddingModel
from ._errors import translate_errors
from ._fusion import Ranked

CHROMA_BATCH = 1000
LOCAL_COLLECTION = "news_chunks"


class VectorIndex:
    """Chunk vectors in a local Chroma folder (``client=None``) or a ``chroma run`` server.

    A server holds the collections of many stores, so there the collection is named after
    the store directory.
    """

    def __init__(self, directory: Path, embedding: EmbeddingModel, client: Any = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma

        with translate_errors(f"cannot open the vectors of {directory}"):
            if client is None:
                client = chromadb.PersistentClient(
                    path=str(directory / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
                )
                name = LOCAL_COLLECTION
            else:
                name = "news_" + hashlib.sha1(str(directory.resolve()).encode()).hexdigest()[:16]
            self._chroma = Chroma(
                collection_name=name,
                embedding_function=embedding.embeddings,
                client=client,
                collection_metadata={"hnsw:space": "cosine", "model_id": embedding.model_id},
            )
        self._collection = self._chroma._collection

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[list[float]]) -> None:
        for i in range(0, len(chunks), CHROMA_BATCH):
            batch = chunks[i : i + CHROMA_BATCH]
            self._collection.upsert(
                ids=[c.id for c in batch],
                embeddings=list(vectors[i : i + CHROMA_BATCH]),  # type: ignore[arg-type]
                documents=[c.index_text for c in batch],
                metadatas=[{"article_id": c.article_id, "source": c.source} for c in batch],
            )

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), CHROMA_BATCH):
            self._collection.delete(ids=list(ids[i : i + CHROMA_BATCH]))

    def present(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` the collection holds."""
        wanted = list(ids)
        found: set[str] = set()
        for i in range(0, len(wanted), CHROMA_BATCH):
            found.update(self._collection.get(ids=wanted[i : i + CHROMA_BATCH], include=[])["ids"])
        return found

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def search(self, query: str, n: int) -> Ranked:
        """Nearest ``n`` chunk ids by cosine similarity (``1 - distance``)."""
        results = self._chroma.similarity_search_with_score(query, k=n)
        return [(doc.id, 1.0 - float(distance)) for doc, distance in results if doc.id]
