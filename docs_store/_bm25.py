"""BM25 over the catalogue's stored tokens: a cached main index plus a small live delta.

The *main* index (bm25s, Lucene BM25) covers the chunks up to some catalogue ``rowid`` and
is cached in ``<store>/bm25/`` with that rowid and the catalogue generation it was built
at; it is loaded memory-mapped, so opening a store of 10^5 chunks is quick. Chunks stored
since (higher rowids) form the *delta*, scored with the same formula and the main index's
statistics; chunks removed since are dropped from the main index's results. So a small
upload is searchable at once, with no rebuild. When the delta or the removals grow past
a share of the main index, a new main index is built in a background thread while the
old one keeps serving, then swapped in (and cached, replacing the old folder whole).
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._catalog import Catalog
from ._fusion import Ranked

logger = logging.getLogger(__name__)

K1, B = 1.5, 0.75
"""bm25s defaults (Lucene variant); the delta is scored with the same constants."""
REBUILD_SHARE = 0.05
REBUILD_MIN = 2000
"""Rebuild the main index once the delta (or the removals) exceed this many chunks and
this share of the main index."""


@dataclass
class _Main:
    index: Any
    ids: list[str]
    max_rowid: int
    generation: int
    epoch: str
    avgdl: float

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass
class _Delta:
    """Chunks stored after the main index, and chunk ids removed since it was built."""

    generation: int = -1
    ids: list[str] = field(default_factory=list)
    counts: list[Counter[str]] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    df: Counter[str] = field(default_factory=Counter)
    removed: set[str] = field(default_factory=set)


class BM25Index:
    """BM25 search for one store's catalogue (see module docstring)."""

    def __init__(self, directory: Path, catalog: Catalog, *, background: bool = True) -> None:
        self.folder = directory / "bm25"
        self._directory = directory
        self._catalog = catalog
        self._background = background
        self._lock = threading.Lock()
        self._main: _Main | None = None
        self._delta = _Delta()
        self._rebuilding: threading.Thread | None = None

    # ------------------------------------------------------------------ queries

    def search(self, tokens: list[str], n: int) -> Ranked:
        """Top ``n`` chunk ids for the query tokens (only chunks with a positive score)."""
        main, delta = self._current()
        if not tokens:
            return []
        scored: dict[str, float] = {}
        if main is not None and main.index is not None:
            vocab = main.index.vocab_dict
            token_ids = [vocab[t] for t in tokens if t in vocab]
            if token_ids:
                scores = main.index.get_scores_from_ids(token_ids)
                for i in _top(scores, n + len(delta.removed)):
                    if scores[i] <= 0:
                        break
                    if main.ids[i] not in delta.removed:
                        scored[main.ids[i]] = float(scores[i])
        for cid, score in self._delta_scores(tokens, main, delta):
            scored[cid] = max(score, scored.get(cid, 0.0))
        return sorted(scored.items(), key=lambda item: item[1], reverse=True)[:n]

    def idf(self, tokens: Iterable[str]) -> dict[str, float]:
        """Inverse document frequency of each token over all chunks.

        A token no chunk contains gets the highest weight: a question about something the
        store never mentions should not look answered. Between rebuilds, document
        frequencies still count the few chunks removed since the last one.
        """
        main, delta = self._current()
        size = max((main.size if main else 0) - len(delta.removed), 0) + len(delta.ids)
        vocab = main.index.vocab_dict if main is not None and main.index is not None else {}
        indptr = main.index.scores["indptr"] if main is not None and main.index is not None else None
        result: dict[str, float] = {}
        for token in tokens:
            token_id = vocab.get(token)
            df = 0 if token_id is None or indptr is None else int(indptr[token_id + 1] - indptr[token_id])
            result[token] = float(np.log((size + 1) / (df + delta.df[token] + 0.5)))
        return result

    def prepare(self) -> None:
        """Build (or load) the main index now, e.g. at the end of a bulk import, so the
        first question after it does not wait."""
        self._current()
        with self._lock:
            main, delta = self._main, self._delta
        if main is None or len(delta.ids) + len(delta.removed) > 0:
            self._swap(self._build())

    # ------------------------------------------------------------------ keeping up

    def _current(self) -> tuple[_Main | None, _Delta]:
        generation = self._catalog.generation
        epoch = self._catalog.meta("epoch") or ""
        with self._lock:
            if self._main is None or self._main.epoch != epoch:
                self._main = self._load(epoch) or self._build()
                self._delta = _Delta()
            main = self._main
            if self._delta.generation != generation:
                self._delta = self._read_delta(main, generation)
            delta = self._delta
            if self._needs_rebuild(main, delta):
                self._start_rebuild()
        return main, delta

    def _read_delta(self, main: _Main, generation: int) -> _Delta:
        delta = _Delta(generation=generation, removed=self._catalog.removed_since(main.generation))
        for _, cid, tokens in self._catalog.token_rows(after_rowid=main.max_rowid):
            counts = Counter(tokens.split(" ")) if tokens else Counter()
            delta.ids.append(cid)
            delta.counts.append(counts)
            delta.lengths.append(sum(counts.values()))
            delta.df.update(counts.keys())
        return delta

    def _delta_scores(self, tokens: list[str], main: _Main | None, delta: _Delta) -> list[tuple[str, float]]:
        if not delta.ids:
            return []
        avgdl = main.avgdl if main is not None and main.size else max(1.0, sum(delta.lengths) / len(delta.ids))
        size = (main.size if main else 0) + len(delta.ids)
        main_df = self._main_df(main, set(tokens))
        idf = {t: math.log(1 + (size - (main_df[t] + delta.df[t]) + 0.5) / (main_df[t] + delta.df[t] + 0.5))
               for t in set(tokens)}  # fmt: skip
        scored = []
        for cid, counts, length in zip(delta.ids, delta.counts, delta.lengths, strict=True):
            if cid in delta.removed:
                continue
            norm = K1 * ((1 - B) + B * length / avgdl)
            score = sum(idf[t] * counts[t] / (norm + counts[t]) for t in tokens if counts[t])
            if score > 0:
                scored.append((cid, score))
        return scored

    @staticmethod
    def _main_df(main: _Main | None, tokens: set[str]) -> Counter[str]:
        df: Counter[str] = Counter()
        if main is None or main.index is None:
            return df
        indptr = main.index.scores["indptr"]
        for token in tokens:
            token_id = main.index.vocab_dict.get(token)
            if token_id is not None:
                df[token] = int(indptr[token_id + 1] - indptr[token_id])
        return df

    def _needs_rebuild(self, main: _Main, delta: _Delta) -> bool:
        changed = max(len(delta.ids), len(delta.removed))
        return changed > REBUILD_MIN and changed > REBUILD_SHARE * max(main.size, 1)

    def _start_rebuild(self) -> None:
        if self._rebuilding is not None and self._rebuilding.is_alive():
            return
        if not self._background:
            self._main, self._delta = self._build(), _Delta()
            return
        self._rebuilding = threading.Thread(target=lambda: self._swap(self._build()), name="bm25-rebuild", daemon=True)
        self._rebuilding.start()

    def _swap(self, main: _Main) -> None:
        with self._lock:
            self._main, self._delta = main, _Delta()

    # ------------------------------------------------------------------ building and caching

    def _build(self) -> _Main:
        import bm25s

        generation = self._catalog.generation
        epoch = self._catalog.meta("epoch") or ""
        rows = self._catalog.token_rows()
        if not rows:
            return _Main(None, [], 0, generation, epoch, 1.0)
        corpus = [tokens.split(" ") if tokens else [""] for _, _, tokens in rows]
        index = bm25s.BM25(k1=K1, b=B)
        index.index(corpus, show_progress=False)
        avgdl = sum(len(doc) for doc in corpus) / len(corpus)
        main = _Main(index, [cid for _, cid, _ in rows], rows[-1][0], generation, epoch, avgdl)
        self._save(main)
        return main

    def _load(self, epoch: str) -> _Main | None:
        try:
            meta = json.loads((self.folder / "meta.json").read_text())
            if meta["epoch"] != epoch:
                return None
            import bm25s

            ids = json.loads((self.folder / "ids.json").read_text())
            index = bm25s.BM25.load(str(self.folder / "index"), mmap=True)
            return _Main(index, ids, int(meta["max_rowid"]), int(meta["generation"]), epoch, float(meta["avgdl"]))
        except (OSError, ValueError, KeyError):
            return None

    def _save(self, main: _Main) -> None:
        """The cache is an optimisation: failing to write it only costs a rebuild later."""
        staging = self._directory / f".bm25.{os.getpid()}.{threading.get_ident()}"
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            main.index.save(str(staging / "index"))
            (staging / "ids.json").write_text(json.dumps(main.ids))
            meta = {"epoch": main.epoch, "generation": main.generation, "max_rowid": main.max_rowid,
                    "avgdl": main.avgdl}  # fmt: skip
            (staging / "meta.json").write_text(json.dumps(meta))
            old = self._directory / f".bm25.old.{os.getpid()}.{threading.get_ident()}"
            if self.folder.exists():
                self.folder.rename(old)
            staging.rename(self.folder)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            logger.warning("could not cache the BM25 index: %s", exc)
            shutil.rmtree(staging, ignore_errors=True)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` highest scores, best first, without sorting all of them."""
    n = min(n, len(scores))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, n - 1)[:n]
    return top[np.argsort(-scores[top], kind="stable")]
