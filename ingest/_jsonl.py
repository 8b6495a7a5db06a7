"""Bulk ``.jsonl`` / ``.jsonl.gz`` files: one article per line, streamed.

Each line is ``{"id", "text", "title"?, "date"?, "source"?}``. Texts from the CRUD news
corpus start with a header such as ``"2023-08-11 15:10，正文："``, ``"23-07-26 05:23，正文："``
or ``"来源：央视网 | 2023年07月20日 08:57:43，正文："``; the header is cut off and its date,
when it has a year, becomes the article's date (always written ``YYYY-MM-DD``).

A bulk file can hold tens of thousands of articles, so it is read one line at a time from
the file (through the gzip stream), never whole: memory stays that of one line, and the
store can import it article by article.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from ._article import build_article, scrub_text
from ._errors import IngestError
from ._limits import MAX_PARAGRAPH_CHARS, RATIO_CHECK_FLOOR, Limits, check_chunk_count, display_name
from ._readers import (
    BULK_SUFFIXES,
    check_supported,
    check_text_size,
    info_fields,
    iso_date,
    open_checked,
    short_error,
)
from ._text import normalize_line
from ._types import Article

_DATE_PREFIX_RE = re.compile(
    r"^[\s\u3000]*(?:"
    r"(?P<head>[^\n。！？!?]{0,100}?)[\s\u3000]*[，,][\s\u3000]*正文[\s\u3000]*[:：]"
    r"|(?P<stamp>(?:\d{4}|\d{2})-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)[\s\u3000]*[，,]?"
    r")[\s\u3000]*"
)
"""A header before the text proper: anything short up to ``，正文：``, or a bare timestamp."""
_DATE_RE = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_COMPACT_DATE_RE = re.compile(r"(?<!\d)(\d{4})(\d{2})/(\d{1,2})(?!\d)")  # "202307/25 05:01:02"
_BOM = b"\xef\xbb\xbf"
UTF8_MAX_BYTES = 4
"""A line may hold ``max_chars`` characters, so it may take up to four times that in bytes."""


def iter_bulk_articles(path: str | Path, source: str | None = None, limits: Limits | None = None) -> Iterator[Article]:
    """Stream the articles of a ``.jsonl`` / ``.jsonl.gz`` file, one line at a time.

    ``source`` is the name recorded in each article (default: the resolved path). The file
    is checked (type, size) at once; lines are read as the iterator is consumed, so a
    malformed line raises :class:`IngestError` naming its number only when it is reached —
    the articles before it have been yielded by then, which lets an importer resume. A
    record over ``limits.max_chars`` characters or ``limits.max_chunks`` chunks is an error
    for that line.
    """
    path = Path(path)
    limits = limits or Limits()
    suffix = check_supported(path)
    if suffix not in BULK_SUFFIXES:
        raise IngestError(
            display_name(path), "unsupported type", f"{suffix}; bulk files are {' or '.join(BULK_SUFFIXES)}"
        )
    open_checked(path, limits.max_bulk_bytes, "MAX_BULK_MB")
    name = source or str(path.resolve())
    return _stream_articles(path, name, gzipped=suffix == ".jsonl.gz", limits=limits)


def _stream_articles(path: Path, name: str, *, gzipped: bool, limits: Limits) -> Iterator[Article]:
    shown = display_name(path)
    found = 0
    for number, line in _numbered_lines(path, shown, gzipped=gzipped, limits=limits):
        if line.strip():
            found += 1
            yield _article_from_line(line, name, shown, number, limits)
    if not found:
        raise IngestError(shown, "empty", "no article text found")


def _numbered_lines(path: Path, shown: str, *, gzipped: bool, limits: Limits) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` read with a byte cap per line, decoded line by line so that a
    bad byte is reported where it is; a ``.gz`` that expands suspiciously fast is refused."""
    max_line_bytes = UTF8_MAX_BYTES * limits.max_chars
    number = expanded = 0
    with path.open("rb") as raw:
        stream: io.BufferedIOBase = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
        while True:
            try:
                data = stream.readline(max_line_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                raise IngestError(shown, "invalid", f"line {number + 1}: cannot read ({short_error(exc)})") from exc
            if not data:
                return
            number += 1
            if len(data) > max_line_bytes and not data.endswith(b"\n"):
                raise IngestError(shown, "too large", f"line {number}: longer than {max_line_bytes:,} bytes")
            expanded += len(data)
            if gzipped and expanded > RATIO_CHECK_FLOOR and expanded > limits.max_compression_ratio * raw.tell():
                raise IngestError(
                    shown, "too large", f"line {number}: gzip expands more than {limits.max_compression_ratio:g}×"
                )
            if number == 1:
                data = data.removeprefix(_BOM)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                detail = f"line {number}: not UTF-8 (byte 0x{data[exc.start]:02x} at {exc.start:,})"
                raise IngestError(shown, "invalid", detail) from exc
            yield number, text


def _article_from_line(line: str, name: str, shown: str, number: int, limits: Limits) -> Article:
    where = f"line {number}: "
    try:
        record = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        message = exc.msg if exc.msg.endswith(" at") else f"{exc.msg} at"  # "Unterminated string starting at"
        raise IngestError(shown, "invalid", f"{where}not JSON ({message} column {exc.colno:,})") from exc
    except RecursionError as exc:  # [[[[…]]]] nested past the interpreter's stack
        raise IngestError(shown, "invalid", f"{where}not usable JSON (nested too deeply)") from exc
    except ValueError as exc:  # a 5,000-digit number
        raise IngestError(shown, "invalid", f"{where}not usable JSON ({short_error(exc)})") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        raise IngestError(shown, "invalid", f'{where}needs a non-empty "text" field')
    text = scrub_text(record["text"])
    check_text_size(text, shown, limits, where)
    header_date, header_byline, text = split_header(text)
    ref = record.get("id")
    article = article_from_text(
        text,
        name,
        title=scrub_text(str(record.get("title") or "")),
        date=normalize_date(str(record.get("date") or "")) or header_date,
        byline=header_byline,
        ref=scrub_text(str(number if ref is None else ref)),
        origin=scrub_text(str(record.get("source") or "")),
        max_paragraph_chars=limits.max_paragraph_chars,
    )
    if not article.paragraphs:
        raise IngestError(shown, "invalid", f'{where}needs a non-empty "text" field')
    check_chunk_count([article], shown, limits, where)
    return article


def split_header(text: str) -> tuple[str, str, str]:
    """``(date, byline, rest)``: the text without its CRUD-style header, and what the header
    says — its date (when it has a year) and reporter (``记者：韩轩，正文：``).

    >>> split_header("23-07-26 05:23，正文：1953年7月27日10时，在板门店…")
    ('2023-07-26', '', '1953年7月27日10时，在板门店…')
    >>> split_header("7-20 16:03，正文：央视网消息")  # no year: no date
    ('', '', '央视网消息')

    A bare timestamp is only cut when it is a real date, so a body that opens with
    "10-20-30人" is left alone.
    """
    match = _DATE_PREFIX_RE.match(text)
    if not match:
        return "", "", text
    head = match.group("head") or match.group("stamp") or ""
    date = normalize_date(head)
    if match.group("stamp") is not None and not date:
        return "", "", text
    return date, info_fields(head)[1], text[match.end() :]


def normalize_date(value: str) -> str:
    """The first full date in ``value`` as ``YYYY-MM-DD`` (``"23-07-26"``, ``"2023/07/20"``,
    ``"2023年07月19日"``, ``"202307/25"``), ``""`` if it holds none."""
    for pattern in (_DATE_RE, _COMPACT_DATE_RE):
        for match in pattern.finditer(value):
            date = iso_date(*match.groups())
            if date:
                return date
    return ""


def article_from_text(
    text: str,
    source: str,
    *,
    title: str = "",
    date: str = "",
    ref: str = "",
    origin: str = "",
    byline: str = "",
    max_paragraph_chars: int = MAX_PARAGRAPH_CHARS,
) -> Article:
    """One article from already-separated text: lines are paragraphs, no layout repair.

    Control characters and lone surrogates are cleaned first (see ``scrub_text``); a title
    spread over several lines is joined into one.
    """
    lines = [line for line in map(normalize_line, scrub_text(text).splitlines()) if line]
    heading = normalize_line(" ".join(scrub_text(title).split()))
    return build_article(
        source,
        lines,
        title=heading,
        byline=byline,
        date=date,
        ref=ref,
        origin=origin,
        max_paragraph_chars=max_paragraph_chars,
    )
