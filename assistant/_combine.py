"""When an LLM is configured: check its answer like an extractive one, then pick one answer.

The model reads the retrieved passages whenever retrieval found any — also when the
extractive judge refused, since paraphrased questions are what a model reads best. Its
answer counts only after :func:`assistant._llm.verify` (markers point at given passages;
every number stands, about the claim's subject and year, in a sentence its own marker
cites) *and* the extractive path's near-miss vetoes hold for every sentence it cites
(:func:`vetoed`: another year, part of the year, numbered name, place, company or project
than the question names).

The rule that picks (:func:`choose`):

| extractive | LLM | answer | ``mode`` |
|---|---|---|---|
| found | verified, states the extractive figure (or none is at stake) | LLM wording and citations | ``llm`` |
| found | verified, none of the extractive direct answer's figures | extractive, with a notice | ``extractive`` |
| refused | verified | the LLM's answer | ``llm`` |
| found | no answer / rejected / down | extractive, with the notice | ``fallback`` |
| refused | no answer | the refusal | ``refusal`` |
| refused | rejected / down | the refusal, with the notice | ``refusal`` |

``Answer.llm`` records what happened to the model's answer (``"used"``, ``"figures differ"``
or the rejection kind), so an evaluation can count rejections by kind.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from docs_store import DocsStore, Hit
from ingest import fold

from ._agreement import Disagreement, article_years, disagreement
from ._candidates import candidates
from ._llm import NOTICES, LLMError
from ._numbers import number_in, numbers_in
from ._question import YEAR_RE, Question
from ._types import Answer, strip_markers

FIGURES_DIFFER = "大模型给出的数字与原文摘录不一致，已采用原文摘录。"


def vetoed(question: Question, answer: Answer, hits: Sequence[Hit], store: DocsStore) -> Disagreement | None:
    """The first cited sentence that reports another year, period, name or place than the
    question asks about (the same vetoes the extractive judge applies), or None.

    Where the answer states figures, the sentences that state them are checked (a passage
    cited beside them that supports none of them lends the answer nothing); an answer
    without figures has every cited sentence checked."""
    figures = numbers_in(fold(answer.text))
    supporting = [c for c in answer.citations if any(number_in(f, fold(c.quote)) for f in figures)]
    cited = supporting or list(answer.citations)
    chosen = [h for h in hits if any(c.chunk_id == h.chunk.id for c in cited)]
    if not chosen:
        return None
    years = article_years(question, chosen, store)
    for candidate in candidates(question, chosen, store.idf(question.terms)):
        if any(c.chunk_id == candidate.chunk.id and candidate.start < c.end and c.start < candidate.end for c in cited):
            found = disagreement(question, candidate, years.get(candidate.chunk.article_id, frozenset()))
            if found is not None:
                return found
    return None


def choose(extractive: Answer, llm: Answer) -> Answer:
    """Both paths answered (``llm`` verified): see the module's table."""
    if not extractive.found:
        return dataclasses.replace(llm, mode="llm", llm="used", scope=extractive.scope)
    figures = _figures(extractive)
    if figures and not any(number_in(f, fold(strip_markers(llm.text))) for f in figures):
        return dataclasses.replace(extractive, notice=FIGURES_DIFFER, llm="figures differ")
    return dataclasses.replace(llm, mode="llm", llm="used", scope=extractive.scope, score=extractive.score)


def rejected(extractive: Answer, error: LLMError) -> Answer:
    """The model gave no usable answer: the extractive result stands, saying why."""
    notice = NOTICES.get(error.kind, NOTICES["unavailable"])
    if extractive.found:
        return dataclasses.replace(extractive, mode="fallback", notice=notice, llm=error.kind)
    if error.kind == "no answer":  # both paths agree that the articles do not say
        return dataclasses.replace(extractive, llm=error.kind)
    return dataclasses.replace(extractive, notice=_refusal_notice(error.kind, notice), llm=error.kind)


FELL_BACK = "，已改用原文摘录"
"""How every :data:`NOTICES` line ends: there is no extract to fall back to on a refusal."""


def _refusal_notice(kind: str, notice: str) -> str:
    if kind == "unavailable":
        return "大模型服务不可用或超时，以上为原文检索的结果。"
    return notice.replace(FELL_BACK, "")


def _figures(answer: Answer) -> list[str]:
    """The figures of the extractive direct answer (years aside): what a second answer
    must agree on. Without a direct answer nothing is at stake."""
    direct = fold(answer.citations[0].answer) if answer.citations else ""
    return [n for n in numbers_in(direct) if not YEAR_RE.fullmatch(n + "年")]
