"""The default encoder: bundled m3e-small run by OpenVINO, one model for bulk, one for questions.

Why not sentence-transformers on torch: on this project's 2-core machine the same weights
run 4× faster through OpenVINO (bf16 on CPUs that have it) with vectors at cosine 0.9999+
to torch's, and OpenVINO lets each compiled model have its own thread count — bulk
ingest uses every core, a question uses one, so answers stay quick while an upload runs
(docs/benchmarks.md). Pooling is m3e's own: the mean of the last layer over real tokens,
L2-normalised.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ._openvino import ExportedModel, compile_model, inference_precision

BATCH = 16
"""Texts per inference call, sorted by length so a batch pads little (measured best of 8/16/32)."""
MAX_TOKENS = 512


class OpenVINOEncoder(Embeddings):
    """Mean-pooled sentence vectors from an exported BERT; compiled lazily on first use."""

    def __init__(
        self, exported: ExportedModel, tokenizer_path: Path, *, bulk_threads: int | None = None, query_threads: int = 1
    ) -> None:
        self.exported = exported
        self._tokenizer_path = tokenizer_path
        self._threads = {"bulk": bulk_threads or os.cpu_count() or 1, "query": query_threads}
        self._compiled: dict[str, Any] = {}
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._local = threading.local()

    # ------------------------------------------------------------------ LangChain Embeddings

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text], purpose="query")[0].tolist()

    # ------------------------------------------------------------------ ours

    def encode(self, texts: Sequence[str], *, purpose: str = "bulk") -> np.ndarray:
        """Unit vectors, one row per text, in the order given."""
        out = np.zeros((len(texts), 0), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), BATCH):
            rows = order[i : i + BATCH]
            vectors = self._pooled([texts[j] for j in rows], purpose)
            if out.shape[1] == 0:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[rows] = vectors
        return out

    def warm(self) -> str:
        """Compile both models and run one question, so the first user does not wait;
        returns the inference precision in use (``bf16`` or ``f32``)."""
        self.encode(["预热"], purpose="query")
        self.encode(["预热"], purpose="bulk")
        return inference_precision(self._model("query"))

    def _pooled(self, texts: list[str], purpose: str) -> np.ndarray:
        tokens = self._tokenize(texts)
        hidden = self._request(purpose).infer(
            {k: tokens[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
        )[0]
        mask = tokens["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _tokenize(self, texts: list[str]) -> dict[str, np.ndarray]:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    from transformers import AutoTokenizer

                    self._tokenizer = AutoTokenizer.from_pretrained(str(self._tokenizer_path))
        encoded = self._tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="np")
        return dict(encoded)

    def _model(self, purpose: str) -> Any:
        if purpose not in self._compiled:
            with self._lock:
                if purpose not in self._compiled:
                    self._compiled[purpose] = compile_model(self.exported.xml, self._threads[purpose])
        return self._compiled[purpose]

    def _request(self, purpose: str) -> Any:
        """One infer request per thread and purpose (a request is not thread-safe)."""
        requests = getattr(self._local, "requests", None)
        if requests is None:
            requests = self._local.requests = {}
        if purpose not in requests:
            requests[purpose] = self._model(purpose).create_infer_request()
        return requests[purpose]
