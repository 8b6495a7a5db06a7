"""Source files → plain text pages. Libraries do the format work; we check, bound and route.

Each reader returns text with one paragraph per line (blank lines allowed); the layout
parser in ``_layout`` takes it from there. ``.jsonl`` bulk files are handled in ``_jsonl``.
Every reader works within a :class:`~ingest.Limits`: sizes are checked before the expensive
step (a .docx's members before decompressing them, an HTML tree's depth before extraction),
so a hostile file costs a moment, not the machine.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import IngestError
from ._limits import RATIO_CHECK_FLOOR, Limits, describe_size, display_name
from ._types import PageText

if TYPE_CHECKING:
    from configparser import ConfigParser

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

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
        raise IngestError(
            display_name(path), "unsupported type", f"{display_name(shown)}; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return suffix


def open_checked(path: Path, max_bytes: int, setting: str = "MAX_FILE_MB") -> int:
    """Refuse what is missing, not a regular file, too large or 0 bytes; return the size.

    Checked on the file's metadata, before anything is read, so a 10 GB file or a FIFO
    (which would block ``read()`` forever) costs nothing.
    """
    shown = display_name(path)
    if not path.is_file():
        raise IngestError(shown, "not found" if not path.exists() else "not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(shown, "too large", f"{describe_size(size)} > limit {describe_size(max_bytes)} ({setting})")
    if size == 0:
        raise IngestError(shown, "empty", "0 bytes")
    return size


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing what is missing, too large or empty."""
    open_checked(path, max_bytes)
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    if len(data) > max_bytes:
        raise IngestError(display_name(path), "too large", f"grew past the limit of {describe_size(max_bytes)}")
    if not data.strip():
        raise IngestError(display_name(path), "empty")
    return data


def decode_text(data: bytes, source: str) -> str:
    """Decode page bytes: UTF-8 (with or without BOM), then GB18030, then a detector's guess.

    Text with NUL bytes is refused as binary before any guessing, because a detector will
    happily "decode" an image as some legacy code page. A file whose lines mix UTF-8 and
    GB18030 (pages pasted together from two sources) is decoded line by line, since GB18030
    also "decodes" UTF-8 bytes, into mojibake; and a UTF-8 file with a stray bad byte or
    two keeps its text, with U+FFFD for the bad bytes, for the same reason.
    """
    if b"\x00" in data[:8192]:
        raise IngestError(source, "binary", "NUL bytes found; not a text file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    mixed = _decode_mixed_lines(data)
    if mixed is not None:
        return mixed
    mostly = _decode_mostly_utf8(data, source)
    if mostly is not None:
        return mostly
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


def _decode_mixed_lines(data: bytes) -> str | None:
    """Each line in its own encoding, when some non-ASCII lines are UTF-8 and others are not;
    ``None`` when the file is not mixed or a line is neither UTF-8 nor GB18030."""
    lines = data.split(b"\n")
    decoded: list[str] = []
    utf8_lines = other_lines = 0
    for line in lines:
        try:
            text = line.decode("utf-8")
            utf8_lines += not line.isascii()
        except UnicodeDecodeError:
            try:
                text = line.decode("gb18030")
            except UnicodeDecodeError:
                return None
            other_lines += 1
        decoded.append(text)
    return "\n".join(decoded) if utf8_lines and other_lines else None


def _decode_mostly_utf8(data: bytes, source: str) -> str | None:
    """UTF-8 with a few bad bytes (a page cut mid-character, one stray Latin-1 byte) decoded
    with U+FFFD in their place, rather than refused or misread as GB18030 mojibake: at most
    1 % of the characters may be replaced, and the good multi-byte characters must outnumber
    the bad tenfold, so a GB18030 or binary file never passes for UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if bad > 0.01 * len(text) or multibyte < 10 * bad:
        return None
    logger.warning("%s: %d invalid UTF-8 byte(s) replaced by U+FFFD", source, bad)
    return text


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control / len(text) < 0.01


def check_text_size(text: str, source: str, limits: Limits, where: str = "") -> None:
    """Refuse text over ``limits.max_chars``; ``where`` ("line 12: ") locates it in a file."""
    if len(text) > limits.max_chars:
        raise IngestError(source, "too large", f"{where}{len(text):,} characters > limit {limits.max_chars:,}")


def read_page(path: Path, data: bytes, suffix: str, limits: Limits | None = None) -> PageText:
    """The text of a page-like source, with what its format says about title, date, author."""
    limits = limits or Limits()
    source = display_name(path)
    if suffix in (".txt", ".md"):
        text = decode_text(data, source)
        check_text_size(text, source, limits)
        page = PageText(_strip_markdown(text) if suffix == ".md" else text)
    elif suffix in (".html", ".htm"):
        page = _html_page(data, source, limits)
    elif suffix == ".docx":
        page = PageText(_docx_text(data, source, limits))
    elif suffix == ".pdf":
        page = PageText(_pdf_text(data, source, limits))
    else:
        raise IngestError(source, "unsupported type", suffix)
    check_text_size(page.text, source, limits)
    return page


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


# ---------------------------------------------------------------- HTML

_HTML_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "td", "pre"]
_LINE_TAGS = frozenset(_HTML_BLOCKS).union(
    ("address", "article", "aside", "br", "dd", "div", "dl", "dt", "figure", "footer", "header"),
    ("hr", "main", "nav", "ol", "section", "table", "th", "tr", "ul"),
)
"""Elements that start a new displayed line."""
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template"))
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_LIBXML_DEPTH_LIMIT = 255

_INFO_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_INFO_TIME_RE = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
_INFO_LABELS = (
    "来源|稿源|出处|作者|记者|通讯员|编辑|责任编辑|责编|发布时间|发布日期|发表时间|更新时间|时间|日期|"
    "浏览次数|浏览量|阅读量|阅读|点击数|点击|访问量|字号|编者"
)
_INFO_FIELD_RE = re.compile(f"(?:{_INFO_LABELS})\\s*[:：]\\s*[^\\s|丨/　]*")
_INFO_LEFTOVER = re.compile(r"[\s|丨/　：:【】\[\]（）()·,，、\-—]+|[大中小]|默认|打印|关闭|分享|收藏")
_NAME_PART = r"[^\s|丨/　:：,，]{1,10}"
_AUTHOR_RE = re.compile(
    f"(作者|记者|通讯员|文)\\s*[:：/]\\s*({_NAME_PART}(?:[ 、](?!(?:{_INFO_LABELS})\\s*[:：]){_NAME_PART}){{0,3}})"
)
_AUTHOR_META = frozenset(("author", "article:author", "byl", "dc.creator", "dcterms.creator", "sailthru.author"))
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_trafilatura_ready = threading.Lock()
_trafilatura_settings: ConfigParser | None = None


def _html_page(data: bytes, source: str, limits: Limits) -> PageText:
    """Main text, title, date and author of a news page.

    trafilatura finds the article body among navigation, share buttons, related links and
    comment widgets; the page's "info line" (``2025-06-03 来源：山西日报 作者：张三``) gives
    the date and author as printed, ahead of ``<meta>`` tags, which are often site-wide. If
    trafilatura finds no body, the tag-based reader below is the fallback. The tree is
    parsed once and its depth checked first: libxml2 silently stops at 255 levels and
    trafilatura recurses per level, so an absurdly nested page is refused, not half-read.
    """
    if len(data) > limits.max_html_bytes:
        raise IngestError(
            source,
            "too large",
            f"HTML page of {describe_size(len(data))} > limit {describe_size(limits.max_html_bytes)}",
        )
    html = _XML_DECLARATION.sub("", decode_text(data, source), count=1)
    tree = _parse_html(html, source, limits)
    if tree is None:
        raise IngestError(source, "empty", "no text in the HTML page")
    heading = _first_heading(tree)
    lines = _visible_lines(tree)
    info = _info_line(lines, heading)
    date, byline = info_fields(info) if info else ("", "")
    byline = byline or _meta_author(tree)
    text, title, meta_date = _trafilatura_text(tree)
    if not text.strip():
        text, title = _html_text(html)
    title = _clean_title(title, set(lines)) or heading
    if info:
        text = "\n".join(line for line in text.splitlines() if " ".join(line.split()) != info)
    return PageText(text, title=title, date=date or meta_date, byline=byline)


_TITLE_SEPARATOR = re.compile(r"\s*(?:-{2,}|_+|\||｜|\s-\s|\s—+\s)\s*")
_SITE_NAME = re.compile(r"(?:网|报|台|频道|政府|新闻|在线|门户|首页|客户端|\.(?:com|cn|net))$", re.I)


def _clean_title(title: str, lines: set[str]) -> str:
    """The headline without the site and section names that ``<title>`` tacks on
    (``定襄法兰…170亿元--忻州新闻网``, ``…_地方动态_山西新闻网``): a part the page prints on
    a line of its own wins; otherwise trailing parts that name a site are dropped."""
    title = " ".join(title.split())
    parts = [part for part in _TITLE_SEPARATOR.split(title) if part]
    if len(parts) < 2:
        return title
    printed = [part for part in parts if len(part) >= 4 and part in lines]
    if printed:
        return printed[0]
    while len(parts) > 1 and _SITE_NAME.search(parts[-1]):
        parts.pop()
    return title[: title.index(parts[-1]) + len(parts[-1])] if parts else title


def _parse_html(html: str, source: str, limits: Limits) -> HtmlElement | None:
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    parser = HTMLParser(remove_comments=True, remove_pis=True)
    try:
        tree = document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):  # "Document is empty"
        return None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise IngestError(source, "invalid", f"HTML nested more than {_LIBXML_DEPTH_LIMIT} levels deep")
    depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    if deepest > limits.max_html_depth:
        raise IngestError(source, "invalid", f"HTML nested {deepest:,} levels deep > limit {limits.max_html_depth:,}")
    return tree


def _visible_lines(tree: HtmlElement) -> list[str]:
    """The page's text as displayed lines (block elements break lines), without scripts."""
    from lxml import etree

    parts: list[str] = []
    skipping = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            skipping += 1 if event == "start" else -1
            if event == "end" and not skipping and el.tail:
                parts.append(el.tail)
            continue
        if skipping:
            continue
        if tag in _LINE_TAGS:
            parts.append("\n")
        if event == "start" and el.text:
            parts.append(el.text)
        elif event == "end" and el.tail:
            parts.append(el.tail)
    return [" ".join(line.split()) for line in "".join(parts).splitlines() if line.strip()]


def _first_heading(tree: HtmlElement) -> str:
    for el in tree.iter("h1", "h2"):
        text = " ".join(el.text_content().split())
        if text:
            return text
    return ""


def _info_line(lines: list[str], heading: str) -> str:
    """The info line: one holding only a date, a time and labelled fields (来源/作者/编辑 …),
    looked for below the headline first, then just above it; anywhere on a page without a
    headline. Lists of related links carry dates too, so the search stays near the title."""
    at = next((i for i, line in enumerate(lines) if heading and line == heading), None)
    candidates = lines if at is None else lines[at + 1 : at + 61] + lines[max(at - 10, 0) : at][::-1]
    for line in candidates:
        if len(line) <= 120 and _INFO_DATE_RE.search(line) and _is_info_line(line):
            return line
    return ""


def _is_info_line(line: str) -> bool:
    rest = _INFO_DATE_RE.sub("", line)
    rest = _INFO_TIME_RE.sub("", rest)
    rest = _INFO_FIELD_RE.sub("", rest)
    rest = re.sub(r"(?:星期|周)[一二三四五六日天]", "", rest)
    return len(_INFO_LEFTOVER.sub("", rest)) <= 4


def info_fields(line: str) -> tuple[str, str]:
    """``(date, byline)`` from an info line: ``"2025-06-03"``, ``"张三"`` / ``"记者 张三"``."""
    date = ""
    match = _INFO_DATE_RE.search(line)
    if match:
        date = iso_date(*match.groups())
    author = _AUTHOR_RE.search(line)
    if not author:
        return date, ""
    label, name = author.groups()
    return date, name if label in ("作者", "文") else f"{label} {name}"


def iso_date(year: str, month: str, day: str) -> str:
    """``YYYY-MM-DD`` for a real calendar date, ``""`` otherwise; a two-digit year is
    20YY below 70 and 19YY from 70 on (the POSIX ``%y`` rule)."""
    import datetime

    y = int(year)
    if len(year) == 2:
        y += 2000 if y < 70 else 1900
    try:
        return datetime.date(y, int(month), int(day)).isoformat()
    except ValueError:
        return ""


def _meta_author(tree: HtmlElement) -> str:
    """``<meta name="author">`` and kin; trafilatura drops one-word authors (every Chinese
    name), so these are read here. Site names and URLs posing as authors are skipped."""
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        value = " ".join((meta.get("content") or "").split())
        if key in _AUTHOR_META and 0 < len(value) <= 40 and not re.search(r"https?:|www\.|\.com|网$|报$|社$", value):
            return value
    return ""


def _trafilatura_text(tree: HtmlElement) -> tuple[str, str, str]:
    """``(text, title, date)`` from trafilatura; empty text when it finds no article body.

    Tuned for Chinese news: a short article is still an article (its 250-character minimum
    is set for English; below it trafilatura swaps in flattened fallback output), tables
    are skipped (old portals lay whole pages out in them; the cells come back as ``|``
    rows), and the date search is kept to markup (meta tags, ``<time>``, JSON-LD): the
    "extensive" search would take any year in the body ("2025 年试点") for the date.
    """
    import trafilatura

    _split_at_breaks(tree)
    try:
        document = trafilatura.bare_extraction(
            tree,
            fast=True,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_trafilatura_config(),
        )
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 — any failure here just means "use the fallback"
        logger.debug("trafilatura failed (%s); using the tag-based reader", exc)
        return "", "", ""
    if document is None or isinstance(document, dict):
        return "", "", ""
    date = document.date or ""
    return document.text or "", document.title or "", date if _DATE_ONLY.fullmatch(date) else ""


def _trafilatura_config() -> ConfigParser:
    global _trafilatura_settings
    if _trafilatura_settings is None:
        with _trafilatura_ready:
            if _trafilatura_settings is None:
                from trafilatura.settings import use_config

                config = use_config()
                config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
                # it logs a WARNING for every page it declines: our fallback's cue, not news
                logging.getLogger("trafilatura").setLevel(logging.ERROR)
                _trafilatura_settings = config
    return _trafilatura_settings


def _split_at_breaks(tree: HtmlElement) -> None:
    """Turn ``text<br>text<br>`` runs into ``<p>`` elements, in place.

    Older portals separate paragraphs with ``<br>`` inside one cell or div; trafilatura
    would run them together into one line. Only elements holding nothing but inline
    content are rewritten.
    """
    from lxml.html import Element

    parents: dict[int, HtmlElement] = {}
    for br in tree.iter("br"):
        parent = br.getparent()
        if parent is not None:
            parents.setdefault(id(parent), parent)
    for parent in parents.values():
        if any(isinstance(child.tag, str) and child.tag in _LINE_TAGS and child.tag != "br" for child in parent):
            continue
        groups: list[list[str | HtmlElement]] = [[parent.text or ""]]
        for child in list(parent):
            tail = child.tail or ""
            parent.remove(child)
            if child.tag == "br":
                groups.append([tail])
            else:
                child.tail = None
                groups[-1] += [child, tail]
        parent.text = None
        for group in groups:
            paragraph = Element("p")
            last: HtmlElement | None = None
            for item in group:
                if not isinstance(item, str):
                    paragraph.append(item)
                    last = item
                elif last is None:
                    paragraph.text = (paragraph.text or "") + item
                else:
                    last.tail = (last.tail or "") + item
            if "".join(paragraph.itertext()).strip():
                parent.append(paragraph)
        if parent.tag == "p":
            parent.tag = "div"


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


# ---------------------------------------------------------------- DOCX


def _docx_text(data: bytes, source: str, limits: Limits) -> str:
    _check_zip(data, source, limits)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        return "\n\n".join(p.text for p in document.paragraphs)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 — python-docx surfaces zipfile, lxml, KeyError… on bad input
        raise IngestError(source, "invalid", f"not a readable .docx file: {short_error(exc)}") from exc


def _check_zip(data: bytes, source: str, limits: Limits) -> None:
    """Refuse a zip bomb from its directory alone, before one member is decompressed.

    ``ZipInfo.file_size`` is what ``zipfile`` will at most hand back (it stops there and
    then checks the CRC), so the declared sizes bound the real work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise IngestError(source, "invalid", f"not a readable .docx file: {short_error(exc)}") from exc
    if len(members) > limits.max_zip_members:
        raise IngestError(source, "too large", f"{len(members):,} zip members > limit {limits.max_zip_members:,}")
    total = 0
    for member in members:
        name = display_name(member.filename)
        size = member.file_size
        total += size
        if size > limits.max_zip_member_bytes:
            raise IngestError(
                source,
                "too large",
                f"{name} expands to {describe_size(size)} > limit {describe_size(limits.max_zip_member_bytes)}",
            )
        if size > RATIO_CHECK_FLOOR and size > limits.max_compression_ratio * max(member.compress_size, 1):
            ratio = size / max(member.compress_size, 1)
            raise IngestError(
                source,
                "too large",
                f"{name} expands {ratio:,.0f}× ({describe_size(size)}) > limit {limits.max_compression_ratio:g}×",
            )
    if total > limits.max_zip_total_bytes:
        raise IngestError(
            source,
            "too large",
            f"members expand to {describe_size(total)} > limit {describe_size(limits.max_zip_total_bytes)}",
        )


# ---------------------------------------------------------------- PDF


def _pdf_text(data: bytes, source: str, limits: Limits) -> str:
    from pypdf import PdfReader

    pages: list[str] = []
    chars = 0
    try:
        reader = PdfReader(io.BytesIO(data))
        count = len(reader.pages)
        if count > limits.max_pdf_pages:
            raise IngestError(source, "too large", f"{count:,} PDF pages > limit {limits.max_pdf_pages:,}")
        for page in reader.pages:
            text = page.extract_text() or ""
            chars += len(text)
            if chars > limits.max_chars:
                raise IngestError(source, "too large", f"more than {limits.max_chars:,} characters of PDF text")
            pages.append(text)
    except (IngestError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 — pypdf raises many types (PdfReadError, KeyError, struct…) on bad input
        raise IngestError(source, "invalid", f"not a readable PDF: {short_error(exc)}") from exc
    if not any(p.strip() for p in pages):
        raise IngestError(source, "empty", "PDF has no text layer (scanned image?)")
    return "\n\n".join(_join_pdf_lines(p) for p in pages)


def short_error(exc: BaseException) -> str:
    """An exception as one short line for a message (library messages can span lines)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:160] + "…"


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
