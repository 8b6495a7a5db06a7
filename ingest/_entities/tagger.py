"""The name tagger at run time: where names begin and end in an article's text.

The learned adapters and head (``ingest/models/entity_tagger.npz``, checked against the
SHA-256 in ``entity_tagger.json``) are merged into the checksum-verified m3e-small weights
and exported to OpenVINO once (``docs_store.cached_export``); after that an article costs
one batch through a 4-layer encoder, over the clauses that end in a name suffix (the
rules choose them: ``names.tagger_windows``). Without the weights file (or with the
setting ``ENTITY_TAGGER=off``) extraction runs on its rules alone.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .tagger_net import LABELS, decode, piece_bounds

MODELS = Path(__file__).resolve().parent.parent / "models"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


@dataclass(frozen=True)
class TaggedSpan:
    """A name the tagger found: ``text[start:end]``, of one of ``tagger_net.TYPES``."""

    start: int
    end: int
    type: str


class NameTagger:
    """Character spans of names in a text; built and compiled on first use, thread-safe."""

    def __init__(self, weights: Path | None = None, *, cache_dir: Path | None = None, threads: int = 1) -> None:
        self.weights = weights or MODELS / "entity_tagger.npz"
        self.meta: dict[str, Any] = json.loads(self.weights.with_suffix(".json").read_text(encoding="utf-8"))
        self._cache_dir = cache_dir
        self._threads = threads
        self._compiled: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._local = threading.local()

    def spans(self, text: str, windows: Sequence[tuple[int, int]] | None = None) -> list[TaggedSpan]:
        """Every name in ``text`` (or in the ``windows`` of it, each read as one piece), in
        order, as character offsets into ``text``."""
        pieces = piece_bounds(text) if windows is None else windows
        bounds = [(a, b) for a, b in pieces if text[a:b].strip()]
        if not bounds:
            return []
        self._ensure()
        with self._lock:  # a fast tokenizer's truncation settings are shared state
            encoded = self._tokenizer(
                [text[a:b] for a, b in bounds], truncation=True, max_length=int(self.meta["max_tokens"]),
                return_offsets_mapping=True,
            )  # fmt: skip
        width = max(len(ids) for ids in encoded["input_ids"])
        batch = {
            name: np.array([ids + [0] * (width - len(ids)) for ids in encoded[name]], dtype=np.int64)
            for name in _INPUTS
        }
        request = getattr(self._local, "request", None)
        if request is None:
            request = self._local.request = self._compiled.create_infer_request()
        labels = np.asarray(request.infer(batch)[0]).argmax(-1)
        found: list[TaggedSpan] = []
        for row, (a, _) in enumerate(bounds):
            offsets = [tuple(o) for o in encoded["offset_mapping"][row]]
            for start, end, kind in decode(list(labels[row][: len(offsets)]), offsets):
                found.append(TaggedSpan(a + start, a + end, kind))
        return found

    def _ensure(self) -> None:
        if self._compiled is not None:
            return
        with self._lock:
            if self._compiled is not None:
                return
            from transformers import AutoTokenizer

            from docs_store import M3E_SMALL_SHA256, StoreError, cached_export, compile_model, verified_bundled_model

            digest = hashlib.sha256(self.weights.read_bytes()).hexdigest()
            if digest != self.meta["weights_sha256"]:
                raise StoreError(f"checksum mismatch for {self.weights}: got {digest[:12]}…")
            base = verified_bundled_model()
            exported = cached_export(
                "entity-tagger", f"{M3E_SMALL_SHA256[:16]}-{digest[:16]}", lambda: self._network(base), self._cache_dir
            )
            self._tokenizer = AutoTokenizer.from_pretrained(str(base))
            self._compiled = compile_model(exported.xml, self._threads)

    def _network(self, base: Path) -> tuple[Any, dict[str, Any]]:
        from transformers import AutoTokenizer

        from .._lora import merge_trained
        from .tagger_net import build_tagger

        if len(self.meta["labels"]) != len(LABELS):
            raise ValueError(f"tagger weights are for {len(self.meta['labels'])} labels, not {len(LABELS)}")
        with np.load(self.weights) as data:
            weights = {name: data[name] for name in data.files}
        network = build_tagger(base, int(self.meta["rank"]), float(self.meta["alpha"]))
        example = AutoTokenizer.from_pretrained(str(base))(
            ["定襄法兰专业镇位于忻州市。", "安徽稳卓汽车部件有限公司"], padding=True, return_tensors="pt"
        )
        return merge_trained(network, weights, "tagger"), dict(example)


_shared: NameTagger | None = None
_shared_lock = threading.Lock()


def shared_tagger() -> NameTagger | None:
    """The process's tagger over the bundled weights, or ``None`` when they are not installed."""
    global _shared
    if not (MODELS / "entity_tagger.npz").exists():
        return None
    with _shared_lock:
        if _shared is None:
            _shared = NameTagger()
    return _shared
