"""Judge candidate sentences: answer scorer → answerability probability → hard vetoes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

import numpy as np

from ingest import fold

from ._agreement import Disagreement, disagreement
from ._answerability import UNREAD_LOGIT, AnswerabilityModel, feature_matrix, reading_order
from ._candidates import Candidate
from ._question import Question
from ._scorer import AnswerScorer
from ._scorer_net import candidate_text


@dataclass(frozen=True)
class Judged:
    candidate: Candidate
    probability: float
    disagreement: Disagreement | None


class Judge:
    """Scores every candidate of a question; best first."""

    def __init__(self, scorer: AnswerScorer, model: AnswerabilityModel) -> None:
        self.scorer = scorer
        self.model = model

    def judge(
        self, question: Question, candidates: Sequence[Candidate], article_years: Mapping[str, Set[str]]
    ) -> list[Judged]:
        """``article_years``: the years each candidate's article mentions (see ``_agreement``)."""
        unique = _unique(candidates)
        logits = self.logits(question, unique)
        probabilities = self.model.probabilities(feature_matrix(unique, logits))
        judged = [
            Judged(c, float(p), disagreement(question, c, article_years.get(c.chunk.article_id, frozenset())))
            for c, p in zip(unique, probabilities, strict=True)
        ]
        judged.sort(key=lambda j: j.probability, reverse=True)
        return judged

    def logits(self, question: Question, candidates: Sequence[Candidate]) -> np.ndarray:
        """Scorer logits; candidates outside the reading order get :data:`UNREAD_LOGIT`."""
        logits = np.full(len(candidates), UNREAD_LOGIT, dtype=np.float32)
        order = reading_order(candidates, self.model.read)
        contexts = [candidate_text(fold(candidates[i].chunk.title), fold(candidates[i].chunk.section),
                                   candidates[i].sentence) for i in order]  # fmt: skip
        if order:
            logits[order] = self.scorer.score(question.text, contexts)
        return logits


def _unique(candidates: Sequence[Candidate]) -> list[Candidate]:
    """One candidate per distinct sentence text (reprinted articles repeat sentences)."""
    seen: dict[str, Candidate] = {}
    for c in candidates:
        seen.setdefault(c.sentence, c)
    return list(seen.values())
