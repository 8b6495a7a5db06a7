"""One entry point from a file on disk to its articles."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ._errors import IngestError
from ._jsonl import iter_jsonl_articles
from ._layout import parse_page
from ._readers import BULK_SUFFIXES, DEFAULT_MAX_FILE_MB, MB, check_supported, read_bytes, read_page
from ._types import Article, ParsedSource


def parse_file(
    path: str | Path, *, source: str | None = None, max_bytes: int = int(DEFAULT_MAX_FILE_MB * MB)
) -> ParsedSource:
    """Read and parse one source file.

    ``source`` is the name recorded in the store (default: the resolved path). Raises
    :class:`IngestError` with the file and the reason for anything unreadable.
    """
    path = Path(path)
    name = source or str(path.resolve())
    suffix = check_supported(path)
    data = read_bytes(path, max_bytes)
    content_hash = hashlib.sha256(data).hexdigest()
    if suffix in BULK_SUFFIXES:
        articles = tuple(iter_jsonl_articles(data, name, gzipped=suffix.endswith(".gz")))
    else:
        text, title_hint = read_page(path, data, suffix)
        articles = tuple(parse_page(text, name, title_hint=title_hint))
    if not articles:
        raise IngestError(str(path), "empty", "no article text found")
    return ParsedSource(source=name, articles=articles, content_hash=content_hash)


def parse_text(text: str, source: str = "<text>") -> list[Article]:
    """Parse page text already in memory (handy in notebooks and tests)."""
    return parse_page(text, source)
