"""The hybrid article store: Chroma vectors + BM25 over Chinese tokens, one directory.

>>> from docs_store import open_store
>>> store = open_store()                      # DOCS_STORE_DIR, EMBEDDING_MODEL, CHROMA_HOST
>>> hits = store.search("定襄法兰2024年产值", k=3)
>>> hits[0].chunk.title, hits[0].score
"""

from ._embeddings import M3E_SMALL_SHA256, EmbeddingModel, bundled_model_path, load_embedding_model
from ._errors import StoreError
from ._langchain import StoreRetriever, as_retriever, hit_to_document
from ._open import open_store
from ._settings import DEFAULT_EMBEDDING_MODEL, RetrievalMode, Settings, SettingsError
from ._store import DocsStore
from ._tokenize import tokenize
from ._types import Hit, IngestReport, SourceInfo

__all__ = [
    "DEFAULT_EMBEDDING_MODEL",
    "M3E_SMALL_SHA256",
    "DocsStore",
    "EmbeddingModel",
    "Hit",
    "IngestReport",
    "RetrievalMode",
    "Settings",
    "SettingsError",
    "SourceInfo",
    "StoreError",
    "StoreRetriever",
    "as_retriever",
    "bundled_model_path",
    "hit_to_document",
    "load_embedding_model",
    "open_store",
    "tokenize",
]
