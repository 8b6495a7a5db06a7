"""Candidates merged into entities: one record per thing, its other forms as aliases."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .._gazetteer import Gazetteer, Place, PlaceMatch, gazetteer
from .._lexicon import is_ordinary_phrase, known_words, verbs
from .._types import Span
from .context import _Context
from .names import _GROUP_PREFIXES, _LEGAL_SUFFIXES, _Cand, _named_candidates
from .places import _resolve_place, _standalone
from .types import EntityKind
from .vocabulary import _DESIGNATION_VALUE_RE, _GENERIC_WORDS, _PARK_STRONG, _PARK_WEAK, _PROJECT_SUFFIX, _TOWN_SUFFIXES

# --------------------------------------------------------------------------- entities


@dataclass
class _Entity:
    kind: EntityKind
    name: str
    forms: dict[str, list[Span]]
    place: Place | None = None

    def add(self, surface: str, start: int, end: int) -> None:
        spans = self.forms.setdefault(surface, [])
        if (start, end) not in spans:
            spans.append((start, end))

    def spans(self) -> list[Span]:
        return [span for spans in self.forms.values() for span in spans]


def _build_entities(ctx: _Context, gaz: Gazetteer) -> list[_Entity]:
    text = ctx.text
    cands = _named_candidates(ctx, gaz)
    # a park named inside a project's name (中车新能源装备制造产业园项目) is a park too
    for cand in list(cands):
        if cand.kind == "project":
            stem = cand.name[:-2]
            suffix = next((s for s in _PARK_STRONG + _PARK_WEAK if stem.endswith(s)), "")
            joined = any(j in stem for j in "和及")  # 储能中心和绿电产业园项目 names no park
            if suffix and len(stem) > len(suffix) + 1 and not joined:
                same = [c for c in cands if c.kind == "park" and c.name == stem]
                for other in same:
                    other.proper = True
                if not same:
                    cands.append(_Cand("park", cand.start, cand.start + len(stem), stem, suffix))
    records: list[_Entity] = []
    by_key: dict[tuple[str, str], _Entity] = {}
    for cand in sorted((c for c in cands if c.proper), key=lambda c: (c.start, -len(c.name))):
        record = by_key.get((cand.kind, cand.name))
        if record is None:
            record = by_key[(cand.kind, cand.name)] = _Entity(cand.kind, cand.name, {})
            records.append(record)
        record.add(cand.name, cand.start, cand.end)
    records = _merge_aliases(records)
    for cand in cands:
        if not cand.proper:
            target = _alias_target(cand.name, cand.kind, records)
            if target is not None:
                target.add(cand.name, cand.start, cand.end)
    for record in records:
        _short_forms(record, text, gaz, records)

    # places and towns from the gazetteer, where they stand on their own
    inside = [span for record in records for span in record.spans()]
    inside.extend((c.outer, c.end) for c in cands if not c.proper and c.outer >= 0)  # 湖北省体教融合示范区
    inside.extend(m.span(1) for m in _DESIGNATION_VALUE_RE.finditer(text))
    inside.sort()
    full_names = {m.surface for m in ctx.places if not m.short}
    mentioned = {m.surface for m in ctx.places}
    place_records: dict[int, _Entity] = {}
    towns: dict[str, _Entity] = {}
    prev: PlaceMatch | None = None
    for index, match in enumerate(ctx.places):
        standalone = _standalone(ctx, match, inside, index)
        town = next((p for p in match.places if p.level == "town"), None)
        if town is not None:
            if _ordinary_town(text, match) or _inside_any(match.start, match.end, inside, strict=True):
                prev = match
                continue
            if ctx.in_title(match.start, match.end):
                prev = match
                continue
            record = towns.get(match.surface)
            if record is None:
                record = towns[match.surface] = _Entity("town", match.surface, {}, town)
            record.add(match.surface, match.start, match.end)
            prev = match
            continue
        place = _resolve_place(match, full_names, mentioned, prev) or _listed_place(ctx, index)
        prev = match
        if place is None or not standalone:
            continue
        record = place_records.get(id(place))
        if record is None:
            record = place_records[id(place)] = _Entity("place", place.name, {}, place)
        record.add(match.surface, match.start, match.end)
    for record in place_records.values():
        full = record.place.name if record.place else record.name
        if full not in record.forms and full not in text:
            record.name = max(record.forms, key=lambda s: (len(record.forms[s]), len(s)))
    named_towns = {r.name for r in records if r.kind == "town"}
    all_records = records + [r for r in towns.values() if r.name not in named_towns] + list(place_records.values())
    return sorted(all_records, key=lambda r: min(s for s, _ in r.spans()))


def _listed_place(ctx: _Context, index: int) -> Place | None:
    """A county's short name listed with others of the same city (惠水、平塘、罗甸3个县): the
    list supports each of them, where one alone would be too unsure to read as a place."""
    match = ctx.places[index]
    if not match.short:
        return None
    text, listed = ctx.text, []
    k = index
    while k > 0 and ctx.places[k - 1].end == ctx.places[k].start - 1 and text[ctx.places[k].start - 1] in "、和与及":
        k -= 1
        listed.append(ctx.places[k])
    k = index
    while (
        k + 1 < len(ctx.places)
        and ctx.places[k + 1].start == ctx.places[k].end + 1
        and text[ctx.places[k].end] in "、和与及"
    ):
        k += 1
        listed.append(ctx.places[k])
    cities = {id(p.parent) for other in listed for p in other.places if p.level == "county" and p.parent is not None}
    shared = [p for p in match.places if p.level == "county" and p.parent is not None and id(p.parent) in cities]
    return shared[0] if len(shared) == 1 else None


def _ordinary_town(text: str, match: PlaceMatch) -> bool:
    """A town name that is read as ordinary words here: 促进乡村, 新城镇化."""
    stem = re.sub(r"(?:镇|乡|街道)$", "", match.surface)
    nxt = text[match.end : match.end + 1]
    return (match.surface.endswith("乡") and nxt == "村") or nxt == "化" or stem in verbs()


def _inside_any(start: int, end: int, spans: Sequence[Span], *, strict: bool) -> bool:
    j = bisect.bisect_right(spans, (start, 10**9)) - 1
    while j >= 0 and j >= bisect.bisect_right(spans, (start, 10**9)) - 6:
        s, e = spans[j]
        if s <= start and end <= e and (not strict or (s, e) != (start, end)):
            return True
        j -= 1
    return False


_QUARTER_RE = re.compile(r"高新[东西南北]区$")


def _shortens(short: str, long: str) -> bool:
    """Whether zone word ``short`` is ``long`` or a shortening of it (自贸区 of 自由贸易试验区,
    园区 of 工业园区); an empty ``short`` shortens anything."""
    it = iter(long)
    return all(ch in it for ch in short) and long.endswith(short[-1:])


_ZONE_WORDS = tuple(sorted(_PARK_STRONG + _PARK_WEAK, key=len, reverse=True))


def _park_suffix(name: str) -> str:
    """The zone word a park name ends in (新区, 工业园区 …), '' when none."""
    return next((s for s in _ZONE_WORDS if name.endswith(s)), "")


def _alias_of(short: str, long: str, kind: str) -> bool:
    """Whether ``short`` is a shortened form of ``long`` (临夏经开区 ↔ 临夏经济开发区)."""
    if kind == "company" and long.startswith(short) and long[len(short) :] in _LEGAL_SUFFIXES[:3]:
        return True  # 伊春森工集团 ↔ 伊春森工集团有限责任公司
    body = _legal_body(long) if kind == "company" else long
    if body != long and short.endswith("集团") and body.endswith("集团"):
        return _alias_of(short, body, kind)  # 中国三峡集团 ↔ 中国长江三峡集团有限公司
    if kind == "park" and long == short + "区" and short.endswith("园"):
        return True  # 自贡航空产业园 ↔ 自贡航空产业园区
    if kind == "park" and _zone_body(short) and _zone_body(short) == _zone_body(long) and short != long:
        return True  # 武汉东湖高新区 ↔ 武汉东湖新技术开发区, 盐城经开区 ↔ 盐城经济技术开发区
    if len(short) >= len(long) or short[-1] != long[-1]:
        return False
    if kind == "park" and _QUARTER_RE.search(long) and not _QUARTER_RE.search(short):
        return False  # 成都高新西区 is one quarter of 成都高新区, not another name for it
    if kind == "park" and not _shortens(_park_suffix(short), _park_suffix(long)):
        return False  # 兰州新区 is not 兰州白银国家自主创新示范区: a new area is no demonstration zone
    it = iter(long)
    if not all(ch in it for ch in short):
        return False
    if long.endswith(short):
        head = long[: -len(short)]
        if short[0] in "省市区县州" or (kind in ("company", "project") and len(short) >= 6):
            return True  # 三期高端药用包材项目 for 力诺特玻三期高端药用包材项目
        chain = gazetteer().scan(head)
        return len(short) >= 4 and (
            head in ("国家", "中国") or (bool(chain) and chain[0].start == 0 and chain[-1].end == len(head))
        )
    if short[0] == long[0]:
        return len(short) >= 4
    chain = gazetteer().scan(long[:8])
    return bool(chain) and chain[0].start == 0 and long[chain[0].end :].startswith(short[0]) and len(short) >= 4


_ZONE_FORMS = (
    ("高新技术产业开发区", "高"), ("新技术产业开发区", "高"), ("高新技术开发区", "高"), ("新技术开发区", "高"),
    ("高新技术产业园区", "高"), ("高新区", "高"), ("经济技术开发区", "经"), ("经济开发区", "经"), ("经开区", "经"),
    ("自由贸易试验区", "自"), ("自贸试验区", "自"), ("自由贸易区", "自"), ("自贸区", "自"),
)  # fmt: skip
"""The ways one kind of national zone is written: the full and the everyday forms."""


def _zone_body(name: str) -> str:
    """A zone's name with its kind written one way (武汉东湖新技术开发区 → 武汉东湖·高), '' if
    it is no such zone."""
    for form, kind in _ZONE_FORMS:
        if name.endswith(form) and len(name) > len(form) + 1:
            return f"{name[: -len(form)]}·{kind}"
    return ""


def _legal_body(name: str) -> str:
    """The name without its legal form: 中国长江三峡集团 for 中国长江三峡集团有限公司."""
    suffix = next((s for s in _LEGAL_SUFFIXES[:3] if name.endswith(s)), "")
    return name[: -len(suffix)] if suffix else name


def _alias_target(name: str, kind: str, records: list[_Entity]) -> _Entity | None:
    targets = [r for r in records if r.kind == kind and _alias_of(name, r.name, kind)]
    return targets[0] if len(targets) == 1 else None


def _merge_aliases(records: list[_Entity]) -> list[_Entity]:
    kept = list(records)
    for record in sorted(records, key=lambda r: len(r.name)):
        target = _alias_target(record.name, record.kind, [r for r in kept if r is not record])
        if target is not None:
            for surface, spans in record.forms.items():
                for start, end in spans:
                    target.add(surface, start, end)
            kept.remove(record)
    return kept


def _abbreviations(body: str, text: str) -> list[str]:
    """Four-character abbreviations of a long company name that the article prints: its first
    two characters and two more of its own, in order (国家电投 for 国家电力投资集团, 中国石化
    for 中国石油化工集团). A dictionary word is never one (国家投资 is prose)."""
    if len(body) < 6:
        return []
    found = []
    pos = text.find(body[:2])
    while pos >= 0:
        form = text[pos : pos + 4]
        tail = iter(body[2:])
        if (
            len(form) == 4
            and not body.startswith(form)
            and all(ch in tail for ch in form[2:])
            and form not in known_words()
            and not is_ordinary_phrase(form)
        ):
            found.append(form)
        pos = text.find(body[:2], pos + 1)
    return found


def _short_forms(record: _Entity, text: str, gaz: Gazetteer, records: list[_Entity]) -> None:
    """Add the shortened forms the article uses for a named entity (定襄法兰 for 定襄法兰专业镇)."""
    name = record.name
    candidates: list[str] = []
    body = ""
    if record.kind in ("town", "park", "project"):
        suffix = next(
            (s for s in (*_TOWN_SUFFIXES, *_PARK_STRONG, *_PARK_WEAK, _PROJECT_SUFFIX) if name.endswith(s)), ""
        )
        stem = name[: -len(suffix)] if suffix else name
        candidates = [stem, stem.strip("“”")]
        if record.kind == "project" and stem.endswith("新"):
            candidates += [stem[:-1], stem[:-1].strip("“”")]
        if record.kind == "project" and len(stem) >= 8:  # 子牛亦东项目 for 子牛亦东集成电路…产业化项目
            candidates += [stem[:n] + _PROJECT_SUFFIX for n in range(min(len(stem) - 2, 8), 3, -1)]
    elif record.kind == "company" and record.name.endswith(("公司", "集团")):
        body = re.sub(r"(?:（[^）]{1,6}）)?(?:股份有限公司|有限责任公司|有限公司|集团|公司)$", "", name)
        chain = gaz.scan(body[:8])
        bare = body[chain[0].end :] if chain and chain[0].start == 0 else body
        candidates = [body, *(body[:n] for n in range(len(body), 3, -1)), *(bare[:n] for n in range(len(bare), 3, -1))]
        if bare != body and name.endswith("有限公司"):
            candidates.append(name[len(body) - len(bare) :])
        group = next((p for p in _GROUP_PREFIXES if bare.startswith(p) and len(bare) - len(p) >= 2), "")
        if group:  # 京雄公司 for 中铁京雄公司: a central group's unit without the group's name, tried first
            candidates.insert(0, name[len(body) - len(bare) + len(group) :])
        candidates += _abbreviations(body, text) + (_abbreviations(bare, text) if bare != body else [])
    owned = record.spans()
    taken = sorted(span for other in records if other is not record for span in other.spans())
    for form in sorted(dict.fromkeys(candidates), key=len, reverse=True):  # ties: in the order above
        shortest = 3 if record.kind != "company" or (form == body and name.endswith(_LEGAL_SUFFIXES[:3])) else 4
        if len(form) < shortest or form == name or form in _GENERIC_WORDS:  # 比亚迪 for 比亚迪股份有限公司
            continue
        if is_ordinary_phrase(form.strip("“”")):
            continue
        scan = gaz.scan(form)
        if gaz.lookup(form) or (scan and scan[0].start == 0 and scan[-1].end == len(form)):
            continue
        found = False
        pos = text.find(form)
        while pos >= 0:
            end = pos + len(form)
            if not _inside_any(pos, end, sorted(owned), strict=False) and not _inside_any(
                pos, end, taken, strict=False
            ):
                record.add(form, pos, end)
                owned.append((pos, end))
                found = True
            pos = text.find(form, pos + 1)
        if found and record.kind == "company":
            break
