"""Region linking: the chain of administrative units an entity lies in, nearest first
(定襄法兰专业镇 → 定襄县 → 忻州市 → 山西省), so a filter on any level finds everything inside it.

The first link is what the article says (:func:`_region`: the unit named above it, at
the head of its name, or right before it). The chain goes on with the gazetteer's units above
that one. When the article names nothing for an entity, the head of its own name is looked
up in the gazetteer (神池特色食品专业镇 → 神池县), preferring a unit under a place the article
names; failing that, a town, park or project takes the place the article is about (its
headline's place, else the county or city it names most).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .._gazetteer import Gazetteer, Place
from .context import _Context
from .records import _Entity

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


# --------------------------------------------------------------------------- regions


def _region(record: _Entity, records: list[_Entity], ctx: _Context) -> str:
    """The place the article says an entity lies in: the nearest unit above it that the
    article names, else a place at the head of its name, else the place named right before it."""
    places = {id(r.place): r for r in records if r.kind == "place" and r.place is not None}
    if record.place is not None:
        for ancestor in record.place.ancestors():
            if id(ancestor) in places:
                return places[id(ancestor)].name
        if record.kind == "place":
            return ""
    by_surface = {surface: r for r in records if r.kind == "place" for surface in r.forms}
    by_surface.update({r.place.name: r for r in records if r.kind == "place" and r.place is not None})
    first_start, first_end = min(record.spans())
    for match in reversed(ctx.leading_places(first_start, first_end)):
        for place in match.places:  # 定襄法兰专业镇 → 定襄县, named in full elsewhere
            if id(place) in places and places[id(place)] is not record:
                return places[id(place)].name
        if match.surface in by_surface and by_surface[match.surface] is not record:
            return by_surface[match.surface].name
    best, best_pos = "", -1
    for other in records:
        if other is record or other.kind not in ("place", "park", "town"):
            continue
        if other.kind != "place" and record.kind != "project":
            continue
        for start, end in other.spans():
            if end <= first_start and first_start - end <= 6 and start > best_pos:
                best, best_pos = other.name, start
    return best


def _earlier_in_sentence(record: _Entity, records: list[_Entity], ctx: _Context) -> _Entity | None:
    """The place (or, for a project, the town or park) named last before the entity's first
    mention in the same sentence."""
    first_start, _ = min(record.spans())
    sentence_start = ctx.spans[ctx.locate(first_start)][0]
    kinds = ("place", "town", "park") if record.kind == "project" else ("place",)
    best: tuple[int, _Entity] | None = None
    for other in records:
        if other is record or other.kind not in kinds:
            continue
        for start, end in other.spans():
            if sentence_start <= start and end <= first_start and (best is None or start > best[0]):
                best = (start, other)
    return best[1] if best else None


def _article_place(title: str, records: list[_Entity], gaz: Gazetteer) -> Place | None:
    named = [r.place for r in records if r.kind == "place" and r.place is not None]
    counted = Counter(id(r.place) for r in records if r.kind == "place" and r.place is not None for _ in r.spans())
    in_title = [p for m in gaz.scan(title) for p in m.places[:1] if len(m.places) == 1]
    return article_place(in_title, counted, {id(p): p for p in named})


def implicit_units(records: list[_Entity]) -> dict[str, _Entity]:
    """The place a bare 市/区/县 means (市委书记, 区财政局): for each of 市, 区, 县 the place of
    that level the article names most, when it is named more often than any other (an article
    about 上海 that mentions 应城市 once)."""
    implicit: dict[str, _Entity] = {}
    for unit in "市区县":
        place = most_named(
            [r for r in records if r.kind == "place" and r.place is not None and r.place.name.endswith(unit)]
        )
        if place is not None:
            implicit[unit] = place
    return implicit


def most_named(records: list[_Entity]) -> _Entity | None:
    """The record the article names more often than any other of ``records``, if one is."""
    ranked = sorted(records, key=lambda r: -len(r.spans()))
    if ranked and (len(ranked) == 1 or len(ranked[0].spans()) > len(ranked[1].spans())):
        return ranked[0]
    return None


def _region_chain(
    record: _Entity,
    records: list[_Entity],
    ctx: _Context,
    gaz: Gazetteer,
    about: Place | None,
    implicit: dict[str, _Entity],
) -> str:
    """Every unit the entity lies in, nearest first, as stored ("定襄县/忻州市/山西省"); see
    the module docstring. A place's own chain starts above it; a bare 区财政局 lies in the
    区 the article is about (``implicit``: :func:`implicit_units` of the article)."""
    named = [r.place for r in records if r.kind == "place" and r.place is not None]
    if record.kind == "place":
        return join(chain_of(record.place)[1:]) if record.place is not None else ""
    if record.kind == "company" and record.name[:1] in "市区县":
        unit = implicit.get(record.name[0])
        if unit is not None and unit.place is not None:
            return join(chain_of(unit.place))
    nearest = _region(record, records, ctx)
    holder = next((r for r in records if r.name == nearest), None)
    if holder is not None and holder is not record:
        if holder.kind == "place" and holder.place is not None:
            return join(chain_of(holder.place))
        if holder.kind != "place":  # a project in a park: the park, then the park's own chain
            above = _region_chain(holder, [r for r in records if r is not record], ctx, gaz, about, implicit)
            return join([nearest, *above.split(SEPARATOR)])
    place = head_place(record.name, gaz, named)
    if place is None and record.kind in ("town", "park", "project"):
        holder = _earlier_in_sentence(record, records, ctx)
        if holder is not None:  # 五寨县建成……，为“特色杂粮”专业镇扩规提质
            if holder.kind == "place" and holder.place is not None:
                return join(chain_of(holder.place))
            above = _region_chain(holder, [r for r in records if r is not record], ctx, gaz, about, implicit)
            return join([holder.name, *above.split(SEPARATOR)])
        place = about
    return join([nearest, *chain_of(place)]) if place is not None else nearest
