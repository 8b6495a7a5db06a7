"""The one article builder every reader ends in: paragraphs → offsets, sentence spans, id."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable, Sequence

from ._limits import MAX_PARAGRAPH_CHARS
from ._text import sentence_spans
from ._types import PARAGRAPH_SEPARATOR, Article, Paragraph, ParagraphKind

FALLBACK_TITLE_CHARS = 30
BODY: ParagraphKind = "body"
_SOFT_BREAKS = "，,、：: \u3000"
"""Where an over-long sentence is cut if it must be: after a clause mark, else anywhere."""

_UNWANTED_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]+")
_SURROGATES = re.compile("[\ud800-\udfff]")


def scrub_text(text: str) -> str:
    """Text fit to store: control characters (NUL, C1) dropped, lone surrogates replaced by
    U+FFFD. Readers can surface both (a NUL deep in a .txt, a PDF's broken ToUnicode map, a
    ``"\\ud800"`` escape in JSON), and SQLite, the tokenizers and ``str.encode`` choke on them."""
    text = _UNWANTED_CHARS.sub("", text)
    return _SURROGATES.sub("\ufffd", text)


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
    max_paragraph_chars: int = MAX_PARAGRAPH_CHARS,
) -> Article:
    """An :class:`Article` from its paragraph texts (plain, or ``(text, kind)`` pairs).

    Offsets and sentence spans are in :attr:`Article.text` coordinates. The id hashes the
    source, the external ref, the title and the body, so the same article from the same
    file always gets the same id and any change to it gets a new one. An article printed
    without a headline gets its first sentence, clipped, as title.

    All text passes :func:`scrub_text` (no NUL, no lone surrogate) and blank paragraphs are
    dropped (they would become empty chunks). A paragraph longer than
    ``max_paragraph_chars`` is split at sentence ends into several paragraphs of the same
    kind, because one huge paragraph (a flattened page, a wall of text) would otherwise
    become a huge chunk and make sentence and chunk work grow with the whole file; a
    sentence longer than the cap is cut after a clause mark, or hard, as a last resort.
    """
    built: list[Paragraph] = []
    offset = 0
    for item in paragraphs:
        whole, kind = (item, BODY) if isinstance(item, str) else item
        for text in split_paragraph(scrub_text(whole), max_paragraph_chars):
            built.append(Paragraph(len(built), text, offset, tuple(sentence_spans(text, offset)), kind))
            offset += len(text) + len(PARAGRAPH_SEPARATOR)
    title = scrub_text(title) or fallback_title(built)
    body = PARAGRAPH_SEPARATOR.join(p.text for p in built)
    # surrogatepass: a source path (from the file system) may still hold one
    key = f"{source}\n{ref}\n{title}\n{body}".encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(key).hexdigest()[:16]
    return Article(
        id=digest,
        source=source,
        title=title,
        paragraphs=tuple(built),
        kicker=scrub_text(kicker),
        byline=scrub_text(byline),
        date=date,
        lead=scrub_text(lead),
        captions=tuple(scrub_text(c) for c in captions),
        ref=scrub_text(ref),
        origin=scrub_text(origin),
    )


def split_paragraph(text: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """``text`` as pieces of at most ``limit`` characters, cut at sentence ends.

    Each piece is a run of whole sentences, greedily as long as fits; a sentence longer than
    ``limit`` is cut after the last clause mark (，、：or a space) in the second half of the
    window, else hard at ``limit``. Pieces are stripped at the cuts; blank text gives ``[]``.

    >>> split_paragraph("一二三。四五。六。", 5)
    ['一二三。', '四五。六。']
    """
    if len(text) <= limit:
        return [text] if text.strip() else []
    ends = [end for _, end in sentence_spans(text)]
    pieces: list[str] = []
    start, length = 0, len(text)
    while start < length:
        if length - start <= limit:
            cut = length
        else:
            i = bisect.bisect_right(ends, start + limit) - 1
            cut = ends[i] if i >= 0 and ends[i] > start else _soft_cut(text, start, limit)
        piece = text[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = cut
    return pieces


def _soft_cut(text: str, start: int, limit: int) -> int:
    window = text[start + limit // 2 : start + limit]
    best = max(window.rfind(mark) for mark in _SOFT_BREAKS)
    return start + limit // 2 + best + 1 if best >= 0 else start + limit


def fallback_title(paragraphs: Sequence[Paragraph], limit: int = FALLBACK_TITLE_CHARS) -> str:
    """The first sentence of the first body paragraph, without its end mark, clipped."""
    first = next((p for p in paragraphs if p.kind == "body"), None)
    if first is None or not first.sentences:
        return ""
    s, e = first.sentences[0]
    sentence = first.text[s - first.start : e - first.start].rstrip("。！？；;!?")
    return sentence if len(sentence) <= limit else sentence[:limit] + "…"
