"""Questions about an article itself — who wrote it, when, which outlet — from the catalogue.

"这篇文章的作者是谁？", "这篇报道是哪天发的？", "哪家媒体报道的？": the answer is the article's
byline, date or outlet as ingest stored them, cited to the sentence of the page that states
it (the dateline "科学导报讯 记者王波 …", or the first sentence when the byline stands apart).
The article is the one the question's other words retrieve best; with nothing else said, the
one the conversation was last about.
"""

from __future__ import annotations

import re
from typing import Literal

from docs_store import DocsStore, Hit
from ingest import Article, NewsAssistantError

from ._compose import Quote, citation_for
from ._types import Answer

Field = Literal["author", "date", "outlet"]
_ARTICLE = r"(?:文章|报道|新闻|稿子|稿件)"
_FIELD_RES: tuple[tuple[Field, re.Pattern[str]], ...] = (
    # the field word must attach to the article: "报道的作者", "这篇文章是谁写的" — not
    # "报道中记者看到了什么" or "据报道，新规什么时候发布"
    ("author", re.compile(f"{_ARTICLE}的?(?:作者|记者|撰稿人|署名)|(?:这|那)篇{_ARTICLE}?是?谁(?:写|报道|发)的")),
    (
        "date",
        re.compile(
            f"(?:这|那)篇{_ARTICLE}?是?(?:哪天|哪一天|什么时候|何时|几号)(?:发|发布|发表|刊登|刊发|登)"
            f"|{_ARTICLE}的?(?:发布|发表|刊发)(?:时间|日期)"
        ),
    ),
    (
        "outlet",
        re.compile(
            f"{_ARTICLE}?是?(?:哪家|什么|哪个)(?:媒体|报纸|报社|网站)(?:的|报道|发|刊登|刊发)"
            f"|{_ARTICLE}的?(?:出处|刊发媒体)"
        ),
    ),
)
_REPORTED_RE = re.compile(r"据.{0,8}报道|报道[中里称说]|新闻[中里]|文章[中里]|消息称")
"""A question about what an article says, not about the article: "报道中记者看到了什么"."""
_ASKING_WORDS_RE = re.compile(
    r"这篇|那篇|文章|报道|新闻|稿子|稿件|作者|记者|是谁|谁写的|哪天|什么时候|发布|发表|哪家|媒体|来源|出处|的|是|[？?。]"
)


def asked_field(question: str) -> Field | None:
    """Which property of the article the question asks for, or None (not a question about
    the article itself: "记者在现场看到了什么" asks about the news, not its byline)."""
    if _REPORTED_RE.search(question):
        return None
    return next((field for field, pattern in _FIELD_RES if pattern.search(question)), None)


def subject_words(question: str) -> str:
    """What is left to search with once the asking words are gone ("写定襄法兰的" → 定襄法兰)."""
    return _ASKING_WORDS_RE.sub(" ", question).strip()


def about_answer(field: Field, hits: list[Hit], store: DocsStore, query: str) -> Answer | None:
    """The field of the best-retrieved article, cited; None when nothing was retrieved."""
    if not hits:
        return None
    try:
        article = store.article(hits[0].chunk.article_id)
    except NewsAssistantError:
        return None
    value = _value(field, article)
    label = {"author": "作者", "date": "发布日期", "outlet": "刊发媒体"}[field]
    if not value:
        missing = {"author": "没有署名", "date": "未注明日期", "outlet": "没有写明出处"}[field]
        return Answer(
            f"《{article.title}》{missing}。", (), found=False, mode="refusal", query=query, reason="not found"
        )
    quote = _stating_sentence(store, article, value)
    if quote is None:
        return None
    citation = citation_for(1, quote)
    text = f"{label}：{value}。《{article.title}》：{citation.quote}[1]"
    return Answer(text, (citation,), found=True, query=query, score=1.0)


def _value(field: Field, article: Article) -> str:
    if field == "author":
        return article.byline
    if field == "date":
        return article.date
    lead = re.match(r"([^，,。\s通]{2,12}?)讯", article.lead)
    if lead and lead.group(1) not in ("本报", "本网", "本台", "本刊"):
        return lead.group(1)
    return article.origin


def _stating_sentence(store: DocsStore, article: Article, value: str) -> Quote | None:
    """The sentence that states ``value`` (the dateline holds byline and outlet), else the
    article's first sentence: what a reader checks the answer against."""
    text = article.text
    names = [part for part in re.split(r"[ 、，,]+", value) if part]
    position = next((text.find(n) for n in names if n in text), -1)
    for paragraph in article.paragraphs:
        for start, end in paragraph.sentences:
            if position < 0 or start <= position < end:
                chunk = store.chunk_at(article.id, start)
                return Quote(chunk, start, end) if chunk is not None else None
    return None
