"""Chinese tokens for BM25: character bigrams for CJK runs, whole words for Latin/digits.

Bigrams need no dictionary, are fast on 10^5 chunks, and match the way people shorten
names ("定襄法兰" ↔ "定襄法兰专业镇"); numbers stay whole tokens so "2024" matches "2024".
Text is folded first (``ingest.fold``): "總投資" and "总投资", "２０２４" and "2024" are one token.
"""

from __future__ import annotations

import re

from ingest import CJK, fold

_RUN_RE = re.compile(f"(?P<cjk>[{CJK}]+)|[A-Za-z]+|\\d+(?:\\.\\d+)?")


def tokenize(text: str) -> list[str]:
    """Bigrams of every CJK run (a single character stands alone), lowercase words, numbers.

    >>> tokenize("定襄法兰2024年产值")
    ['定襄', '襄法', '法兰', '2024', '年产', '产值']
    """
    tokens: list[str] = []
    for match in _RUN_RE.finditer(fold(text)):  # Traditional and full-width text match too
        run = match.group(0)
        if match.group("cjk"):
            if len(run) == 1:
                tokens.append(run)
            else:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run.lower())
    return tokens
