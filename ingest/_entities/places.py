"""Places and towns from the gazetteer, counted only where they stand on their own."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from .._gazetteer import Place, PlaceMatch
from .._types import Span
from .context import _Context
from .vocabulary import (
    _NUMBERED_RE,
    _PLACE_ORG_HEADS,
    _PLACE_ORG_TAIL_RE,
    _PLACE_VERB_RE,
    _SHORT_NEXT_OK,
    _SHORT_PREV_OK,
    _SOURCE_RE,
)

# --------------------------------------------------------------------------- places and towns

_PLACE_TITLE_RE = re.compile(r"委(?:副书记|书记)")


def _standalone(ctx: _Context, match: PlaceMatch, inside: Sequence[Span], index: int) -> bool:
    """Whether a gazetteer match names a place on its own, not as part of a longer name."""
    start, end = match.start, match.end
    j = bisect.bisect_right(inside, (start, 10**9)) - 1
    while j >= 0 and j >= bisect.bisect_right(inside, (start, 10**9)) - 6:
        s, e = inside[j]
        if s <= start and end <= e and (s, e) != (start, end):
            return False
        j -= 1
    if ctx.in_title(start, end) or _SOURCE_RE.search(ctx.text, max(0, start - 12), start):
        return False
    quote = ctx.quote_around(start, end)
    if quote is not None and len(match.surface) + 1 < quote[1] - quote[0] - 2 <= 25:
        return False
    text = ctx.text
    # a chain such as 湖北省黄石市… shares what follows its last link
    last = match
    k = index + 1
    while k < len(ctx.places) and ctx.places[k].start == last.end:
        last = ctx.places[k]
        k += 1
    after = text[last.end : last.end + 14]
    titled = last.surface[-1:] in "市区县州" and _PLACE_TITLE_RE.match(after)  # 浦口区委副书记: the post's place
    if after.startswith(_PLACE_ORG_HEADS) and not titled:
        return False
    tail = _PLACE_ORG_TAIL_RE.match(after)
    if tail and not _PLACE_VERB_RE.search(tail.group()) and not after.startswith("某"):
        return False  # 吕梁市孝义市某公司: an unnamed company leaves the place on its own
    if not match.short or last is not match:
        return True
    before = text[max(0, start - 2) : start]
    chained_before = index > 0 and ctx.places[index - 1].end == start
    # 苏州、重庆、上海、深圳和北京: short names in a list of places stand on their own
    listed = (index > 0 and ctx.places[index - 1].end == start - 1 and text[start - 1] in _LIST_JOINERS) or (
        index + 1 < len(ctx.places) and ctx.places[index + 1].start == end + 1 and text[end : end + 1] in _LIST_JOINERS
    )
    return (
        not after
        or not _is_cjk(after[0])
        or after.startswith(_SHORT_NEXT_OK)
        or bool(_NUMBERED_RE.match(after))
        or before.endswith(_SHORT_PREV_OK)
        or chained_before
        or listed
    )


_LIST_JOINERS = "、和与及"


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _resolve_place(
    match: PlaceMatch, full_names: set[str], mentioned: set[str], prev: PlaceMatch | None
) -> Place | None:
    """Which unit a match means, or None when a short name has no support in the article."""
    places = [p for p in match.places if p.level != "town"]
    if not places:
        return None
    if not match.short:
        full = [p for p in places if p.name == match.surface]
        for place in full:
            if any(a.name in mentioned or a.short in mentioned for a in place.ancestors()):
                return place
        return full[0] if full else None
    for place in places:
        if place.name in full_names:
            return place
    for place in places:
        ancestors = place.ancestors()
        if prev is not None and prev.end == match.start and any(a in prev.places for a in ancestors):
            return place
        if place.level == "county" and any(
            (a.level == "city" or _is_municipality(a)) and (a.name in mentioned or a.short in mentioned)
            for a in ancestors
        ):
            return place
    higher = sorted((p for p in places if p.level in ("province", "city")), key=lambda p: p.level != "province")
    return higher[0] if higher else None


def _is_municipality(place: Place) -> bool:
    return place.level == "province" and place.name in ("北京市", "上海市", "天津市", "重庆市")
