"""Region linking: the chain of administrative units an entity lies in, nearest first
(定襄法兰专业镇 → 定襄县 → 忻州市 → 山西省), so a filter on any level finds everything inside it.

The first link is what the article says (``_entities._region``: the unit named above it, at
the head of its name, or right before it). The chain goes on with the gazetteer's units above
that one. When the article names nothing for an entity, the head of its own name is looked
up in the gazetteer (神池特色食品专业镇 → 神池县), preferring a unit under a place the article
names; failing that, a town, park or project takes the place the article is about (its
headline's place, else the county or city it names most).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ._gazetteer import Gazetteer, Place

SEPARATOR = "/"
"""Between the units of a stored chain: "定襄县/忻州市/山西省"."""


def chain_of(place: Place) -> tuple[str, ...]:
    """The place and the units above it."""
    return (place.name, *(a.name for a in place.ancestors()))


def head_place(name: str, gaz: Gazetteer, named: Sequence[Place]) -> Place | None:
    """The gazetteer unit a name opens with ("神池特色食品专业镇" → 神池县): the one under a
    place the article names when several share the surface, else the only one."""
    matches = gaz.scan(name)
    if not matches or matches[0].start != 0:
        return None
    units = [p for p in matches[0].places if p.level != "town"]
    if len(units) == 1:
        return units[0]
    named_ids = {id(p) for p in named}
    inside = [p for p in units if any(id(a) in named_ids for a in p.ancestors()) or id(p) in named_ids]
    return inside[0] if len(inside) == 1 else None


def article_place(title_places: Sequence[Place], counted: Counter[int], by_id: dict[int, Place]) -> Place | None:
    """The place an article is about: its headline's first unit, else the county or city it
    names most (ties: the first named)."""
    for place in title_places:
        if place.level in ("city", "county"):
            return place
    ranked = [(n, by_id[key]) for key, n in counted.most_common() if by_id[key].level in ("city", "county")]
    return ranked[0][1] if ranked else None


def join(chain: Sequence[str]) -> str:
    """The stored form: units nearest first, no repeats."""
    return SEPARATOR.join(dict.fromkeys(unit for unit in chain if unit))
