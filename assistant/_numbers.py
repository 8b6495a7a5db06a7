"""The one number-support check: every figure an answer states must be stated by its source.

Used by the extractive path (an invariant test) and by the LLM verifier, so both judge a
figure the same way: digits with decimals, thousands separators, 万/亿 and %, and Chinese
numerals, matched on digit boundaries ("17" is not in "170", "170万" is not in "170亿").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._types import strip_markers

_NUMBER_RE = re.compile(
    r"\d+(?:,\d{3})*(?:\.\d+)?[万亿千百]*%?"  # 170亿, 11.3万, 5%, 2,560
    r"|[零一二三四五六七八九十百千万亿两]{2,}"  # 二十八, 三百万
    r"|[零一二三四五六七八九十两](?=[个家户项名人件吨亩期批年月日倍次座条])"  # 三期, 五户
)


def numbers_in(text: str) -> list[str]:
    """Numbers as written, markers ignored: digits (decimals, separators, 万/亿, %) and Chinese numerals."""
    return [m.group(0) for m in _NUMBER_RE.finditer(strip_markers(text))]


def number_in(number: str, text: str) -> bool:
    """Does ``text`` state ``number`` as written — "17" is not in "170", "170万" not in "170亿"?"""
    return re.search(f"(?<![\\d.,]){re.escape(number)}(?![\\d])", text) is not None


def unsupported_numbers(text: str, sources: Iterable[str]) -> list[str]:
    """Numbers in ``text`` that none of ``sources`` states (invariant: must be empty)."""
    joined = "\n".join(sources)
    return [n for n in numbers_in(text) if not number_in(n, joined)]
