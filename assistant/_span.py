"""The short direct answer: the span of the cited sentence that answers, taken verbatim.

Hand-written for the kinds of answer analysts quote: a figure with its unit ("近3万人",
"170亿元"), a date ("3月18日"), a person after the role that names them ("董事长周伦强"),
an organisation or a place. The span must not repeat what the question already says, and
when several qualify the one nearest the question's words wins ("产值突破了170亿元" for
"产值多少", not the "2024年" before it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ._names import ORG_RE, PERSON_RE, PLACE_RE
from ._question import Question

_QUALIFIER = "(?:超过|达到|高达|将近|接近|不到|不足|约为|[近约超逾达共仅])"
"""Words that change what a figure claims ("超过5亿元" is not "5亿元"): kept in the span."""
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?(?:[余多])?[万亿千百]*(?:余|多)?"
_FIGURE_RE = re.compile(
    f"{_QUALIFIER}?(?:{_NUMBER}|[一二三四五六七八九十百千两]+[万亿]?)"
    r"(?:亿元|万元|元|万人次|万人|人次|人|名|位|户|家|个|项|万件|件|万吨|吨|万亩|亩|兆瓦|千瓦|平方米|平方公里|公里|%|倍|辆|台|套|座|条|期|批)"
)
_BARE_NUMBER_RE = re.compile(f"{_QUALIFIER}?{_NUMBER}%?")
_DATE_RE = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}年(?!\d)|[一二三四五六七八九十]+月[一二三四五六七八九十]+日"
)
Span = tuple[int, int]


def answer_span(question: Question, sentence: str) -> Span | None:
    """``(start, end)`` of the direct answer inside ``sentence``, or None when the kind of
    question has no short answer or none is found."""
    kind = question.kind
    if question.is_list or kind == "other":
        return None
    found = list(_spans(kind, question, sentence))
    found = [(s, e) for s, e in found if sentence[s:e] not in question.text]
    if not found:
        return None
    anchors = _anchor_positions(question, sentence)
    return min(found, key=lambda span: (_distance(span, anchors), span[0]))


def _spans(kind: str, question: Question, sentence: str) -> Iterator[Span]:
    if kind == "number":
        units = question.units
        for m in _FIGURE_RE.finditer(sentence):
            if (not units or any(m.group(0).endswith(u) for u in units)) and not _is_year(m.group(0)):
                yield m.span()
        if not units:
            for m in _BARE_NUMBER_RE.finditer(sentence):
                if not _is_year_at(sentence, m.end()) and not _inside_figure(sentence, m.span()):
                    yield m.span()
    elif kind == "date":
        for m in _DATE_RE.finditer(sentence):
            if question.date_fits(m.group(0)):
                yield m.span()
    elif kind == "person":
        people = [m.span(1) for m in PERSON_RE.finditer(sentence) if m.group(1) not in question.text]
        # "谁投资的" is often a company: only when the sentence names no person
        yield from people or [m.span() for m in ORG_RE.finditer(sentence)]
    elif kind == "org":
        yield from (m.span() for m in ORG_RE.finditer(sentence))
    elif kind == "place":
        yield from (m.span() for m in PLACE_RE.finditer(sentence))


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"[近约超逾达共仅]?(?:19|20)\d\d年?", text))


def _is_year_at(sentence: str, end: int) -> bool:
    return sentence[end : end + 1] in ("年", "月", "日", "号")


def _inside_figure(sentence: str, span: Span) -> bool:
    return any(m.start() <= span[0] and span[1] <= m.end() and m.span() != span for m in _FIGURE_RE.finditer(sentence))


def _anchor_positions(question: Question, sentence: str) -> list[int]:
    """Where the question's own words stand in the sentence (the answer sits next to them)."""
    positions = []
    for term in question.terms:
        if len(term) < 2:
            continue
        start = sentence.find(term)
        while start != -1:
            positions.append(start)
            positions.append(start + len(term))
            start = sentence.find(term, start + 1)
    return positions


def _distance(span: Span, anchors: list[int]) -> int:
    if not anchors:
        return 0
    return min(min(abs(span[0] - a), abs(span[1] - a)) for a in anchors)
