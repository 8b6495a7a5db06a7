"""One entry point from a file on disk to its articles, within :class:`~ingest.Limits`."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path

from ._article import build_article, scrub_text
from ._errors import IngestError
from ._jsonl import article_from_text, iter_bulk_articles
from ._layout import BODY_MIN_CHARS, parse_page
from ._limits import MAX_PARAGRAPH_CHARS, Limits, check_chunk_count, display_name
from ._readers import BULK_SUFFIXES, check_supported, check_text_size, read_bytes, read_page
from ._text import SENTENCE_END, ends_sentence
from ._types import Article, PageText, ParsedSource

logger = logging.getLogger(__name__)
_HASH_BLOCK = 1 << 20


def parse_file(
    path: str | Path, *, source: str | None = None, max_bytes: int | None = None, limits: Limits | None = None
) -> ParsedSource:
    """Read and parse one source file.

    ``source`` is the name recorded in the store (default: the resolved path). ``limits``
    bounds the work (see :class:`Limits`); ``max_bytes``, if given, overrides its
    ``max_file_bytes`` (the older way to pass ``MAX_FILE_MB``). Raises
    :class:`IngestError` with the file and the reason for anything unreadable or over a
    limit. Bulk files are streamed but their articles are returned together; use
    :func:`iter_bulk_articles` to import a large one article by article.
    """
    limits = limits or Limits()
    if max_bytes is not None:
        limits = dataclasses.replace(limits, max_file_bytes=max_bytes)
    path = Path(path)
    name = source or str(path.resolve())
    suffix = check_supported(path)
    if suffix in BULK_SUFFIXES:
        articles = iter_bulk_articles(path, name, limits)  # checks the file before hashing it
        content_hash = _file_hash(path)
        parsed = tuple(articles)
    else:
        data = read_bytes(path, limits.max_file_bytes)
        content_hash = hashlib.sha256(data).hexdigest()
        page = read_page(path, data, suffix, limits)
        parsed = tuple(_page_articles(page, name, display_name(path), limits))
    if not parsed:
        raise IngestError(display_name(path), "empty", "no article text found")
    return ParsedSource(source=name, articles=parsed, content_hash=content_hash)


def parse_text(text: str, source: str = "<text>", *, limits: Limits | None = None) -> list[Article]:
    """Parse page text already in memory (handy in notebooks and tests), within ``limits``."""
    return _page_articles(PageText(text), source, display_name(source), limits or Limits())


def _page_articles(page: PageText, name: str, shown: str, limits: Limits) -> list[Article]:
    """A page's text → its articles, with the page-level limits checked before the layout
    parser runs (its work grows faster than linearly with the number of lines)."""
    text = scrub_text(page.text)
    check_text_size(text, shown, limits)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > limits.max_lines:
        raise IngestError(shown, "too large", f"{len(lines):,} lines > limit {limits.max_lines:,}")
    pairs = _repair_pairs(lines)
    if pairs > limits.max_repair_pairs:
        logger.warning(
            "%s: %s column-repair comparisons > limit %s; reading one paragraph per line",
            shown,
            f"{pairs:,}",
            f"{limits.max_repair_pairs:,}",
        )
        article = article_from_text(
            text,
            name,
            title=page.title,
            date=page.date,
            byline=page.byline,
            max_paragraph_chars=limits.max_paragraph_chars,
        )
        articles = [article] if article.paragraphs else []
    else:
        articles = parse_page(text, name, title_hint=page.title, date=page.date, byline=page.byline)
        articles = list(_capped_paragraphs(articles, limits.max_paragraph_chars))
    check_chunk_count(articles, shown, limits)
    return articles


def _repair_pairs(lines: list[str]) -> int:
    """Upper bound on the comparisons column-break repair makes: each body line that does
    not end a sentence is compared with every body line."""
    bodies = [line for line in lines if len(line) >= BODY_MIN_CHARS or any(ch in SENTENCE_END for ch in line)]
    unfinished = sum(1 for line in bodies if not ends_sentence(line))
    return unfinished * len(bodies)


def _capped_paragraphs(articles: Iterable[Article], cap: int) -> Iterable[Article]:
    """Articles with no paragraph over ``cap``. The layout parser builds with the default
    cap; a smaller one in :class:`Limits` re-splits here (same builder, same rules)."""
    for article in articles:
        if cap == MAX_PARAGRAPH_CHARS or all(len(p.text) <= cap for p in article.paragraphs):
            yield article
            continue
        yield build_article(
            article.source,
            [(p.text, p.kind) for p in article.paragraphs],
            title=article.title,
            kicker=article.kicker,
            byline=article.byline,
            date=article.date,
            lead=article.lead,
            captions=article.captions,
            ref=article.ref,
            origin=article.origin,
            max_paragraph_chars=cap,
        )


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()
