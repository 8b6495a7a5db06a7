"""One article read once for every rule: its sentences, paragraphs, book titles, quotes and
gazetteer places.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from .._gazetteer import Gazetteer, PlaceMatch
from .._lexicon import known_words
from .._types import Article, Span

# --------------------------------------------------------------------------- article context


@dataclass(frozen=True)
class _Context:
    text: str
    starts: tuple[int, ...]
    spans: tuple[Span, ...]
    paragraphs: tuple[int, ...]
    titles: tuple[Span, ...]  # 《…》
    quotes: tuple[Span, ...]  # “…”, quote marks included
    places: tuple[PlaceMatch, ...]  # the gazetteer scan of the whole text
    place_at: dict[int, PlaceMatch]
    tagged: tuple[tuple[int, int, str], ...] = ()  # the name tagger's (start, end, type) spans

    def locate(self, offset: int) -> int:
        """Index of the sentence holding ``offset``."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def in_title(self, start: int, end: int) -> bool:
        return any(s < start and end <= e for s, e in self.titles)

    def quote_around(self, start: int, end: int) -> Span | None:
        for s, e in self.quotes:
            if s < start and end < e:
                return s, e
        return None

    def leading_places(self, start: int, end: int) -> list[PlaceMatch]:
        """Gazetteer names that open ``text[start:end]`` one after another (上海市闵行区…)."""
        chain = []
        pos = start
        while pos in self.place_at:
            match = self.place_at[pos]
            if match.end > end or any(p.level == "town" for p in match.places):
                break
            chain.append(match)
            pos = match.end
        return chain


def _context(article: Article, gaz: Gazetteer, tagged: Sequence[tuple[int, int, str]] = ()) -> _Context:
    text = article.text
    spans: list[Span] = []
    paragraphs: list[int] = []
    for paragraph in article.paragraphs:
        for span in paragraph.sentences:
            spans.append(span)
            paragraphs.append(paragraph.index)
    places = tuple(m for m in gaz.scan(text) if not _inside_word(text, m))
    return _Context(
        text,
        tuple(s for s, _ in spans),
        tuple(spans),
        tuple(paragraphs),
        tuple(_paired(text, "《", "》")),
        tuple(_paired(text, "“", "”")),
        places,
        {m.start: m for m in places},
        tuple(tagged),
    )


def _inside_word(text: str, match: PlaceMatch) -> bool:
    """运城市 read inside 奥运城市 or 海铁联运城市: a name that ends in 城市 and whose first
    character closes a word with the one before it is the word 城市, not a place."""
    if not match.surface.endswith("城市") or match.start == 0:
        return False
    return text[match.start - 1 : match.start + 1] in known_words()


def _paired(text: str, opener: str, closer: str) -> list[Span]:
    pairs = []
    pos = text.find(opener)
    while pos >= 0:
        close = text.find(closer, pos + 1)
        if close < 0:
            break
        inner_open = text.rfind(opener, pos, close)
        if "\n" not in text[inner_open:close]:
            pairs.append((inner_open, close + 1))
        pos = text.find(opener, close + 1)
    return pairs
