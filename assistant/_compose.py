"""Build answers and citations from chosen sentences; check answers against their sources."""

from __future__ import annotations

from docs_store import Hit

from ._extract import Candidate
from ._types import Answer, Citation

NOT_FOUND_TEXT = "已收录的文章中没有找到能回答这个问题的内容。下面列出最相关的文章，供参考。"
EMPTY_STORE_TEXT = "知识库里还没有文章。请先导入文章，再提问。"


def citation_for(number: int, chunk, start: int, end: int) -> Citation:
    return Citation(
        number=number,
        quote=chunk.text[start - chunk.start : end - chunk.start],
        text=chunk.text,
        title=chunk.title,
        byline=chunk.byline,
        date=chunk.date,
        source=chunk.source,
        paragraph=chunk.paragraph,
        start=start,
        end=end,
        article_id=chunk.article_id,
        chunk_id=chunk.id,
    )


def extractive_answer(chosen: list[Candidate], query: str) -> Answer:
    """Quote the chosen sentences verbatim, each followed by its marker."""
    citations = tuple(citation_for(i, c.chunk, c.start, c.end) for i, c in enumerate(chosen, start=1))
    text = "".join(f"{c.quote}[{c.number}]" for c in citations)
    return Answer(text, citations, found=True, mode="extractive", query=query)


def not_found_answer(
    candidates: list[Candidate], hits: list[Hit], query: str, *, store_empty: bool = False, notice: str = ""
) -> Answer:
    """Say plainly that the articles do not cover it; list the nearest articles."""
    if store_empty:
        return Answer(EMPTY_STORE_TEXT, (), found=False, mode="refusal", notice=notice, query=query)
    seen: list[Candidate] = []
    for c in candidates:
        if all(c.chunk.article_id != s.chunk.article_id for s in seen):
            seen.append(c)
        if len(seen) == 3:
            break
    citations = tuple(citation_for(i, c.chunk, c.start, c.end) for i, c in enumerate(seen, start=1))
    return Answer(NOT_FOUND_TEXT, citations, found=False, mode="refusal", notice=notice, query=query)
