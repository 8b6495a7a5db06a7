"""Chinese text helpers: whitespace normalisation and sentence spans.

Hand-written because they are our domain: newspaper text pads digits and Latin letters
with spaces ("2024 年", "310 亿元") and sentence ends include semicolons and closing quotes.
"""

from __future__ import annotations

import logging
import re
import threading

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""CJK ideographs (extension A, unified, compatibility) as a regex class body: ``f"[{CJK}]"``."""
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’…—·"
_WIDE = f"{CJK}{CJK_PUNCT}"
_SPACES = r"[ \t\u00a0\u2002-\u200b\u3000]+"
_NARROW = r"A-Za-z0-9%‰.+\-×/°℃"

_SPACE_AFTER_WIDE = re.compile(f"(?<=[{_WIDE}]){_SPACES}(?=[{_NARROW}])")
_SPACE_BEFORE_WIDE = re.compile(f"(?<=[{_NARROW}]){_SPACES}(?=[{_WIDE}])")
_SPACE_BETWEEN_PUNCT = re.compile(f"(?<=[{CJK_PUNCT}]){_SPACES}|{_SPACES}(?=[{CJK_PUNCT}])")
_MULTI_SPACE = re.compile(_SPACES)

SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』）)》】\"'"
_SENTENCE_RE = re.compile(f"[^{SENTENCE_END}]*(?:[{SENTENCE_END}]+[{CLOSERS}]*|$)")


def normalize_line(line: str) -> str:
    """Drop layout spaces between CJK and digits/Latin, keep everything else verbatim.

    >>> normalize_line("2024 年 1 月至 12 月，产值突破 310 亿元")
    '2024年1月至12月，产值突破310亿元'
    """
    line = line.replace("\ufeff", "").strip(" \t\u00a0\u3000\r")
    line = _SPACE_AFTER_WIDE.sub("", line)
    line = _SPACE_BEFORE_WIDE.sub("", line)
    line = _SPACE_BETWEEN_PUNCT.sub("", line)
    return _MULTI_SPACE.sub(" ", line)


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return ``(start, end)`` spans shifted by ``offset``.

    A sentence ends at 。！？；… (and ASCII ! ? ;), including any closing quotes or brackets
    right after it, so "…贾兴。”" stays one sentence. Spans never include leading spaces.
    """
    spans = []
    for match in _SENTENCE_RE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start + offset, end + offset))
    return spans


def ends_sentence(text: str) -> bool:
    """True if ``text`` ends a sentence (ignoring trailing closing quotes)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and (stripped[-1] in SENTENCE_END or stripped[-1] in "：:")


_jieba_ready = threading.Lock()
_jieba_loaded = False


def cut_words(text: str, *, hmm: bool = True) -> list[str]:
    """Chinese words by jieba — the one place jieba is set up (quiet log, dictionary loaded
    once under a lock, since two threads initialising it at once both load the dictionary).

    >>> cut_words("定襄法兰专业镇")
    ['定襄', '法兰', '专业', '镇']
    """
    global _jieba_loaded
    import jieba

    if not _jieba_loaded:
        with _jieba_ready:
            if not _jieba_loaded:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_loaded = True
    return list(jieba.cut(text, HMM=hmm))
