"""The hybrid article store: Chroma vectors + BM25 over Chinese tokens, one directory.

>>> from docs_store import open_store
>>> store = open_store()                      # DOCS_STORE_DIR, EMBEDDING_MODEL, CHROMA_HOST
>>> hits = store.search("定襄法兰2024年产值", k=3)
>>> hits[0].chunk.title, hits[0].score
"""

from ._embeddings import (
    DEFAULT_EMBEDDING_MODEL,
    M3E_SMALL_SHA256,
    EmbeddingBackend,
    EmbeddingModel,
    bundled_model_path,
    load_embedding_model,
    verified_bundled_model,
)
from ._entities import EntitySummary, StoredFact, StoredMention, entity_key
from ._errors import StoreBusy, StoreError
from ._langchain import StoreRetriever, as_retriever, hit_to_document
from ._loader import Event, expand_paths, load_file, load_paths
from ._open import backend_of, copy_store, migrate, open_store, read_sources
from ._openvino import ExportedModel, cached_export, compile_model
from ._service import StoreService, forward, query
from ._settings import RetrievalMode, Settings, SettingsError
from ._store import DocsStore
from ._tokenize import tokenize
from ._types import Hit, IngestReport, SourceInfo
from ._vectors import date_number

__all__ = [
    "DEFAULT_EMBEDDING_MODEL",
    "M3E_SMALL_SHA256",
    "DocsStore",
    "EmbeddingBackend",
    "EmbeddingModel",
    "EntitySummary",
    "Event",
    "ExportedModel",
    "Hit",
    "IngestReport",
    "RetrievalMode",
    "Settings",
    "SettingsError",
    "SourceInfo",
    "StoreBusy",
    "StoreError",
    "StoreRetriever",
    "StoreService",
    "StoredFact",
    "StoredMention",
    "as_retriever",
    "backend_of",
    "bundled_model_path",
    "cached_export",
    "compile_model",
    "copy_store",
    "date_number",
    "entity_key",
    "expand_paths",
    "forward",
    "query",
    "hit_to_document",
    "load_embedding_model",
    "load_file",
    "load_paths",
    "migrate",
    "open_store",
    "read_sources",
    "tokenize",
    "verified_bundled_model",
]
