"""How much work one source file may cost: sizes, counts and depths, named in one place.

A news page is small; a file that is not (a zip bomb dressed as .docx, a 10,000-level HTML
tree, a 5 MB line of text) should be refused with a clear reason before it can stall an
import or exhaust memory, not discovered by the operating system's OOM killer. Every reader
takes a :class:`Limits`; the defaults are generous for real news and strict for attacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from ._chunk import chunk_article
from ._errors import IngestError
from ._types import Article

MB = 1024 * 1024
"""Sizes are set and shown in MB of 2^20 bytes, so a limit reads back as it was written."""
DEFAULT_MAX_FILE_MB = 64.0
"""The largest source file accepted, in MB (the ``MAX_FILE_MB`` setting)."""
DEFAULT_MAX_BULK_MB = 16384.0
"""The largest .jsonl(.gz) bulk file, in MB (``MAX_BULK_MB``): it is streamed article by
article under the per-record limits, so its size bounds time, not memory."""
MAX_PARAGRAPH_CHARS = 2_000
"""Paragraphs longer than this are split at sentence ends (see :func:`ingest.build_article`)."""
RATIO_CHECK_FLOOR = MB
"""Compression ratios are only judged once this much has been expanded: a tiny member of
zeros has a huge ratio and is harmless."""


@dataclass(frozen=True)
class Limits:
    """Caps on the work one source file may cause; pass one to :func:`ingest.parse_file`.

    Attributes:
        max_file_bytes: largest page or document file on disk (``MAX_FILE_MB``).
        max_bulk_bytes: largest .jsonl(.gz) bulk file on disk (``MAX_BULK_MB``).
        max_chars: characters of text per file (per record in a bulk file), after decoding
            or extraction; also bounds a bulk line (at most four bytes per character).
        max_lines: non-blank lines in one page's text; the layout parser looks at every
            line's neighbours, so this bounds its work.
        max_paragraph_chars: longer paragraphs are split at sentence ends (hard-split only
            where a sentence alone is longer). The layout parser builds page articles with
            the default; a smaller cap re-splits them, a larger one cannot undo its splits.
        max_chunks: chunks one page file (or one bulk record) may make.
        max_repair_pairs: column-break repair compares each unfinished paragraph with every
            body paragraph; a page needing more comparisons is read one paragraph per line,
            without repair (a warning is logged).
        max_zip_members: entries in a .docx (zip) archive.
        max_zip_member_bytes: decompressed size of any one .docx member.
        max_zip_total_bytes: decompressed size of all .docx members together.
        max_compression_ratio: decompressed / compressed size of a .docx member or a
            ``.jsonl.gz`` stream, judged past :data:`RATIO_CHECK_FLOOR` bytes.
        max_pdf_pages: pages in a PDF.
        max_html_bytes: size of an HTML page (its tree takes many times this in memory).
        max_html_depth: element nesting depth of an HTML page; lxml itself stops at 255.
    """

    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * MB)
    max_bulk_bytes: int = int(DEFAULT_MAX_BULK_MB * MB)
    max_chars: int = 5_000_000
    max_lines: int = 20_000
    max_paragraph_chars: int = MAX_PARAGRAPH_CHARS
    max_chunks: int = 20_000
    max_repair_pairs: int = 200_000
    max_zip_members: int = 10_000
    max_zip_member_bytes: int = 64 * MB
    max_zip_total_bytes: int = 256 * MB
    max_compression_ratio: float = 100.0
    max_pdf_pages: int = 2_000
    max_html_bytes: int = 16 * MB
    max_html_depth: int = 200

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Limits.{field.name} must be a positive number, not {value!r}")


def check_chunk_count(articles: Sequence[Article], source: str, limits: Limits, where: str = "") -> int:
    """Refuse articles that would make more than ``limits.max_chunks`` chunks; return the count.

    Counted with :func:`ingest.chunk_article` itself, so the cap is on what the store will
    really index. Every body paragraph makes at least one chunk, which refuses a flood of
    paragraphs before a single chunk is built; counting stops once over the cap.
    """
    bodies = sum(1 for article in articles for p in article.paragraphs if p.kind == "body")
    if bodies > limits.max_chunks:
        raise IngestError(source, "too large", f"{where}more than {limits.max_chunks:,} chunks ({bodies:,} paragraphs)")
    count = 0
    for article in articles:
        count += len(chunk_article(article))
        if count > limits.max_chunks:
            raise IngestError(source, "too large", f"{where}more than {limits.max_chunks:,} chunks")
    return count


def describe_size(size: int) -> str:
    """``"64 MB"`` for a 64 × 2^20-byte limit (never "67.1 MB"), ``"2.3 MB"`` for a file."""
    return f"{size / MB:.1f}".removesuffix(".0") + " MB"


def display_name(name: object) -> str:
    """A file name fit for a one-line message: control, format and bidi characters (a newline,
    U+202E RIGHT-TO-LEFT OVERRIDE) are shown as escapes, and a very long name is shortened
    in the middle, so a hostile name can neither break nor disguise an error line."""
    text = "".join(ch if ch.isprintable() else _escape(ch) for ch in str(name))
    return text if len(text) <= 240 else f"{text[:120]}…{text[-100:]}"


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
