"""One answerability score per candidate sentence, and the one threshold that decides.

The answer scorer (a cross-encoder, ``_scorer``) reads the best few candidates by lexical
evidence; a logistic model combines its logit (and whether it is the best the scorer read)
with the lexical coverage and rank, answer-type fit, entity agreement and retrieval rank
into the probability that the sentence states the answer. Weights and thresholds are
fitted on data by ``training/calibrate.py`` and kept in ``models/answerability.json``
(with the figures they were chosen on).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._candidates import Candidate

MODELS = Path(__file__).resolve().parent / "models"
FEATURES = (
    "scorer",
    "scorer_gap",
    "coverage",
    "sentence_coverage",
    "fits_type",
    "names_covered",
    "asks_covered",
    "inverse_rank",
    "first_hit",
    "scorer_top",
    "lexical_rank",
)
COMPLETE = 0.9
"""Coverage at which a sentence that also fits the answer type and keeps the question's
names and predicate states the answer in the question's own words: 1% of the calibration
CMRC questions whose passage was removed have one, a third of those that keep it. Such a
sentence answers even when the scorer doubts it (it reads news less surely than CMRC)."""
TOP_HIT_EXTRA = 3
"""Sentences of the top hit the scorer reads beyond the ``read`` best by lexical evidence."""
UNREAD_LOGIT = -8.0
"""The scorer logit given to candidates it did not read (they ranked low on every count)."""


@dataclass(frozen=True)
class AnswerabilityModel:
    """Logistic weights over :data:`FEATURES`, and the thresholds chosen on calibration data."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    list_threshold: float
    near_miss_threshold: float
    read: int
    meta: dict

    @classmethod
    def load(cls, path: Path | None = None) -> AnswerabilityModel:
        data = json.loads((path or MODELS / "answerability.json").read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} do not match {FEATURES}")
        return cls(
            weights=tuple(float(w) for w in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            list_threshold=float(data["list_threshold"]),
            near_miss_threshold=float(data["near_miss_threshold"]),
            read=int(data["read"]),
            meta=data.get("meta", {}),
        )

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        if len(matrix) == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(matrix @ np.asarray(self.weights) + self.bias)))


def complete(candidate: Candidate) -> bool:
    """Does the sentence hold all of the question in its own words (see :data:`COMPLETE`)?"""
    c = candidate
    return c.coverage >= COMPLETE and c.fits_type and c.asks_covered and c.names_covered


def reading_order(candidates: Sequence[Candidate], read: int) -> list[int]:
    """Which candidates the scorer reads: the best ``read`` by lexical evidence, plus the
    best :data:`TOP_HIT_EXTRA` sentences of the top hit (a paraphrased question shares few
    words with its answer, but retrieval by meaning still puts the answering paragraph
    first). Each read costs about 6 ms on one core, so the number is bounded."""
    by_lexical = sorted(range(len(candidates)), key=lambda i: candidates[i].lexical, reverse=True)
    chosen = by_lexical[:read]
    chosen += [i for i in by_lexical if candidates[i].rank == 0 and i not in chosen][:TOP_HIT_EXTRA]
    return chosen


def feature_matrix(candidates: Sequence[Candidate], logits: np.ndarray) -> np.ndarray:
    """Rows of :data:`FEATURES`, one per candidate (``logits`` aligned with candidates)."""
    if not candidates:
        return np.zeros((0, len(FEATURES)))
    best = float(np.max(logits))
    scorer_top = int(np.argmax(logits))
    by_lexical = sorted(range(len(candidates)), key=lambda i: candidates[i].lexical, reverse=True)
    lexical_rank = {i: r for r, i in enumerate(by_lexical)}
    rows = [
        [
            float(logit),
            float(logit) - best,
            c.coverage,
            c.sentence_coverage,
            float(c.fits_type),
            float(c.names_covered),
            float(c.asks_covered),
            1.0 / (1 + c.rank),
            float(c.rank == 0),
            float(i == scorer_top),
            1.0 / (1 + lexical_rank[i]),
        ]
        for i, (c, logit) in enumerate(zip(candidates, logits, strict=True))
    ]
    return np.asarray(rows, dtype=np.float64)
