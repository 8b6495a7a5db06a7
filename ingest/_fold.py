"""One spelling for matching: Traditional characters as Simplified, full-width digits and
letters as ASCII — one character for one, so offsets into the folded text are offsets into
the original.

Search (BM25 and dense), the reader and its vetoes compare folded text; quotes and
citations are always cut from the stored text, verbatim in the page's own script. A repost
in Traditional script ("總投資17億元") thus answers "总投资多少" with its own words.

The character table is OpenCC's ``TSCharacters.txt`` (Apache-2.0), read from the
``opencc-python-reimplemented`` package's data; phrase-level conversions are left out on
purpose (they change lengths, and matching needs none of them).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_FULL_WIDTH = {
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("a") + i for i in range(26)},
    0xFF0E: ord("."),  # "12．6亿千瓦时"
    0xFF05: ord("%"),
}


_KEPT = frozenset("乾薹")
"""Characters OpenCC maps although they are standard Simplified, kept as written."""


@cache
def _table() -> dict[int, int]:
    """Traditional → Simplified, one character for one. A few characters that are themselves
    standard Simplified in names stay (:data:`_KEPT`: "乾县" is a county, not 干县; 蒜薹) — but
    not 於, 後, 徵 …, which Traditional pages write for 于, 后, 征 — and chains (薴 → 苧 → 苎)
    are followed to their end, so folding twice changes nothing."""
    mapping: dict[int, int] = {}
    text = (resources.files("opencc") / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target and source not in _KEPT:
            mapping[ord(source)] = ord(target)
    for key in list(mapping):
        seen = {key}
        while mapping[key] in mapping and mapping[key] not in seen:
            seen.add(mapping[key])
            mapping[key] = mapping[mapping[key]]
    return {**_FULL_WIDTH, **mapping}


def fold(text: str) -> str:
    """``text`` in one spelling for matching (same length, same offsets).

    >>> fold("連云港總投資１７億元")
    '连云港总投资17亿元'
    """
    return text.translate(_table())
