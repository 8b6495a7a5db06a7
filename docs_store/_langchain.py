"""The store as a LangChain retriever, for users who build their own chains.

``as_retriever`` returns LangChain's own ``EnsembleRetriever`` (reciprocal rank fusion)
over the store's dense and BM25 retrievers, yielding ``Document`` objects whose metadata
carries the chunk id, article, title, source, paragraph and sentence offsets.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from ._store import DocsStore
from ._types import Hit


def hit_to_document(hit: Hit) -> Document:
    c = hit.chunk
    metadata = {
        "chunk_id": c.id,
        "article_id": c.article_id,
        "title": c.title,
        "byline": c.byline,
        "date": c.date,
        "source": c.source,
        "paragraph": c.paragraph,
        "start": c.start,
        "sentences": [list(s) for s in c.sentences],
        "score": hit.score,
    }
    return Document(page_content=c.text, metadata=metadata, id=c.id)


class StoreRetriever(BaseRetriever):
    """One retrieval mode of a :class:`DocsStore` ("dense" or "bm25") as a LangChain retriever."""

    store: Any
    mode: str = "bm25"
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [hit_to_document(h) for h in self.store.search(query, k=self.k, mode=self.mode)]


def as_retriever(store: DocsStore, k: int = 5, dense_weight: float | None = None) -> Any:
    """Hybrid retrieval with LangChain's ``EnsembleRetriever``: weighted RRF over the dense
    and BM25 retrievers, the dense list weighing ``dense_weight`` (default: the store's) and
    BM25 weighing 1, as in :meth:`DocsStore.search`."""
    from langchain_classic.retrievers import EnsembleRetriever

    weight = store.dense_weight if dense_weight is None else dense_weight
    return EnsembleRetriever(
        retrievers=[StoreRetriever(store=store, mode="dense", k=k), StoreRetriever(store=store, mode="bm25", k=k)],
        weights=[weight, 1.0],
        id_key="chunk_id",
    )
