"""The answer scorer at run time: does this sentence state the answer to this question?

The learned adapters (``models/answer_scorer.npz``, checked against the SHA-256 recorded in
``answer_scorer.json``) are merged into the checksum-verified m3e-small weights and exported
to OpenVINO once (``docs_store.cached_export``); after that a question costs one small
batch through a 4-layer encoder on one thread.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from docs_store import M3E_SMALL_SHA256, StoreError, cached_export, compile_model, verified_bundled_model

MODELS = Path(__file__).resolve().parent / "models"


@dataclass(frozen=True)
class ScorerFiles:
    weights: Path
    meta: dict[str, Any]

    @classmethod
    def bundled(cls) -> ScorerFiles:
        meta = json.loads((MODELS / "answer_scorer.json").read_text(encoding="utf-8"))
        return cls(MODELS / "answer_scorer.npz", meta)

    def verify(self) -> str:
        digest = hashlib.sha256(self.weights.read_bytes()).hexdigest()
        if digest != self.meta["weights_sha256"]:
            raise StoreError(f"checksum mismatch for {self.weights}: got {digest[:12]}…")
        return digest


READ_TOKENS = 192


def _length_groups(lengths: Sequence[int]) -> list[slice]:
    """Split length-sorted pairs where padding the short ones to the long ones would cost
    more than another call: a batch costs about its longest pair times its size, and one
    long news sentence would otherwise make every short candidate pay for its length."""
    groups, start = [], 0
    for i in range(1, len(lengths)):
        padded_together = lengths[i] * (i - start + 1)
        apart = lengths[i - 1] * (i - start) + lengths[i] + _CALL_TOKENS
        if apart < padded_together:
            groups.append(slice(start, i))
            start = i
    groups.append(slice(start, len(lengths)))
    return groups


_CALL_TOKENS = 48
"""What one more inference call costs, in padded tokens (measured: about 1.5 ms)."""
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class AnswerScorer:
    """Logits for (question, candidate text) pairs; built and compiled on first use."""

    def __init__(self, files: ScorerFiles | None = None, *, cache_dir: Path | None = None, threads: int = 1) -> None:
        self.files = files or ScorerFiles.bundled()
        self._cache_dir = cache_dir
        self._threads = threads
        self._compiled: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._tokenizing = threading.Lock()
        """A fast tokenizer keeps its padding and truncation settings in shared state (two
        threads with different settings once got each other's: a ragged batch), so calls
        take turns (about a millisecond each)."""

    @property
    def max_tokens(self) -> int:
        """Trained on pairs cut at 128 tokens, but news sentences often put the figure last
        after a long preamble: reading to :data:`READ_TOKENS` keeps it (the encoder was
        pretrained on 512 positions; measured on calibration data, not on a reported set)."""
        return max(int(self.files.meta["max_tokens"]), READ_TOKENS)

    def score(self, question: str, contexts: Sequence[str]) -> np.ndarray:
        """One logit per context: high means "this states the answer"."""
        if not contexts:
            return np.zeros(0, dtype=np.float32)
        features = self._encode(question, contexts)
        order = np.argsort([len(ids) for ids in features["input_ids"]])
        logits = np.zeros(len(contexts), dtype=np.float32)
        for group in _length_groups([len(features["input_ids"][i]) for i in order]):
            rows = order[group]
            logits[rows] = self._infer(features, rows)
        return logits

    def _encode(self, question: str, contexts: Sequence[str]) -> dict[str, list[list[int]]]:
        """Token ids of every (question, context) pair, cut to :attr:`max_tokens`, unpadded:
        tokenized once, padded per length group by :meth:`_infer`."""
        self._ensure()
        with self._tokenizing:
            encoded = self._tokenizer(
                [question] * len(contexts), list(contexts), truncation="only_second", max_length=self.max_tokens
            )
        return {name: encoded[name] for name in _INPUTS}

    def _infer(self, features: dict[str, list[list[int]]], rows: Iterable[int]) -> np.ndarray:
        """Logits of ``rows``, right-padded to the longest of them (as the tokenizer pads)."""
        rows = list(rows)
        width = max(len(features["input_ids"][i]) for i in rows)
        pad = {"input_ids": self._tokenizer.pad_token_id or 0, "attention_mask": 0, "token_type_ids": 0}
        batch = {
            name: np.array([ids + [pad[name]] * (width - len(ids)) for ids in (features[name][i] for i in rows)])
            for name in _INPUTS
        }
        request = getattr(self._local, "request", None)
        if request is None:
            request = self._local.request = self._compiled.create_infer_request()
        output = request.infer(batch)[0]
        return np.asarray(output, dtype=np.float32).reshape(-1)

    def warm(self) -> None:
        self.score("预热", ["预热"])

    def _ensure(self) -> None:
        if self._compiled is not None:
            return
        with self._lock:
            if self._compiled is not None:
                return
            from transformers import AutoTokenizer

            digest = self.files.verify()
            base = verified_bundled_model()
            exported = cached_export(
                "answer-scorer", f"{M3E_SMALL_SHA256[:16]}-{digest[:16]}", lambda: self._network(base), self._cache_dir
            )
            self._tokenizer = AutoTokenizer.from_pretrained(str(base))
            self._compiled = compile_model(exported.xml, self._threads)

    def _network(self, base: Path) -> tuple[Any, dict[str, Any]]:
        from transformers import AutoTokenizer

        from ._scorer_net import merged_network

        with np.load(self.files.weights) as data:
            weights = {name: data[name] for name in data.files}
        meta = self.files.meta
        network = merged_network(base, weights, int(meta["rank"]), float(meta["alpha"]))
        example = AutoTokenizer.from_pretrained(str(base))(
            ["定襄法兰产值多少", "长治"],
            ["定襄法兰2024年产值突破了170亿元。", "高新区"],
            padding=True,
            return_tensors="pt",
        )
        return network, dict(example)
