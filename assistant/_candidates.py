"""Candidate sentences from the retrieved chunks, with the lexical evidence for each.

Every sentence of every retrieved chunk is a candidate. Lexical coverage is how much of the
question's weighted content a sentence holds: a term in the sentence counts fully, one only
in the headline or sub-heading counts ``CONTEXT_WEIGHT`` (fully when it is the entity the
article is about). Term weights are the store's IDF, so a term the store never saw ("太原",
"GDP") weighs most and an off-corpus question does not look covered. These numbers are
features of the answerability model (``_answerability``), not a verdict on their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from docs_store import Hit, tokenize
from ingest import Chunk, fold

from ._question import Question

CONTEXT_WEIGHT = 0.6
PREDICATE_SHARE = 0.5
ENTITY_SHARE = 0.6
GENERIC_MEASURES = frozenset({"规模", "数量", "情况", "数目", "总数"})
"""Words that ask for a figure without naming it; the figure (and unit) check covers them."""
SINGLE_CHAR_WEIGHT = 0.5
"""Single characters (e.g. 期 in "分几期") say little on their own and BM25 has no IDF for them."""


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved chunk and its lexical evidence."""

    chunk: Chunk
    start: int
    end: int
    sentence: str
    """The sentence folded for matching (``ingest.fold``: same offsets; quotes are cut from
    ``chunk.text``, verbatim)."""
    rank: int
    coverage: float
    sentence_coverage: float
    fits_type: bool
    names_covered: bool
    asks_covered: bool
    hit: Hit

    @property
    def lexical(self) -> float:
        """A quick order before the answer scorer reads the best few."""
        return self.coverage + (0.25 if self.fits_type else 0.0) - 0.01 * self.rank


def candidates(question: Question, hits: list[Hit], idf: Mapping[str, float]) -> list[Candidate]:
    """Every sentence of every hit, in retrieval order."""
    weights = {t: (SINGLE_CHAR_WEIGHT if len(t) == 1 else w) for t, w in idf.items()}
    total = sum(weights.values())
    entities = question.entity_terms
    found_all: list[Candidate] = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        heading = fold(f"{chunk.title} {chunk.section}")
        text = fold(chunk.text)
        context = set(tokenize(heading)) | set(heading)
        paragraph = context | set(tokenize(text)) | set(text)
        names_ok = _names_covered(paragraph, weights, entities)
        for start, end in chunk.sentences:
            sentence = text[start - chunk.start : end - chunk.start]
            tokens = set(tokenize(sentence)) | set(sentence)
            found = {t: _match(t, tokens, context, t in entities) for t in weights}
            coverage = sum(weights[t] * found[t] for t in weights) / total if total else 0.0
            in_sentence = sum(weights[t] for t in weights if t in tokens) / total if total else 0.0
            found_all.append(
                Candidate(
                    chunk=chunk,
                    start=start,
                    end=end,
                    sentence=sentence,
                    rank=rank,
                    coverage=coverage,
                    sentence_coverage=in_sentence,
                    fits_type=question.satisfied_by(sentence),
                    names_covered=names_ok,
                    asks_covered=_asks_covered(found, weights, entities),
                    hit=hit,
                )
            )
    return found_all


def _match(term: str, sentence: set[str], heading: set[str], is_entity: bool) -> float:
    """A term in the sentence counts fully; in the headline, fully for the entity the article
    is about (its topic), partly for anything else (the claim must be in the sentence)."""
    if term in sentence:
        return 1.0
    if term in heading:
        return 1.0 if is_entity else CONTEXT_WEIGHT
    return 0.0


def _names_covered(paragraph: set[str], weights: Mapping[str, float], entity_terms: frozenset[str]) -> bool:
    """The places, companies and projects the question names must appear in the sentence's
    paragraph or headline: "兴县项目总投资" is not answered by another county's project."""
    if not entity_terms:
        return True
    total = sum(weights[t] for t in entity_terms)
    return sum(weights[t] for t in entity_terms if t in paragraph) >= ENTITY_SHARE * total


def _asks_covered(found: Mapping[str, float], weights: Mapping[str, float], entity_terms: frozenset[str]) -> bool:
    """What the question says about its named entities ("成立", "总投资") must be in the
    sentence too, not just the entity: "稳卓公司成立于哪一年" is not answered by any sentence
    that merely names 稳卓公司."""
    rest = [t for t in weights if t not in entity_terms and t not in GENERIC_MEASURES]
    if not entity_terms or not rest:
        return True
    total = sum(weights[t] for t in rest)
    return sum(weights[t] * found[t] for t in rest) >= PREDICATE_SHARE * total
