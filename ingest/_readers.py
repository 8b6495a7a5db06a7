"""Source files → plain text pages. Libraries do the format work; we only check and route.

Each reader returns text with one paragraph per line (blank lines allowed); the layout
parser in ``_layout`` takes it from there. ``.jsonl`` bulk files are handled in ``_jsonl``.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ._errors import IngestError

MB = 1024 * 1024
"""Sizes are set and shown in MB of 2^20 bytes, so a limit reads back as it was written."""
DEFAULT_MAX_FILE_MB = 64.0
PAGE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
BULK_SUFFIXES = (".jsonl", ".jsonl.gz")
SUPPORTED_SUFFIXES = PAGE_SUFFIXES + BULK_SUFFIXES


def suffix_of(path: Path) -> str:
    """The suffix that decides the reader; ``.jsonl.gz`` counts as one."""
    name = path.name.lower()
    if name.endswith(".jsonl.gz"):
        return ".jsonl.gz"
    return path.suffix.lower()


def check_supported(path: Path) -> str:
    suffix = suffix_of(path)
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no suffix)"
        raise IngestError(str(path), "unsupported type", f"{shown}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    return suffix


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing what is missing, too large or empty."""
    if not path.is_file():
        raise IngestError(str(path), "not found" if not path.exists() else "not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            str(path), "too large", f"{describe_size(size)} > limit {describe_size(max_bytes)} (MAX_FILE_MB)"
        )
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(str(path), "empty")
    return data


def describe_size(size: int) -> str:
    """``"64 MB"`` for a 64 × 2^20-byte limit (never "67.1 MB"), ``"2.3 MB"`` for a file."""
    return f"{size / MB:.1f}".removesuffix(".0") + " MB"


def decode_text(data: bytes, source: str) -> str:
    """Decode page bytes: UTF-8 (with or without BOM), then GB18030, then a detector's guess.

    Text with NUL bytes is refused as binary before any guessing, because a detector will
    happily "decode" an image as some legacy code page.
    """
    if b"\x00" in data[:8192]:
        raise IngestError(source, "binary", "NUL bytes found; not a text file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and _looks_like_text(str(best)):
        return str(best)
    raise IngestError(
        source,
        "undecodable",
        f"cannot decode as UTF-8 or GB18030 (byte 0x{data[first_bad]:02x} at {first_bad:,})",
    )


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control / len(text) < 0.01


def read_page(path: Path, data: bytes, suffix: str) -> tuple[str, str]:
    """Return ``(text, title_hint)`` for a page-like source."""
    source = str(path)
    if suffix in (".txt", ".md"):
        text = decode_text(data, source)
        return (_strip_markdown(text) if suffix == ".md" else text), ""
    if suffix in (".html", ".htm"):
        return _html_text(decode_text(data, source))
    if suffix == ".docx":
        return _docx_text(data, source), ""
    if suffix == ".pdf":
        return _pdf_text(data, source), ""
    raise IngestError(source, "unsupported type", suffix)


_MD_RULES = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"^\s*[-*+]\s+", re.M), ""),
    (re.compile(r"^\s*([-*_]\s*){3,}$", re.M), ""),
]


def _strip_markdown(text: str) -> str:
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text


_HTML_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "td", "pre"]


def _html_text(html: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe"]):
        tag.decompose()
    title_tag = soup.find("h1") or soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    if soup.title:
        soup.title.decompose()
    body = soup.body or soup
    blocks = [el.get_text("", strip=True) for el in body.find_all(_HTML_BLOCKS) if not el.find(_HTML_BLOCKS)]
    if not any(blocks):
        blocks = body.get_text("\n", strip=True).splitlines()
    lines = [b for b in blocks if b]
    if title and (not lines or lines[0] != title):
        lines.insert(0, title)
    return "\n\n".join(lines), title


def _docx_text(data: bytes, source: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(source, "invalid", f"not a readable .docx file: {exc}") from exc
    return "\n\n".join(p.text for p in document.paragraphs)


def _pdf_text(data: bytes, source: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise IngestError(source, "invalid", f"not a readable PDF: {exc}") from exc
    if not any(p.strip() for p in pages):
        raise IngestError(source, "empty", "PDF has no text layer (scanned image?)")
    return "\n\n".join(_join_pdf_lines(p) for p in pages)


def _join_pdf_lines(page: str) -> str:
    """PDF text comes one printed line at a time: rejoin lines into paragraphs.

    A line that fills the measure (≥ 80 % of the longest line) and does not end a sentence
    continues on the next line; anything else ends its paragraph.
    """
    from ._text import ends_sentence

    lines = [line.strip() for line in page.splitlines()]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        current += line
        if ends_sentence(line) or len(line) < 0.8 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)
