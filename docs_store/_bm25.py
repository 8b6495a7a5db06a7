"""BM25 over the catalogue's stored tokens: a cached main index plus a small live delta.

The *main* index (bm25s, Lucene BM25) covers the chunk rows up to some ``seq`` (the
catalogue's never-reused row counter) and is cached in ``<store>/bm25/`` with that seq and
the catalogue generation it was built at; it is loaded memory-mapped, so opening a store of
10^5 chunks is quick. Rows stored since (higher seqs) form the *delta*, scored with the
same formula and the main index's statistics; rows removed since are dropped from results.
So a small upload is searchable at once, with no rebuild. When the delta or the removals
grow past a share of the main index, a new main index is built in a background thread
while the old one keeps serving, then swapped in (and cached, replacing the old folder
whole). Each chunk's article date travels with it, so a date range filters *before* the
top results are cut, however large the store.
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
from dataclasses import dataclass, field, replace
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
DateRange = tuple[int, int]
"""Inclusive ``(yyyymmdd, yyyymmdd)``."""


@dataclass(frozen=True)
class _Main:
    index: Any
    ids: list[str]
    seqs: np.ndarray
    dates: np.ndarray
    max_seq: int
    generation: int
    epoch: str
    avgdl: float

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class _Delta:
    """Rows stored after the main index, and the seqs removed since it was built. Never
    changed in place: a search holds the one it started with."""

    generation: int = -1
    last_seq: int = 0
    ids: tuple[str, ...] = ()
    seqs: tuple[int, ...] = ()
    dates: tuple[int, ...] = ()
    counts: tuple[Counter[str], ...] = ()
    lengths: tuple[int, ...] = ()
    df: Counter[str] = field(default_factory=Counter)
    removed: frozenset[int] = frozenset()


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

    def search(self, tokens: list[str], n: int, dates: DateRange | None = None, undated: bool = False) -> Ranked:
        """Top ``n`` chunk ids for the query tokens (positive scores only), optionally only
        chunks whose article date lies in ``dates`` (and, with ``undated``, undated ones)."""
        main, delta = self._current()
        if not tokens:
            return []
        scored: dict[str, float] = {}
        if main.index is not None:
            vocab = main.index.vocab_dict
            token_ids = [vocab[t] for t in tokens if t in vocab]
            if token_ids:
                scores = main.index.get_scores_from_ids(token_ids)
                if delta.removed:
                    scores = np.where(np.isin(main.seqs, list(delta.removed)), 0.0, scores)
                if dates is not None:
                    keep = (main.dates >= dates[0]) & (main.dates <= dates[1])
                    scores = np.where(keep | (undated & (main.dates == 0)), scores, 0.0)
                for i in _top(scores, n):
                    if scores[i] <= 0:
                        break
                    scored[main.ids[i]] = float(scores[i])
        for cid, score in self._delta_scores(tokens, main, delta, dates, undated):
            scored[cid] = max(score, scored.get(cid, 0.0))
        return sorted(scored.items(), key=lambda item: item[1], reverse=True)[:n]

    def idf(self, tokens: Iterable[str]) -> dict[str, float]:
        """Inverse document frequency of each token over all chunks.

        A token no chunk contains gets the highest weight: a question about something the
        store never mentions should not look answered. Between rebuilds, document
        frequencies still count the few chunks removed since the last one.
        """
        main, delta = self._current()
        size = max(main.size - len(delta.removed), 0) + len(delta.ids)
        df = self._main_df(main, set(tokens))
        return {t: float(np.log((size + 1) / (df[t] + delta.df[t] + 0.5))) for t in tokens}

    def prepare(self) -> None:
        """Build (or load) the main index now, e.g. at the end of a bulk import, so the
        first question after it does not wait."""
        main, delta = self._current()
        if main.index is None or delta.ids or delta.removed:
            self._swap(self._build())

    # ------------------------------------------------------------------ keeping up

    def _current(self) -> tuple[_Main, _Delta]:
        generation = self._catalog.generation
        epoch = self._catalog.meta("epoch") or ""
        with self._lock:
            if self._main is None or self._main.epoch != epoch:
                self._main = self._load(epoch) or self._build()
                self._delta = _Delta()
            main = self._main
            if self._delta.generation != generation:
                self._delta = self._read_delta(main, generation, self._delta)
            delta = self._delta
            if self._needs_rebuild(main, delta):
                self._start_rebuild()
        return main, delta

    def _read_delta(self, main: _Main, generation: int, previous: _Delta) -> _Delta:
        """A new delta: the previous one plus the rows stored since (seqs never repeat),
        with the removals since the main index was built."""
        start = previous if previous.generation >= 0 else _Delta(last_seq=main.max_seq)
        rows = self._catalog.token_rows(after_seq=max(start.last_seq, main.max_seq))
        counts = [Counter(r.tokens.split(" ")) if r.tokens else Counter() for r in rows]
        df = Counter(start.df)
        for c in counts:
            df.update(c.keys())
        return replace(
            start,
            generation=generation,
            last_seq=rows[-1].seq if rows else start.last_seq,
            ids=start.ids + tuple(r.id for r in rows),
            seqs=start.seqs + tuple(r.seq for r in rows),
            dates=start.dates + tuple(r.date for r in rows),
            counts=start.counts + tuple(counts),
            lengths=start.lengths + tuple(sum(c.values()) for c in counts),
            df=df,
            removed=frozenset(self._catalog.removed_since(main.generation)),
        )

    def _delta_scores(
        self, tokens: list[str], main: _Main, delta: _Delta, dates: DateRange | None, undated: bool
    ) -> list[tuple[str, float]]:
        if not delta.ids:
            return []
        avgdl = main.avgdl if main.size else max(1.0, sum(delta.lengths) / len(delta.ids))
        size = main.size + len(delta.ids)
        df = self._main_df(main, set(tokens))
        idf = {t: math.log(1 + (size - (df[t] + delta.df[t]) + 0.5) / (df[t] + delta.df[t] + 0.5)) for t in set(tokens)}
        scored = []
        for cid, seq, day, counts, length in zip(
            delta.ids, delta.seqs, delta.dates, delta.counts, delta.lengths, strict=True
        ):
            if seq in delta.removed or not in_range(day, dates, undated):
                continue
            norm = K1 * ((1 - B) + B * length / avgdl)
            score = sum(idf[t] * counts[t] / (norm + counts[t]) for t in tokens if counts[t])
            if score > 0:
                scored.append((cid, score))
        return scored

    @staticmethod
    def _main_df(main: _Main, tokens: set[str]) -> Counter[str]:
        df: Counter[str] = Counter()
        if main.index is None:
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
        """A new main index of every chunk. Tokens become integer ids as rows stream in
        (not lists of strings), so 2×10^5 chunks fit in a few hundred MB."""
        import bm25s

        _quiet()
        from bm25s.tokenization import Tokenized

        generation = self._catalog.generation
        epoch = self._catalog.meta("epoch") or ""
        vocab: dict[str, int] = {"": 0}
        corpus: list[list[int]] = []
        ids: list[str] = []
        seqs: list[int] = []
        dates: list[int] = []
        total = 0
        for row in self._catalog.iter_token_rows():
            doc = [vocab.setdefault(t, len(vocab)) for t in row.tokens.split(" ")] if row.tokens else [0]
            corpus.append(doc)
            ids.append(row.id)
            seqs.append(row.seq)
            dates.append(row.date)
            total += len(doc)
        empty = np.zeros(0, dtype=np.int64)
        if not ids:
            return _Main(None, [], empty, empty, 0, generation, epoch, 1.0)
        index = bm25s.BM25(k1=K1, b=B)
        index.index(Tokenized(ids=corpus, vocab=vocab), show_progress=False)
        main = _Main(index, ids, np.asarray(seqs), np.asarray(dates), max(seqs), generation, epoch, total / len(ids))
        self._save(main)
        return main

    def _load(self, epoch: str) -> _Main | None:
        try:
            meta = json.loads((self.folder / "meta.json").read_text())
            if meta["epoch"] != epoch:
                return None
            import bm25s

            _quiet()

            ids = json.loads((self.folder / "ids.json").read_text())
            rows = np.load(self.folder / "rows.npz")
            index = bm25s.BM25.load(str(self.folder / "index"), mmap=True)
            return _Main(index, ids, rows["seqs"], rows["dates"], int(meta["max_seq"]), int(meta["generation"]),
                         epoch, float(meta["avgdl"]))  # fmt: skip
        except (OSError, ValueError, KeyError):
            return None

    def _save(self, main: _Main) -> None:
        """The cache is an optimisation: failing to write it only costs a rebuild later.
        Removal records older than the cached index are no longer needed."""
        staging = self._directory / f".bm25.{os.getpid()}.{threading.get_ident()}"
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            main.index.save(str(staging / "index"))
            (staging / "ids.json").write_text(json.dumps(main.ids))
            np.savez(staging / "rows.npz", seqs=main.seqs, dates=main.dates)
            meta = {"epoch": main.epoch, "generation": main.generation, "max_seq": main.max_seq, "avgdl": main.avgdl}
            (staging / "meta.json").write_text(json.dumps(meta))
            old = self._directory / f".bm25.old.{os.getpid()}.{threading.get_ident()}"
            if self.folder.exists():
                self.folder.rename(old)
            staging.rename(self.folder)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            logger.warning("could not cache the BM25 index: %s", exc)
            shutil.rmtree(staging, ignore_errors=True)
            return
        try:
            self._catalog.forget_removed(main.generation)
        except Exception as exc:  # noqa: BLE001 - only housekeeping
            logger.debug("could not prune removal records: %s", exc)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` highest scores, best first, without sorting all of them."""
    n = min(n, len(scores))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, n - 1)[:n]
    return top[np.argsort(-scores[top], kind="stable")]


def in_range(day: int, dates: DateRange | None, undated: bool = False) -> bool:
    """Is an article dated ``day`` (yyyymmdd, 0 = undated) within ``dates`` (None: any)?"""
    return dates is None or dates[0] <= day <= dates[1] or (undated and day == 0)


def _quiet() -> None:
    """bm25s sets its own logger to DEBUG, which prints "Building index from IDs objects" into
    every log that shows INFO; our logs carry what we say, not a library's progress."""
    logging.getLogger("bm25s").setLevel(logging.WARNING)
