"""Pick the sentences that answer a question from retrieved chunks.

Each sentence of each retrieved chunk is scored by how much of the question's weighted
content it covers: a term found in the sentence counts fully, one found only in the
article title or section heading counts ``CONTEXT_WEIGHT`` (so "兴县…签约" can be answered
by a sentence that names the company but leaves 兴县 to the headline). Term weights are the
store's IDF, so a term the store has never seen ("太原", "GDP") weighs most and keeps an
off-corpus question from looking answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from docs_store import DocsStore, Hit, tokenize
from ingest import Chunk

from ._question import Question

CONTEXT_WEIGHT = 0.6
SINGLE_CHAR_WEIGHT = 0.5
"""Single characters (e.g. 期 in "分几期") say little on their own and BM25 has no IDF for them."""
RELEVANCE_THRESHOLD = 0.62
"""Coverage below this means "not found". Calibrated on eval/sample_qa.jsonl (see
docs/evaluation.md): it separates the answerable questions from the off-corpus ones."""


@dataclass(frozen=True)
class Candidate:
    chunk: Chunk
    start: int
    end: int
    coverage: float
    fits_type: bool
    rank: int

    @property
    def sentence(self) -> str:
        return self.chunk.text[self.start - self.chunk.start : self.end - self.chunk.start]

    @property
    def score(self) -> float:
        return self.coverage + (0.25 if self.fits_type else 0.0) - 0.01 * self.rank


def rank_sentences(question: Question, hits: list[Hit], store: DocsStore) -> list[Candidate]:
    """Every sentence of every hit, best first."""
    weights = store.idf(question.terms) if question.terms else {}
    weights.update({t: SINGLE_CHAR_WEIGHT for t in weights if len(t) == 1})
    total = sum(weights.values())
    candidates = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        heading = f"{chunk.title} {chunk.section}"
        context = set(tokenize(heading)) | set(heading)
        for start, end in chunk.sentences:
            sentence = chunk.text[start - chunk.start : end - chunk.start]
            tokens = set(tokenize(sentence)) | set(sentence)
            covered = sum(
                w * (1.0 if t in tokens else CONTEXT_WEIGHT if t in context else 0.0) for t, w in weights.items()
            )
            coverage = covered / total if total else 0.0
            candidates.append(Candidate(chunk, start, end, coverage, question.satisfied_by(sentence), rank))
    candidates.sort(key=lambda c: (c.score, -len(c.sentence)), reverse=True)
    return candidates


def select(candidates: list[Candidate], question: Question, *, exclude: set[str] = frozenset()) -> list[Candidate]:
    """The sentences to quote: the best one that fits the question, and at most one more
    from a different article when it is nearly as good (answers drawn from two reports)."""
    usable = [c for c in candidates if c.fits_type and c.coverage >= RELEVANCE_THRESHOLD and c.sentence not in exclude]
    if not usable:
        return []
    best = usable[0]
    chosen = [best]
    for other in usable[1:]:
        if other.chunk.article_id != best.chunk.article_id and other.coverage >= best.coverage - 0.05:
            chosen.append(other)
            break
    return chosen
