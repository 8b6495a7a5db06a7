"""Settings, read once from the environment at the entry points and passed down.

| variable | default | meaning |
|---|---|---|
| DOCS_STORE_DIR | data/store | store directory (Chroma + BM25 + catalogue) |
| UPLOAD_DIR | <store>/uploads | where the app keeps uploaded files |
| EMBEDDING_MODEL | m3e-small (bundled) | any sentence-transformers name or local path |
| EMBEDDING_BACKEND | openvino | openvino or torch, for the bundled model |
| MODEL_CACHE_DIR | <venv>/share/news-assistant/models | where exported models are cached |
| CHROMA_HOST, CHROMA_PORT | unset, 8000 | use a Chroma server (``chroma run``) for the vectors |
| MILVUS_URI | unset | keep the whole store in Milvus: a local path (milvus-lite) or ``http://host:19530`` |
| MILVUS_TOKEN, MILVUS_STORE | unset, news | Milvus credentials (``user:password``); the store's collection prefix |
| MAX_FILE_MB | 64 | largest page or document file accepted (MB = 2^20 bytes) |
| MAX_BULK_MB | 16384 | largest .jsonl(.gz) bulk file (streamed article by article) |
| RETRIEVAL_MODE | hybrid | hybrid, dense or bm25 |
| TOP_K | 8 | passages retrieved per question; the answer is picked from these |
| HYBRID_DENSE_WEIGHT | 0.5 | weight of the dense list in hybrid fusion (BM25 weighs 1) |
| ANSWER_THRESHOLD | unset | answerability below this means "not found" (unset: the calibrated value) |
| LLM_BASE_URL, LLM_MODEL, LLM_API_KEY | unset, qwen2.5, unset | optional OpenAI-compatible endpoint |
| LLM_PASSAGES | 5 | how many of the retrieved passages the LLM is given |
| LLM_TIMEOUT | 20 | seconds before the LLM path gives up and the extractive answer is used |
| APP_HOST, APP_PORT, APP_AUTH | 127.0.0.1, 7860, unset | app binding and optional ``user:password`` login |
| APP_MAX_UPLOAD_MB | 20 | largest upload the app accepts (MB = 2^20 bytes) |
| APP_API_WRITES | off | expose /ingest_files, /delete_source, /reingest to API clients (needs APP_AUTH) |
| TODAY | the real date | what "今年", "最近一个月" … are counted from (YYYY-MM-DD; for tests and replays) |
| ENTITY_INDEX | on | extract towns, parks, projects, companies and places at ingest |
| ENTITY_TAGGER | off | on: the learned name tagger (``ingest/models``) sets name edges (measured worse) |
| ENTITY_VERIFIER | on | the learned verifier (``ingest/models``) drops found names more likely than not none |

Each default is written once, as the field default below.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args

from ingest import DEFAULT_MAX_BULK_MB, DEFAULT_MAX_FILE_MB, MB, Limits, NewsAssistantError

from ._embeddings import DEFAULT_EMBEDDING_MODEL, EmbeddingBackend
from ._fusion import DEFAULT_DENSE_WEIGHT

RetrievalMode = Literal["hybrid", "dense", "bm25"]


class SettingsError(NewsAssistantError):
    """An environment variable holds a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class Settings:
    store_dir: Path = Path("data/store")
    upload_dir: Path | None = None
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_backend: EmbeddingBackend = "openvino"
    model_cache_dir: Path | None = None
    chroma_host: str | None = None
    chroma_port: int = 8000
    milvus_uri: str | None = None
    milvus_token: str | None = None
    milvus_store: str = "news"
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    max_bulk_mb: float = DEFAULT_MAX_BULK_MB
    retrieval_mode: RetrievalMode = "hybrid"
    top_k: int = 8
    dense_weight: float = DEFAULT_DENSE_WEIGHT
    answer_threshold: float | None = None
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5"
    llm_api_key: str | None = None
    llm_passages: int = 5
    llm_timeout: float = 20.0
    app_host: str = "127.0.0.1"
    app_port: int = 7860
    app_auth: str | None = None
    app_max_upload_mb: float = 20.0
    app_api_writes: bool = False
    today: date | None = None
    entity_index: bool = True
    entity_tagger: bool = False
    entity_verifier: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, /, **overrides: Any) -> Settings:
        """Build settings from environment variables (empty values count as unset)."""
        env = {k: v for k, v in (os.environ if environ is None else environ).items() if v != ""}
        values: dict[str, Any] = {}
        for variable, (name, parse) in _ENVIRONMENT.items():
            if variable in env:
                try:
                    values[name] = parse(env[variable])
                except ValueError as exc:
                    raise SettingsError(f"bad value in the environment: {variable}={env[variable]!r} ({exc})") from exc
        settings = cls(**values)
        return replace(settings, **overrides) if overrides else settings

    def __post_init__(self) -> None:
        if self.retrieval_mode not in get_args(RetrievalMode):
            raise SettingsError(f"RETRIEVAL_MODE must be hybrid, dense or bm25, not {self.retrieval_mode!r}")
        if self.embedding_backend not in get_args(EmbeddingBackend):
            raise SettingsError(f"EMBEDDING_BACKEND must be openvino or torch, not {self.embedding_backend!r}")
        if self.milvus_uri and self.chroma_host:
            raise SettingsError("set MILVUS_URI or CHROMA_HOST, not both: a store lives in one backend")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,200}", self.milvus_store):
            raise SettingsError(
                f"MILVUS_STORE must be letters, digits and _ (a collection prefix), not {self.milvus_store!r}"
            )
        if self.app_auth is not None:
            user, _, password = self.app_auth.partition(":")
            if not user or not password:
                raise SettingsError("APP_AUTH must be user:password (login would otherwise be silently off)")
        if self.app_api_writes and not self.app_auth:
            raise SettingsError("APP_API_WRITES lets API clients change the store: it needs APP_AUTH=user:password")
        for name in ("top_k", "llm_passages"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name.upper()} must be at least 1, not {getattr(self, name)}")

    @staticmethod
    def variables() -> dict[str, str]:
        """Environment variable → the field it sets (every field has one)."""
        return {variable: name for variable, (name, _) in _ENVIRONMENT.items()}

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def app_max_upload_bytes(self) -> int:
        return int(self.app_max_upload_mb * MB)

    @property
    def limits(self) -> Limits:
        """What one source file may cost (``MAX_FILE_MB``, ``MAX_BULK_MB``; the rest are
        :class:`ingest.Limits` defaults)."""
        return Limits(max_file_bytes=self.max_file_bytes, max_bulk_bytes=int(self.max_bulk_mb * MB))

    def current_date(self) -> date:
        """``TODAY`` when set, else the real date."""
        return self.today or date.today()

    @property
    def uploads(self) -> Path:
        """The upload folder: ``UPLOAD_DIR``, else ``uploads/`` inside the store."""
        return self.upload_dir if self.upload_dir is not None else self.store_dir / "uploads"


def _text(value: str) -> str:
    return value


def _flag(value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected 1/true/yes or 0/false/no, not {value!r}")


_ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "DOCS_STORE_DIR": ("store_dir", Path),
    "UPLOAD_DIR": ("upload_dir", Path),
    "EMBEDDING_MODEL": ("embedding_model", _text),
    "EMBEDDING_BACKEND": ("embedding_backend", _text),
    "MODEL_CACHE_DIR": ("model_cache_dir", Path),
    "CHROMA_HOST": ("chroma_host", _text),
    "CHROMA_PORT": ("chroma_port", int),
    "MILVUS_URI": ("milvus_uri", _text),
    "MILVUS_TOKEN": ("milvus_token", _text),
    "MILVUS_STORE": ("milvus_store", _text),
    "MAX_FILE_MB": ("max_file_mb", float),
    "MAX_BULK_MB": ("max_bulk_mb", float),
    "RETRIEVAL_MODE": ("retrieval_mode", _text),
    "TOP_K": ("top_k", int),
    "HYBRID_DENSE_WEIGHT": ("dense_weight", float),
    "ANSWER_THRESHOLD": ("answer_threshold", float),
    "LLM_BASE_URL": ("llm_base_url", _text),
    "LLM_MODEL": ("llm_model", _text),
    "LLM_API_KEY": ("llm_api_key", _text),
    "LLM_PASSAGES": ("llm_passages", int),
    "LLM_TIMEOUT": ("llm_timeout", float),
    "APP_HOST": ("app_host", _text),
    "APP_PORT": ("app_port", int),
    "APP_AUTH": ("app_auth", _text),
    "APP_MAX_UPLOAD_MB": ("app_max_upload_mb", float),
    "APP_API_WRITES": ("app_api_writes", _flag),
    "TODAY": ("today", date.fromisoformat),
    "ENTITY_INDEX": ("entity_index", _flag),
    "ENTITY_TAGGER": ("entity_tagger", _flag),
    "ENTITY_VERIFIER": ("entity_verifier", _flag),
}
"""Environment variable → (field, parser). Every field is settable; a test checks the table."""
