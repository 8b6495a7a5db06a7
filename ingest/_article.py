"""The one article builder every reader ends in: paragraphs → offsets, sentence spans, id."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from ._text import sentence_spans
from ._types import PARAGRAPH_SEPARATOR, Article, Paragraph, ParagraphKind

FALLBACK_TITLE_CHARS = 30
BODY: ParagraphKind = "body"


def build_article(
    source: str,
    paragraphs: Iterable[str | tuple[str, ParagraphKind]],
    *,
    title: str = "",
    kicker: str = "",
    byline: str = "",
    date: str = "",
    lead: str = "",
    captions: Sequence[str] = (),
    ref: str = "",
    origin: str = "",
) -> Article:
    """An :class:`Article` from its paragraph texts (plain, or ``(text, kind)`` pairs).

    Offsets and sentence spans are in :attr:`Article.text` coordinates. The id hashes the
    source, the external ref, the title and the body, so the same article from the same
    file always gets the same id and any change to it gets a new one. An article printed
    without a headline gets its first sentence, clipped, as title.
    """
    built: list[Paragraph] = []
    offset = 0
    for index, item in enumerate(paragraphs):
        text, kind = (item, BODY) if isinstance(item, str) else item
        built.append(Paragraph(index, text, offset, tuple(sentence_spans(text, offset)), kind))
        offset += len(text) + len(PARAGRAPH_SEPARATOR)
    title = title or fallback_title(built)
    body = PARAGRAPH_SEPARATOR.join(p.text for p in built)
    digest = hashlib.sha256(f"{source}\n{ref}\n{title}\n{body}".encode()).hexdigest()[:16]
    return Article(
        id=digest,
        source=source,
        title=title,
        paragraphs=tuple(built),
        kicker=kicker,
        byline=byline,
        date=date,
        lead=lead,
        captions=tuple(captions),
        ref=ref,
        origin=origin,
    )


def fallback_title(paragraphs: Sequence[Paragraph], limit: int = FALLBACK_TITLE_CHARS) -> str:
    """The first sentence of the first body paragraph, without its end mark, clipped."""
    first = next((p for p in paragraphs if p.kind == "body"), None)
    if first is None or not first.sentences:
        return ""
    s, e = first.sentences[0]
    sentence = first.text[s - first.start : e - first.start].rstrip("。！？；;!?")
    return sentence if len(sentence) <= limit else sentence[:limit] + "…"
