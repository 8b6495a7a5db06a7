"""Bulk ``.jsonl`` / ``.jsonl.gz`` files: one article per line.

Each line is ``{"id", "text", "title"?, "date"?, "source"?}``. Texts from the CRUD news
corpus start with ``"2023-08-11 15:10，正文："``; that prefix becomes the date.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator

from ._article import build_article
from ._errors import IngestError
from ._text import normalize_line
from ._types import Article

_DATE_PREFIX_RE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*[，,]?\s*(?:正文[:：])?")


def iter_jsonl_articles(data: bytes, source: str, *, gzipped: bool) -> Iterator[Article]:
    """Yield the articles of a bulk file; a malformed line raises ``IngestError`` naming it."""
    try:
        with _open_lines(data, gzipped) as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    yield _article_from_line(line, source, number)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise IngestError(source, "invalid", f"cannot read: {exc}") from exc


def _open_lines(data: bytes, gzipped: bool) -> io.TextIOBase:
    if gzipped:
        return gzip.open(io.BytesIO(data), "rt", encoding="utf-8")
    return io.StringIO(data.decode("utf-8-sig"))


def _article_from_line(line: str, source: str, number: int) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestError(source, "invalid", f"line {number}: not JSON ({exc.msg})") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        raise IngestError(source, "invalid", f'line {number}: needs a non-empty "text" field')
    text = record["text"]
    date = str(record.get("date") or "")
    match = _DATE_PREFIX_RE.match(text)
    if match:
        date = date or match.group(1)
        text = text[match.end() :]
    return article_from_text(
        text,
        source,
        title=str(record.get("title") or ""),
        date=date,
        ref=str(record.get("id", number)),
        origin=str(record.get("source") or ""),
    )


def article_from_text(
    text: str, source: str, *, title: str = "", date: str = "", ref: str = "", origin: str = ""
) -> Article:
    """One article from already-separated text: lines are paragraphs, no layout repair."""
    lines = [line for line in map(normalize_line, text.splitlines()) if line]
    return build_article(source, lines, title=normalize_line(title), date=date, ref=ref, origin=origin)
