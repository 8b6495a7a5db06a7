"""Pick the sentences that answer a question from retrieved chunks.

Each sentence of each retrieved chunk is scored by how much of the question's weighted
content it covers: a term found in the sentence counts fully, one found only in the
article title or section heading counts ``CONTEXT_WEIGHT`` (so "兴县…签约" can be answered
by a sentence that names the company but leaves 兴县 to the headline). Term weights are the
store's IDF, so a term the store has never seen ("太原", "GDP") weighs most and keeps an
off-corpus question from looking answered.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from docs_store import DocsStore, Hit, tokenize
from ingest import Chunk

from ._question import Question

CONTEXT_WEIGHT = 0.6
PREDICATE_SHARE = 0.5
ENTITY_SHARE = 0.6
GENERIC_MEASURES = frozenset({"规模", "数量", "情况", "数目", "总数"})
"""Words that ask for a figure without naming it; the figure (and unit) check covers them."""
SINGLE_CHAR_WEIGHT = 0.5
"""Single characters (e.g. 期 in "分几期") say little on their own and BM25 has no IDF for them."""
RELEVANCE_THRESHOLD = 0.70
"""Coverage below this means "not found". Chosen with ``python -m bench.calibrate_threshold``
(docs/evaluation.md): in a store of the sample page plus 20,000 news articles and the CMRC
passages, 0.70 is the lowest value that refuses every off-corpus question of the sample
sets while answering all their answerable ones; lower values answer more CMRC questions
(0.71 vs 0.62 accuracy) but let a distractor article answer an off-corpus question."""


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
        paragraph = context | set(tokenize(chunk.text)) | set(chunk.text)
        entities = question.entity_terms
        for start, end in chunk.sentences:
            sentence = chunk.text[start - chunk.start : end - chunk.start]
            tokens = set(tokenize(sentence)) | set(sentence)
            found = {t: _match(t, tokens, context, t in entities) for t in weights}
            coverage = sum(weights[t] * found[t] for t in weights) / total if total else 0.0
            fits = (
                question.satisfied_by(sentence)
                and _asks_covered(found, weights, entities)
                and _names_covered(paragraph, weights, entities)
            )
            candidates.append(Candidate(chunk, start, end, coverage, fits, rank))
    candidates.sort(key=lambda c: (c.score, -len(c.sentence)), reverse=True)
    return candidates


def _match(term: str, sentence: set[str], heading: set[str], is_entity: bool) -> float:
    """A term in the sentence counts fully; in the headline, fully for the entity the article
    is about (its topic), partly for anything else (the claim must be in the sentence)."""
    if term in sentence:
        return 1.0
    if term in heading:
        return 1.0 if is_entity else CONTEXT_WEIGHT
    return 0.0


def _names_covered(paragraph: set[str], weights: dict[str, float], entity_terms: frozenset[str]) -> bool:
    """The places, companies and projects the question names must appear in the sentence's
    paragraph or headline: "兴县项目总投资" is not answered by another county's project."""
    if not entity_terms:
        return True
    total = sum(weights[t] for t in entity_terms)
    return sum(weights[t] for t in entity_terms if t in paragraph) >= ENTITY_SHARE * total


def _asks_covered(found: dict[str, float], weights: dict[str, float], entity_terms: frozenset[str]) -> bool:
    """What the question says about its named entities ("成立", "总投资") must be in the
    sentence too, not just the entity: "稳卓公司成立于哪一年" is not answered by any sentence
    that merely names 稳卓公司."""
    rest = [t for t in weights if t not in entity_terms and t not in GENERIC_MEASURES]
    if not entity_terms or not rest:
        return True
    total = sum(weights[t] for t in rest)
    return sum(weights[t] * found[t] for t in rest) >= PREDICATE_SHARE * total


def select(
    candidates: list[Candidate],
    *,
    threshold: float = RELEVANCE_THRESHOLD,
    exclude: Set[str] = frozenset(),
) -> list[Candidate]:
    """The sentences to quote: the best one that fits the question, and at most one more
    from a different article when it is nearly as good (answers drawn from two reports)."""
    usable = [c for c in candidates if c.fits_type and c.coverage >= threshold and c.sentence not in exclude]
    if not usable:
        return []
    best = usable[0]
    chosen = [best]
    for other in usable[1:]:
        if other.chunk.article_id != best.chunk.article_id and other.coverage >= best.coverage - 0.05:
            chosen.append(other)
            break
    return chosen
