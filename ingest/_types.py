"""The plain data that moves between stages: Article → Paragraph → Chunk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Span = tuple[int, int]
ParagraphKind = Literal["body", "heading"]

PARAGRAPH_SEPARATOR = "\n"
"""Paragraphs are joined with this in :attr:`Article.text`; all offsets refer to that text."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article, with its sentence spans in article coordinates.

    ``start``/``end`` locate the paragraph inside :attr:`Article.text`; each span in
    ``sentences`` is ``(start, end)`` in the same coordinates, so ``article.text[s:e]``
    is the sentence verbatim.
    """

    index: int
    text: str
    start: int
    sentences: tuple[Span, ...]
    kind: ParagraphKind = "body"

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Article:
    """One news article as printed: headline parts, byline and its paragraphs.

    ``id`` is a content hash of the source name and the article text, so re-ingesting the
    same bytes yields the same ids and a changed article gets a new one.
    """

    id: str
    source: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    kicker: str = ""
    byline: str = ""
    date: str = ""
    lead: str = ""
    captions: tuple[str, ...] = ()
    ref: str = ""
    origin: str = ""

    @property
    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)

    def sentences(self) -> list[str]:
        """All sentences of the article, in order, verbatim."""
        text = self.text
        return [text[s:e] for p in self.paragraphs for s, e in p.sentences]


@dataclass(frozen=True)
class Chunk:
    """The unit that is indexed and retrieved: one paragraph or a run of its sentences.

    ``id`` is ``{article_id}:{paragraph}:{n}`` and therefore deterministic. ``start`` is the
    offset of ``text`` inside the article text; ``sentences`` are spans in article
    coordinates. ``section`` is the sub-heading the paragraph sits under, if any.
    """

    id: str
    article_id: str
    text: str
    start: int
    paragraph: int
    sentences: tuple[Span, ...]
    title: str = ""
    byline: str = ""
    date: str = ""
    source: str = ""
    section: str = ""
    ref: str = ""

    @property
    def index_text(self) -> str:
        """What the retrievers see: headline and section give a paragraph its context."""
        head = "｜".join(part for part in (self.title, self.section) if part)
        return f"{head}\n{self.text}" if head else self.text


@dataclass(frozen=True)
class PageText:
    """What a reader gets out of one page file: its text (one paragraph per line) and what
    the file itself says about the article — title, date (``YYYY-MM-DD``), author — when a
    format carries it (HTML metadata); the layout parser fills in the rest from the text."""

    text: str
    title: str = ""
    date: str = ""
    byline: str = ""


@dataclass(frozen=True)
class ParsedSource:
    """Everything one source file yielded, plus the hash of its bytes."""

    source: str
    articles: tuple[Article, ...]
    content_hash: str

    def __iter__(self):
        """Iterating a parsed source yields its articles."""
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def __getitem__(self, index: int) -> Article:
        return self.articles[index]
