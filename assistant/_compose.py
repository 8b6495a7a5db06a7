"""Build answers from judged sentences: a direct answer first, a list, or an honest refusal.

Quotes are verbatim ``article.text[start:end]``. Where a quote starts and ends is decided
here: it starts at the claim (after a dateline lead such as "科学导报讯 记者王波 "), never
ends inside an open quotation (a speech that runs over several sentences is quoted to its
closing mark), and for a one-fact answer a long sentence is cut to the clauses around the
answer so the whole reply stays short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docs_store import Hit
from ingest import Chunk, fold, lead_length

from ._question import Question
from ._types import Answer, Citation, Related

NOT_FOUND_TEXT = "已收录的文章中没有找到能回答这个问题的内容。"
RELATED_HINT = "可以看看下面这些相关文章。"
EMPTY_STORE_TEXT = "知识库里还没有文章。请先导入文章，再提问。"
SHORT_ANSWER_CHARS = 150
"""A one-fact answer (direct answer + quote, markers not counted) stays within this."""
MAX_SPEECH_CHARS = 400
"""A quotation is followed to its closing mark only this far."""
MAX_LIST_ITEMS = 6
UNDATED = "未注明年份的数字"
"""What a near miss reports when neither the sentence, its article nor its page date names a year."""
_CLAUSE_ENDS = "，；：、,;:"


@dataclass(frozen=True)
class Quote:
    """What one citation quotes: the chunk, the quote's span and the direct answer's span."""

    chunk: Chunk
    start: int
    end: int
    answer: tuple[int, int] | None = None


def citation_for(number: int, quote: Quote) -> Citation:
    chunk = quote.chunk
    answer_start, answer_end = quote.answer if quote.answer else (None, None)
    return Citation(
        number=number,
        quote=chunk.text[quote.start - chunk.start : quote.end - chunk.start],
        text=chunk.text,
        title=chunk.title,
        byline=chunk.byline,
        date=chunk.date,
        source=chunk.source,
        paragraph=chunk.paragraph,
        start=quote.start,
        end=quote.end,
        article_id=chunk.article_id,
        chunk_id=chunk.id,
        answer_start=answer_start,
        answer_end=answer_end,
    )


def quote_of(
    chunk: Chunk, start: int, end: int, answer: tuple[int, int] | None = None, focus: tuple[int, int] | None = None
) -> Quote:
    """The quote for the sentence at ``start:end`` (article coordinates); ``answer`` is the
    direct answer's span, which the quote always keeps. ``focus`` (a single-fact question
    with no direct answer): the clause that states it — a long sentence, even a speech, is
    then cut to the clauses around it, inside the quotation marks too."""
    text = chunk.text
    offset = chunk.start
    start, end = _balanced(chunk, start, end)
    lead = lead_length(fold(text[start - offset : end - offset]))
    if lead and start + lead < end and (answer is None or answer[0] >= start + lead):
        start += lead
    if answer is not None:
        budget = SHORT_ANSWER_CHARS - (answer[1] - answer[0]) - 1
        if end - start > budget:
            start, end = _clauses_around(text, offset, start, end, answer, budget)
    elif focus is not None and end - start > SHORT_ANSWER_CHARS and start <= focus[0] < focus[1] <= end:
        start, end = _clauses_around(text, offset, start, end, focus, SHORT_ANSWER_CHARS, in_quotes=True)
    return Quote(chunk, start, end, answer)


def _balanced(chunk: Chunk, start: int, end: int) -> tuple[int, int]:
    """Widen to whole sentences of the chunk until every “ has its ” (within reason)."""
    sentences = list(chunk.sentences)
    first = next((i for i, (s, e) in enumerate(sentences) if s <= start < e), None)
    last = next((i for i, (s, e) in enumerate(sentences) if s < end <= e), None)
    if first is None or last is None:
        return start, end
    text = chunk.text
    offset = chunk.start

    def depth(a: int, b: int) -> tuple[int, int]:
        quote = text[a - offset : b - offset]
        opened = closed = 0
        for ch in quote:
            if ch == "“":
                opened += 1
            elif ch == "”":
                if opened:
                    opened -= 1
                else:
                    closed += 1
        return opened, closed

    opened, closed = depth(start, end)
    while opened and last + 1 < len(sentences) and sentences[last + 1][1] - start <= MAX_SPEECH_CHARS:
        last += 1
        end = sentences[last][1]
        opened, closed = depth(start, end)
    while closed and first > 0 and end - sentences[first - 1][0] <= MAX_SPEECH_CHARS:
        first -= 1
        start = sentences[first][0]
        opened, closed = depth(start, end)
    return start, end


def _clauses_around(
    text: str, offset: int, start: int, end: int, answer: tuple[int, int], budget: int, *, in_quotes: bool = False
) -> tuple[int, int]:
    """The longest run of whole clauses around the answer that fits ``budget``; a cut never
    falls inside a quotation (“…”), so the quote stays balanced — unless ``in_quotes``."""
    cuts = [start]
    depth = 0
    for i in range(start - offset, end - offset - 1):
        depth += {"“": 1, "”": -1}.get(text[i], 0)
        if text[i] in _CLAUSE_ENDS and (depth <= 0 or in_quotes):
            cuts.append(offset + i + 1)
    cuts.append(end)
    clause_start = max(c for c in cuts if c <= answer[0])
    clause_end = min(c for c in cuts if c >= answer[1])
    while True:
        before = [c for c in cuts if c < clause_start]
        after = [c for c in cuts if c > clause_end]
        grown = False
        if before and clause_end - before[-1] <= budget:
            clause_start = before[-1]
            grown = True
        if after and after[0] - clause_start <= budget:
            clause_end = after[0]
            grown = True
        if not grown:
            return clause_start, clause_end


def fact_answer(quote: Quote, query: str, score: float) -> Answer:
    """A direct answer (when there is one) followed by the quote that states it."""
    citation = citation_for(1, quote)
    head = f"{citation.answer}。" if citation.answer else ""
    return Answer(f"{head}{citation.quote}[1]", (citation,), found=True, query=query, score=score)


def list_answer(quotes: Sequence[Quote], query: str, score: float) -> Answer:
    """Every sentence that contributes an item, each with its own marker."""
    citations = tuple(citation_for(i, q) for i, q in enumerate(quotes[:MAX_LIST_ITEMS], start=1))
    text = "".join(f"{c.quote}[{c.number}]" for c in citations)
    return Answer(text, citations, found=True, query=query, score=score)


def refusal(hits: Sequence[Hit], query: str, *, store_empty: bool = False, score: float = 0.0) -> Answer:
    """Say plainly that the articles do not cover it; list the nearest articles."""
    if store_empty:
        return Answer(EMPTY_STORE_TEXT, (), found=False, mode="refusal", query=query, reason="empty")
    related = related_articles(hits)
    text = f"{NOT_FOUND_TEXT}{RELATED_HINT}" if related else NOT_FOUND_TEXT
    return Answer(text, (), found=False, mode="refusal", query=query, related=related, score=score)


def near_miss(asked: str, reported: str, quote: Quote, hits: Sequence[Hit], query: str, score: float) -> Answer:
    """ "没有找到2025年的数字；文章报道的是2024年：…[1]" — found stays False."""
    citation = citation_for(1, Quote(quote.chunk, quote.start, quote.end))
    if reported == UNDATED:  # the page says no year and has no date: say so, do not guess
        text = f"没有找到{asked}的相关内容；这篇文章未注明日期，无法确认下面的内容是否为{asked}的：{citation.quote}[1]"
    else:
        text = f"没有找到{asked}的相关内容；文章报道的是{reported}：{citation.quote}[1]"
    return Answer(
        text, (citation,), found=False, mode="refusal", query=query, related=related_articles(hits), score=score
    )


def ask_back(kind: str, query: str) -> Answer:
    """ "那家企业一年能生产多少？" with nothing named before: ask which one, never answer with
    whatever figure the articles hold about something else."""
    which = {"企业": "哪家企业", "公司": "哪家公司", "工厂": "哪家工厂", "厂": "哪家工厂"}.get(kind, f"哪个{kind}")
    asked = "问题里的“它”指什么" if kind == "对象" else f"您问的是{which}"
    text = f"{asked}？问题里没有说出名称，前面的对话也没有提到。请说出名称再问，例如“××公司一年能生产多少？”。"
    return Answer(text, (), found=False, mode="refusal", query=query, reason="ask back")


def related_articles(hits: Sequence[Hit], limit: int = 3) -> tuple[Related, ...]:
    seen: dict[str, Related] = {}
    for hit in hits:
        c = hit.chunk
        if c.article_id not in seen:
            seen[c.article_id] = Related(c.title, c.byline, c.date, c.source, c.article_id)
        if len(seen) == limit:
            break
    return tuple(seen.values())


def describe(question: Question) -> str:
    """How a refusal names what was asked ("2025年的数字", "宁武县")."""
    parts = [f"{y}年" for y in question.years] + list(question.periods)
    return "、".join(parts) if parts else "、".join(question.names)
