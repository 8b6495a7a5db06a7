"""The BM25 index (bm25s over the catalogue's stored tokens) and its on-disk cache.

The index belongs to one catalogue generation. It is served from memory while the
generation is unchanged, else loaded from ``<store>/bm25/`` when that cache was written for
the current generation, else rebuilt from the tokens and cached. A new cache folder is
written beside the old one and swapped in whole, so a reader never sees half of one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ._fusion import Ranked

logger = logging.getLogger(__name__)

TokenRows = Callable[[], list[tuple[str, str]]]
"""Returns ``(chunk id, space-joined tokens)`` for every chunk of the catalogue."""


class BM25Index:
    """BM25 search for one store directory, kept in step with the catalogue's generation."""

    def __init__(self, directory: Path) -> None:
        self.folder = directory / "bm25"
        self._directory = directory
        self._lock = threading.Lock()
        self._index: Any = None
        self._ids: list[str] = []
        self._generation = -1

    def search(self, tokens: list[str], n: int, generation: int, rows: TokenRows) -> Ranked:
        """Top ``n`` chunk ids for the query tokens (only chunks with a positive score)."""
        index, ids = self._current(generation, rows)
        if index is None:
            return []
        vocab = index.vocab_dict
        token_ids = [vocab[t] for t in tokens if t in vocab]
        if not token_ids:
            return []
        scores = index.get_scores_from_ids(token_ids)
        top = np.argsort(-scores)[:n]
        return [(ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, tokens: Iterable[str], generation: int, rows: TokenRows) -> dict[str, float]:
        """Inverse document frequency of each token over all chunks.

        A token no chunk contains gets the highest weight: a question about something the
        store never mentions should not look answered.
        """
        index, ids = self._current(generation, rows)
        vocab = index.vocab_dict if index is not None else {}
        indptr = index.scores["indptr"] if index is not None else None
        result: dict[str, float] = {}
        for token in tokens:
            token_id = vocab.get(token)
            df = 0 if token_id is None or indptr is None else int(indptr[token_id + 1] - indptr[token_id])
            result[token] = float(np.log((len(ids) + 1) / (df + 0.5)))
        return result

    def _current(self, generation: int, rows: TokenRows) -> tuple[Any, list[str]]:
        with self._lock:
            if self._index is None or self._generation != generation:
                loaded = self._load(generation) or self._build(generation, rows)
                (self._index, self._ids), self._generation = loaded, generation
            return self._index, self._ids

    def _build(self, generation: int, rows: TokenRows) -> tuple[Any, list[str]]:
        import bm25s

        token_rows = rows()
        if not token_rows:
            return None, []
        index = bm25s.BM25()
        index.index([tokens.split(" ") if tokens else [""] for _, tokens in token_rows], show_progress=False)
        ids = [cid for cid, _ in token_rows]
        self._save(generation, index, ids)
        return index, ids

    def _load(self, generation: int) -> tuple[Any, list[str]] | None:
        try:
            if json.loads((self.folder / "generation.json").read_text())["generation"] != generation:
                return None
            import bm25s

            ids = json.loads((self.folder / "ids.json").read_text())
            return bm25s.BM25.load(str(self.folder / "index")), ids
        except (OSError, ValueError, KeyError):
            return None

    def _save(self, generation: int, index: Any, ids: list[str]) -> None:
        """The cache is an optimisation: failing to write it only costs a rebuild later."""
        staging = self._directory / f".bm25.{os.getpid()}.{threading.get_ident()}"
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            index.save(str(staging / "index"))
            (staging / "ids.json").write_text(json.dumps(ids))
            (staging / "generation.json").write_text(json.dumps({"generation": generation}))
            old = self._directory / f".bm25.old.{os.getpid()}"
            if self.folder.exists():
                self.folder.rename(old)
            staging.rename(self.folder)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            logger.warning("could not cache the BM25 index: %s", exc)
            shutil.rmtree(staging, ignore_errors=True)
