"""Refusals that explain: why nothing answered, which dates were searched, and one or two
questions the articles do answer.

A refusal says which of these holds:

- ``dates``: the question fixed publication dates ("上个月", "今年") and no article in them
  answers; the dates the store holds are named;
- ``undated``: the same, but the articles say no date, so "最近" cannot be judged;
- ``near miss``: the articles report another year, period or name (the text says so);
- ``not found``: nothing in the articles answers it.

Suggestions are built from the articles (the year they do report, the question without its
time phrase, the facts of the articles that share its subject) and kept only when they are
answered — a suggestion is never another refusal.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence

from docs_store import DocsStore, Hit
from ingest import ROLES, NewsAssistantError, fold

from ._compose import NOT_FOUND_TEXT, RELATED_HINT, related_articles
from ._question import Question
from ._time import TimeScope, cn_date
from ._types import Answer

MAX_SUGGESTIONS = 2
_GENERIC = {"多少", "什么", "哪些", "哪个", "怎么", "怎样", "如何", "是否", "有没有", "情况", "主要", "目前", "现在"}
_YEAR_IN_TEXT = re.compile(r"(?:19|20)\d{2}年")


def explain(
    res: Answer,
    question: str,
    asked: Question,
    scope: TimeScope | None,
    hits: Sequence[Hit],
    store: DocsStore,
    answered: Callable[[str], bool],
) -> Answer:
    """``res`` (a refusal of ``question``, as the user worded it after follow-up resolution)
    with its reason, the related articles that share the question's subject, and the
    suggestions that ``answered`` confirms."""
    if res.found or res.reason:
        return res
    related = related_articles(_sharing(asked, hits))
    reason, text = _reason(res, scope, hits, store)
    if related and reason == "not found":
        text += RELATED_HINT
    tries = [q for q in dict.fromkeys(_suggestions(res, question, asked, scope, related, store)) if q != question]
    suggestions: list[str] = []
    for q in tries[: MAX_SUGGESTIONS * 2]:  # each try is answered once: a refusal stays quick
        if len(suggestions) < MAX_SUGGESTIONS and _answers(answered, q):
            suggestions.append(q)
    return dataclasses.replace(res, text=text, reason=reason, related=related, suggestions=tuple(suggestions))


def _answers(answered: Callable[[str], bool], question: str) -> bool:
    """A suggestion that cannot even be asked (too long, a store error) is simply not offered."""
    try:
        return answered(question)
    except NewsAssistantError:
        return False


def _reason(res: Answer, scope: TimeScope | None, hits: Sequence[Hit], store: DocsStore) -> tuple[str, str]:
    if res.citations:  # a near miss: its text already says what the articles report
        return "near miss", res.text
    if scope is not None and scope.published is not None and not hits:
        start, end = scope.published
        span = cn_date(start) if start == end else f"{cn_date(start)}至{cn_date(end)}"
        first, last, undated, total = store.catalog.date_coverage()
        head = f"{span}发布的文章中没有找到相关内容"
        if not first:
            return "undated", f"{head}：已收录的{total}篇文章都未注明发布日期，无法判断哪些属于这段时间。"
        held = f"已收录文章的发布日期在{_iso_cn(first)}至{_iso_cn(last)}之间"
        if undated:
            held += f"，另有{undated}篇未注明日期"
        return "dates", f"{head}；{held}。"
    return "not found", NOT_FOUND_TEXT


def _iso_cn(day: str) -> str:
    y, m, d = (int(part) for part in day.split("-"))
    return f"{y}年{m}月{d}日"


def _sharing(asked: Question, hits: Sequence[Hit]) -> list[Hit]:
    """The hits whose article shares the question's subject: a name the question says, or at
    least half of its content words — an off-topic question lists no "related" article."""
    terms = [t for t in asked.terms if len(t) >= 2 and t not in _GENERIC and not t.isdigit()]
    if not terms:
        return []
    needed = max(1, math.ceil(len(terms) / 2))
    subjects = set(asked.names) | _leading_subject(asked.text, terms)
    kept = []
    for hit in hits:
        text = fold(f"{hit.chunk.title}\n{hit.chunk.text}")
        if any(name in text for name in subjects) or sum(t in text for t in terms) >= needed:
            kept.append(hit)
    return kept


def _leading_subject(question: str, terms: list[str]) -> set[str]:
    """The words a Chinese question opens with are its subject ("定襄法兰2023年的出口额…"):
    the first two content words, when the question writes them together."""
    if len(terms) < 2:
        return set()
    joined = terms[0] + terms[1]
    return {joined} if joined in fold(question) else set()


def _suggestions(
    res: Answer, question: str, asked: Question, scope: TimeScope | None, related: Sequence, store: DocsStore
) -> list[str]:
    tries: list[str] = []
    if res.citations:  # near miss: the year the article does report
        reported = _YEAR_IN_TEXT.findall(fold(res.citations[0].quote))
        for year in asked.years:
            for other in reported:
                tries.append(question.replace(f"{year}年", other, 1))
    if scope is not None and scope.phrase:
        bare = question
        for phrase in scope.phrase.split("、"):
            bare = bare.replace(phrase, "", 1)
        if len(bare.strip("？?。的 ")) >= 4:
            tries.append(bare.strip())
    facts = [pair for article in related[:2] for pair in store.catalog.article_facts(article.article_id)]
    facts.sort(key=lambda pair: -sum(t in pair[0] for t in asked.terms))  # its subject first
    tries += [_fact_question(name, f.attribute, f.value, f.number, f.period) for name, f in facts]
    return tries


def _fact_question(name: str, attribute: str, value: str, number: float | None, period: str) -> str:
    """ "定襄法兰专业镇2024年产值是多少？" from a stored fact."""
    if attribute in ROLES:
        return f"{name}的{attribute}是谁？"
    if number is not None:
        year = _YEAR_IN_TEXT.search(period)
        when = year.group(0) if year else ""
        return f"{name}{when}{attribute}是多少？"
    if re.search(r"\d+月|\d+日", value):
        return f"{name}是什么时候{attribute}的？"
    return f"{name}{attribute}了什么？"
