"""Names found by their suffix (开发区, 专业镇, 有限公司, 项目 …) and where each one's left edge is: the
per-kind rules.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .._gazetteer import Gazetteer, gazetteer
from .._lexicon import NAME_VERBS, is_ordinary_phrase, known_words, proper_words, verbs
from .context import _Context
from .places import _is_cjk
from .types import EntityKind
from .vocabulary import (
    _BAD_BUREAU_PREV,
    _BOUNDARY_BY_LAST,
    _BOUNDARY_WORDS,
    _BYLINE_RE,
    _COMPANY_GENERIC_PARTS,
    _COUNT_RE,
    _DATE_BOUNDARY_RE,
    _EVENT_AFTER_PROJECT_RE,
    _GENERIC_MARKERS,
    _GENERIC_WORDS,
    _HARD_STOPS,
    _LATIN_RE,
    _MACRO_REGIONS,
    _NAME_CAPACITY_RE,
    _NAME_PUNCT,
    _OPENERS,
    _ORG_WORD_RE,
    _PARK_STRONG,
    _PROJECT_SUFFIX,
    _PROTECTED,
    _STEM_END_BOUNDARY,
    _SUFFIX_RE,
    FOREIGN_COUNTRIES,
)

# --------------------------------------------------------------------------- name edges


def _is_boundary(text: str, i: int, *, lexicon: bool = True) -> bool:
    """Whether a boundary word (or, with ``lexicon``, a dictionary verb) ends right before ``text[i]``."""
    lexicon_verbs = verbs()
    if lexicon and (text[i - 2 : i] in lexicon_verbs or text[i - 3 : i] in lexicon_verbs):
        known = known_words()
        if not any(text[a:b] in known for a, b in ((i - 3, i + 1), (i - 2, i + 1), (i - 1, i + 2))):
            return True
    words = _BOUNDARY_BY_LAST.get(text[i - 1])
    if not words:
        return False
    for word in words:
        if text.startswith(word, i - len(word)):
            if len(word) == 1 and (
                text[i - 2 : i] in _PROTECTED or text[i - 1 : i + 1] in _PROTECTED or text[i - 1 : i + 2] in _PROTECTED
            ):
                continue
            return True
    return False


def _ends_with_word(text: str, i: int, words: frozenset[str]) -> bool:
    for size in (3, 2, 1):
        word = text[max(0, i - size) : i]
        if len(word) == size and word in words:
            if size == 1 and (text[i - 2 : i] in _PROTECTED or text[i - 1 : i + 1] in _PROTECTED):
                continue
            return True
    return False


def _left_edge(
    text: str,
    stem_end: int,
    floor: int,
    max_len: int,
    stops: set[int],
    *,
    lexicon: bool = True,
    verb_ends: bool = True,
) -> int | None:
    """Where the name whose stem ends at ``stem_end`` begins (``stem_end`` itself when the
    stem is empty), or None when no edge is found within ``max_len`` characters: then the
    'name' is a run of prose, not a name. ``verb_ends``: a verb right before the suffix ends
    the name (签约公司); a legal name may end in one (益阳市融资担保有限责任公司)."""
    i = stem_end
    while i > floor:
        if i in stops and i < stem_end:
            return i
        ch = text[i - 1]
        if not (_is_cjk(ch) or ch.isalnum() or ch in _NAME_PUNCT):
            return i
        if ch == "/" and text[i : i + 1] == "年" and max_len >= 40:
            i -= 1  # 30万吨/年煤制甲醇项目
            continue
        if ch in "—-" and text[i - 3 : i - 1] == "中国" and _is_cjk(text[i : i + 1]):
            i -= 1  # 广西中国—东盟青年产业园: 中国—东盟 is one word
            continue
        if ch in _HARD_STOPS or ch in _OPENERS or ch in "》—" or ch.isspace() or (ch == "·" and max_len < 40):
            return i
        if ch == "”":
            opener = text.rfind("“", max(floor, i - 30), i - 1)
            if opener < 0 or any(c in _HARD_STOPS for c in text[opener:i]):
                return i
            i = opener
            continue
        if ch in "）)":
            opener = max(text.rfind("（", max(floor, i - 12), i - 1), text.rfind("(", max(floor, i - 12), i - 1))
            if opener < 0 or _BYLINE_RE.search(text, opener, i):
                return i
            i = opener
            continue
        if i == stem_end:
            if (
                _ends_with_word(text, i, _STEM_END_BOUNDARY)
                or _ends_with_word(text, i, _BOUNDARY_WORDS)
                or (verb_ends and text[i - 2 : i] in verbs())
                or _DATE_BOUNDARY_RE.search(text, max(floor, i - 11), i)
            ):
                return i
        elif _is_boundary(text, i, lexicon=lexicon) or _DATE_BOUNDARY_RE.search(text, max(floor, i - 11), i):
            return i
        i -= 1
        if stem_end - i > max_len:
            return None
    return i


_PROSE_CHARS = frozenset(
    ""
    "后原过设在于向为从对到和与及等是将把被让给首老旧前该此其各每某所属据经由之则即又也还都就才再曾已正要会能可应须需请使令"
)


def _prose_before(text: str, start: int, place_start: int) -> bool:
    """Whether the text before a place inside a would-be name is prose: three characters or
    more (下一步阳曲…), one or two function characters (后武汉经开区, 原湘乡经济开发区), or a
    verb that names may hold but that does not open one (投资长春新区)."""
    gap = text[start:place_start]
    if re.search(r"[A-Za-z]", gap):
        return False  # G60燎申上海国际食品产业园: a Latin brand opens the name
    return len(gap) >= 3 or (bool(gap) and all(ch in _PROSE_CHARS for ch in gap)) or gap in NAME_VERBS


def _strip_generic(stem: str) -> str:
    """The stem without generic words at its head (省级, 首批 …)."""
    changed = True
    while changed and stem:
        changed = False
        for size in (4, 3, 2, 1):
            if stem[:size] in _GENERIC_WORDS:
                stem = stem[size:]
                changed = True
                break
    return stem


def _has_proper_part(stem: str, gaz: Gazetteer) -> bool:
    if not stem:
        return False
    if _LATIN_RE.search(stem) or "“" in stem or any(region in stem for region in _MACRO_REGIONS):
        return True
    return bool(gaz.scan(stem)) or gaz.contains_any_short(stem)


# --------------------------------------------------------------------------- named candidates


@dataclass
class _Cand:
    kind: EntityKind
    start: int
    end: int
    name: str
    suffix: str
    proper: bool = True
    outer: int = -1  # where the name began before an address was cut off it


def _named_candidates(ctx: _Context, gaz: Gazetteer) -> list[_Cand]:
    """Parks, special towns, companies and projects found by their suffix."""
    text = ctx.text
    matches = list(_SUFFIX_RE.finditer(text))
    place_ends = {p.end for p in ctx.places if not p.short}  # 绿园区 is a place, not a 园区
    org_ends = {m.end() for m in matches if m.lastgroup in ("park", "company") and m.end() not in place_ends}
    project_ends = {m.end() for m in matches if m.lastgroup == "project"}
    cands: list[_Cand] = []
    for m in matches:
        kind = m.lastgroup
        floor = ctx.spans[ctx.locate(m.start())][0]
        cand: _Cand | None
        if kind == "park":
            cand = _park(ctx, m, floor, org_ends, gaz)
        elif kind == "town":
            cand = _special_town(ctx, m, floor, org_ends)
        elif kind == "company":
            cand = _company(ctx, m, floor, org_ends | project_ends)
        else:
            cand = _project(text, m, floor, gaz)
        if cand is not None and (cand := _refined(cand, ctx)) is not None:
            cands.append(_tagger_edge(cand, ctx))
    cands += _tagger_only(cands, ctx)
    return _reanchor(_drop_nested(_with_areas(_merged_groups(_with_zone_organs(cands, ctx), text), text)))


_GROUP_PREFIXES = (
    "中国铁路", "中国中铁", "中国铁建", "中国能建", "中国电建", "中铁", "中建", "中交", "中冶", "国网", "南网",
)  # fmt: skip
"""Central groups whose short name opens their units' names, before the unit's place."""


def _merged_groups(cands: list[_Cand], text: str) -> list[_Cand]:
    """上海局集团 + 集团有限公司 → 上海局集团有限公司; 中铁四局 + 一公司 → 中铁四局一公司: a company
    whose name runs on into a second suffix is one company."""
    companies = sorted((c for c in cands if c.kind == "company"), key=lambda c: c.start)
    merged: dict[int, _Cand] = {}
    for a, b in itertools.pairwise(companies):
        if a.start < b.start < a.end < b.end:
            merged[id(a)] = merged[id(b)] = _Cand("company", a.start, b.end, text[a.start : b.end], b.suffix)
    for c in companies:
        if id(c) not in merged and c.suffix == "局" and (m := _NUMBERED_UNIT_RE.match(text, c.end)):
            merged[id(c)] = _Cand("company", c.start, m.end(), text[c.start : m.end()], m.group("suffix"))
    out = [merged.get(id(c), c) for c in cands]
    return list({(c.kind, c.start, c.end): c for c in out}.values())


def _with_areas(cands: list[_Cand], text: str) -> list[_Cand]:
    """山东自贸试验区济南片区: a free-trade zone's area is the park named."""
    out = []
    for c in cands:
        m = _AREA_RE.match(text, c.end) if c.kind == "park" and c.name.endswith(_FREE_TRADE) else None
        out.append(_Cand("park", c.start, m.end(), text[c.start : m.end()], "片区", c.proper, c.outer) if m else c)
    return out


_FREE_TRADE = ("自贸试验区", "自由贸易试验区", "自贸区", "自由贸易区", "综合保税区")
_AREA_RE = re.compile(r"[\u4e00-\u9fff]{2,4}?片区")
_NUMBERED_UNIT_RE = re.compile(r"[一二三四五六七八九十]{1,2}(?P<suffix>分公司|公司)")


def _with_zone_organs(cands: list[_Cand], ctx: _Context) -> list[_Cand]:
    """A zone's own bureau or development company (武汉东湖高新区投促局, 长子县经开区建设投资有限公司):
    the zone's name ends the rules' left edge, so the organ is read from the zone's start
    instead, and the zone named only inside it is not counted from there."""
    text = ctx.text
    found: list[_Cand] = []
    for park in cands:
        if park.kind != "park" or not park.name.endswith(_PARK_STRONG + ("新区",)):
            continue
        m = _ZONE_BUREAU_RE.match(text, park.end)
        if m is None or text.startswith(("局长", "局面"), m.end() - 1):
            continue
        if m.group("bureau") and _BUREAU_PROSE_RE.search(m.group()[:-1]):
            continue
        suffix = m.group("legal") or "局"
        found.append(_Cand("company", park.start, m.end(), text[park.start : m.end()], suffix))
    heads = {organ.start for organ in found}
    return [c for c in cands if not (c.kind == "park" and c.start in heads)] + found


_ZONE_BUREAU_RE = re.compile(
    r"[\u4e00-\u9fff]{2,10}?(?P<bureau>局)|(?:建设|投资|开发|发展|控股|实业|城建|产业){1,4}"
    r"(?:集团)?(?P<legal>有限责任公司|股份有限公司|有限公司)"
)
"""What a zone's own organ looks like after its name: a bureau (投促局) or its development
company (湘乡经济开发区建设投资开发有限公司)."""


_CLAUSE_ENDS = frozenset("，。；！？：\n")
WINDOW_CHARS = 60


def tagger_windows(text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` the tagger reads: each clause up to a name suffix (开发区, 有限公司,
    项目 …), at most :data:`WINDOW_CHARS` back, merged where they overlap. A name lies inside
    one clause and ends in its suffix, so this is where the tagger can change what the rules
    find, at a fraction of the cost of reading the whole text."""
    windows: list[list[int]] = []
    for m in _SUFFIX_RE.finditer(text):
        start = m.end() - 1
        floor = max(0, m.end() - WINDOW_CHARS)
        while start > floor and text[start - 1] not in _CLAUSE_ENDS:
            start -= 1
        end = min(len(text), m.end() + 1)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return [(a, b) for a, b in windows]


_TAGGER_TYPES: dict[str, tuple[str, ...]] = {
    "company": ("ORG",),
    "park": ("PARK", "ORG"),
    "project": ("PROJECT",),
    "town": ("TOWN",),
}
"""Which tagger types may delimit a rule candidate of each kind (a park's 管委会 is an ORG)."""


def _tagger_edge(cand: _Cand, ctx: _Context) -> _Cand:
    """The tagger's left edge for a name the rules found by its suffix: a tagged span of a
    fitting type that ends where the candidate ends, inside the same sentence. The rules'
    repairs (:func:`_refined`) still apply to the new name."""
    floor = ctx.spans[ctx.locate(cand.start)][0]
    for start, end, kind in ctx.tagged:
        if end != cand.end or start == cand.start or kind not in _TAGGER_TYPES[cand.kind] or start < floor:
            continue
        if end - start <= len(cand.suffix) + 1:
            continue
        moved = _refined(_Cand(cand.kind, start, end, ctx.text[start:end], cand.suffix, cand.proper, cand.outer), ctx)
        return moved or cand
    return cand


def _tagger_only(cands: list[_Cand], ctx: _Context) -> list[_Cand]:
    """Names the tagger found that end in a kind's suffix but no rule found (their left edge
    fooled the rules): kept when nothing of the same kind overlaps them."""
    found = []
    for start, end, kind in ctx.tagged:
        name = ctx.text[start:end]
        m = _SUFFIX_RE.search(name, max(0, len(name) - 8))
        while m is not None and m.end() != len(name):
            m = _SUFFIX_RE.search(name, m.start() + 1)
        if m is None or m.lastgroup not in _TAGGER_TYPES or kind not in _TAGGER_TYPES[m.lastgroup]:
            continue
        if any(c.kind == m.lastgroup and c.start < end and start < c.end for c in cands):
            continue
        cand = _refined(_Cand(m.lastgroup, start, end, name, m.group()), ctx)  # type: ignore[arg-type]
        if cand is not None:
            found.append(cand)
    return found


_RANKING_PREFIX_RE = re.compile(r"^(?:世界|中国|全国|全球|国内|国际)?\d+强")
_LIST_NUMBER_RE = re.compile(r"(?<![\d-])\d+(?![万亿千百吨件台套辆个米级期号年月日座条])(?=[\u4e00-\u9fff])")
"""A list's numbering inside a name (02泰华北路…); a plot code (09-02科技总部) is part of the name."""
_BARE_SUFFIXES = ("公司", "局")


def _refined(cand: _Cand, ctx: _Context) -> _Cand | None:
    """General repairs of a name's left edge, and names that are no names:

    - a closing quote inside a company or park name ends the prose before it
      (下福然德“5G+智慧工厂”福然德股份有限公司 → 福然德股份有限公司);
    - a ranking before a name is not part of it (世界500强奥钢联集团 → 奥钢联集团);
    - a number inside a name that is no capacity or year is a list's numbering
      (规划红线图02泰华北路东段项目 → 泰华北路东段项目);
    - the same place twice: the name starts at the second (成都大运会成都高新区 → 成都高新区);
    - a name with an unmatched bracket was cut in the middle (宜昌）锂电池…产业园);
    - 公司 or 局 with nothing proper before it is a common noun (投促局, …驶出公司).
    """
    stem = cand.name[: len(cand.name) - len(cand.suffix)] if cand.suffix else cand.name
    cut = 0
    if cand.kind in ("company", "park") and "”" in stem[:-1]:
        cut = stem.rindex("”") + 1
    if ranking := _RANKING_PREFIX_RE.match(stem[cut:]):
        cut += ranking.end()
    if cand.kind in ("park", "project") and (numbered := re.match(r"0\d(?=[A-Za-z\u4e00-\u9fff])", stem[cut:])):
        cut += numbered.end()  # 05G60唯富科技产业园: a list's numbering, 0-padded
    if cand.kind == "project" and not _NAME_CAPACITY_RE.search(stem):
        numbers = [m for m in _LIST_NUMBER_RE.finditer(stem, cut) if not stem.startswith("年", m.end())]
        if numbers:
            cut = numbers[-1].end()
    places = [p for p in ctx.places if cand.start + cut <= p.start and p.end <= cand.start + len(stem)]
    repeated = [p for p in places if any(q.surface == p.surface and q.start < p.start for q in places)]
    if repeated:
        cut = repeated[-1].start - cand.start
    name = cand.name[cut:]
    if name.count("（") != name.count("）") or name.count("(") != name.count(")"):
        return None
    if cand.suffix in _BARE_SUFFIXES and not _proper_bare(name[: len(name) - len(cand.suffix)], ctx, cand.start + cut):
        return None
    if len(name) <= len(cand.suffix) + 1:
        return None
    if cut == 0:
        return cand
    return _Cand(cand.kind, cand.start + cut, cand.end, name, cand.suffix, cand.proper, cand.outer)


def _proper_bare(stem: str, ctx: _Context, start: int) -> bool:
    """Is ``stem`` + 公司/局 a proper name? It must hold a place, or an administrative level
    (省/市/县/区 能源局), and no adverb or digit (冷藏车缓缓驶出公司, 郑州720大水发公司)."""
    if re.search(r"\d|缓缓|逐步|不断|已经|正在|驶|走|跑|出", stem):
        return False
    if stem[:1] in ("省", "市", "县", "区", "州") or stem.startswith(_PROPER_OPENERS + _GROUP_PREFIXES):
        return True  # 省能源局, 国家能源局, 中交二航局
    if stem.endswith(("集团", "控股")) and len(stem) >= 4:
        return True  # 粤科金融集团公司, 粤财投资控股公司: a group's legal name
    if re.search(r"[一二三四五六七八九十]$", stem) and len(stem) >= 3:
        return True  # 中建八局: an engineering bureau is a company
    if re.match(r"[一二三四五六七八九十]{1,3}冶", stem):
        return True  # 八冶建设公司, 十三冶: the numbered metallurgical builders
    return any(start <= p.start and p.end <= start + len(stem) for p in ctx.places)


def _park(ctx: _Context, m: re.Match[str], floor: int, stops: set[int], gaz: Gazetteer) -> _Cand | None:
    text, suffix = ctx.text, m.group()
    if suffix in ("新区", "园区") and text[m.end() : m.end() + 1] in ("域", "内", "外"):
        return None
    if suffix == "园区" and text[m.start() - 1 : m.start()] == "园":
        return None  # 中国算谷产业园园区: the park's name ends at 产业园
    if text[m.start() - 1 : m.start()] == "”":
        return None  # 上榜省“五好”园区: an honour in quotes, not a name
    if any(p.start < m.start() and p.end == m.end() and not p.short for p in ctx.places):
        return None  # 浦东新区 is a place
    start = _left_edge(text, m.start(), floor, 20, stops)
    if start is None or start == m.start():
        return None
    start = _whole_place(ctx, start, m.start())
    # prose before a place name is not part of the name: 下一步阳曲工业园区 → 阳曲工业园区
    first_place = next((p for p in ctx.places if start < p.start < m.start()), None)
    if (
        first_place is not None
        and not ctx.leading_places(start, m.start())
        and text[first_place.start - 1] not in "（("  # 中韩（盐城）产业园: a place in brackets
        and _prose_before(text, start, first_place.start)
    ):
        start = first_place.start
    elif first_place is None or first_place.start > start:
        region = min(
            (text.find(r, start, m.start()) for r in _MACRO_REGIONS if r in text[start : m.start()]), default=-1
        )
        joined = text[region - 3 : region - 1] == "中国"  # 中国—东盟 is one word
        if region > start and (first_place is None or region < first_place.start) and not joined:
            start = region
    outer = start
    chain = ctx.leading_places(start, m.start())
    if chain:
        last = chain[-1]
        # an address before a name: 上海市闵行区马桥AI试验区 → 马桥AI试验区; only places: 广东肇庆新区 → 肇庆新区
        start = next((c.start for c in chain if c.short), last.end) if last.end < m.start() else last.start
        rest = text[start : m.start()]
        if start == last.end and not _has_proper_part(rest, gaz) and is_ordinary_phrase(_strip_generic(rest)):
            # 河南省信息消费产业园区, 汝南县先进制造业开发区: without its place the name is a description
            start = last.start
    if chain and (verb := _PARK_VERB_RE.match(text, chain[-1].end, m.start())) and m.start() - verb.end() >= 4:
        start = outer = verb.end()  # 泽普规划建设特色现代富民产业园: the place plans, the name follows
    name = text[start : m.end()]
    stem = name[: -len(suffix)]
    if len(stem) < 2 or not _strip_generic(stem) or _COUNT_RE.search(stem):
        return None
    if any(marker in stem for marker in _GENERIC_MARKERS) or gaz.lookup(name):
        return None
    if _ORG_WORD_RE.search(stem):
        return None
    proper = (
        (suffix in _PARK_STRONG and len(stem) <= 6)
        or _has_proper_part(stem, gaz)
        or bool("园" in suffix and chain and outer < start)  # 福建省泉州市惠安县泉惠石化工业园区: an address names it
        or ("园" in suffix and _opens_with_name(_strip_generic(stem)))  # 李时珍中医药大健康科技产业园
        or (("园" in suffix or suffix == "工业区") and gaz.opens_with_town(stem))  # 莘庄工业区
        or name.endswith(_NATIONAL_NEW_AREAS)  # 湘江新区: named after a river, not a place
        or bool(re.match(r"\d{3,4}(?![\d年])[\u4e00-\u9fff]{2}", stem))  # 1876新视觉文创产业园: a numbered brand
    )
    return _Cand("park", start, m.end(), name, suffix, proper=proper, outer=outer)


def _opens_with_name(stem: str) -> bool:
    """Whether a dictionary name (a person, place, organisation or brand) opens ``stem``."""
    names = proper_words()
    return any(stem[:size] in names for size in (4, 3, 2) if len(stem) > size)


_NATIONAL_NEW_AREAS = tuple(
    str.split(
        "浦东新区 滨海新区 两江新区 舟山群岛新区 兰州新区 南沙新区 西咸新区 贵安新区 西海岸新区 金普新区 天府新区 "
        "湘江新区 江北新区 福州新区 滇中新区 哈尔滨新区 长春新区 赣江新区 雄安新区"
    )
)
"""The nineteen state-level new areas (国家级新区), several named after a river or a coast."""


_PARK_VERB_RE = re.compile(r"规划建设|建设|打造|规划|新建|筹建")


def _whole_place(ctx: _Context, start: int, stem_end: int) -> int:
    """An edge never splits a place name: 在建湖高新区 reads 在建 as a word, the name is 建湖高新区."""
    for place in ctx.places:
        if place.start < start < place.end <= stem_end:
            return place.start
    return start


def _special_town(ctx: _Context, m: re.Match[str], floor: int, stops: set[int]) -> _Cand | None:
    text = ctx.text
    start = _left_edge(text, m.start(), floor, 14, stops)
    if start is None or start == m.start():
        return None
    chain = ctx.leading_places(start, m.start())
    if chain and chain[-1].end < m.start() and not any(c.short for c in chain):
        start = chain[-1].end  # 太谷区广誉远中医药特色小镇 → 广誉远中医药特色小镇
        chain = []
    core = text[chain[-1].end if chain else start : m.start()].strip("“”")
    if len(core) < 2 or not _strip_generic(core) or core.endswith(("类", "性")) or _COUNT_RE.search(core):
        return None
    quoted = "“" in text[start : m.start()]
    if core[0] in "式性型化" or (not chain and not quoted and is_ordinary_phrase(core)):
        return None
    if any(marker in core for marker in _GENERIC_MARKERS):
        return None
    return _Cand("town", start, m.end(), text[start : m.end()], m.group())


_COMPANY_AFTER_BLOCK = {"银行": "业卡账贷间家行", "集团": "化军", "局": "长面势部限促级", "公司": "法"}
_RANK_COUNT_RE = re.compile(r"[一二两三四五六七八九十]大")
_LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "分行", "支行")
_ORG_END_RE = re.compile(r"(?:银行|总局|集团|公司|局|委|厅|部|院)$")
_BRANCH_RE = re.compile(r"[^，。、；：！？“”\s]{0,8}?(?:分行|支行|分公司|分局)")


_BUREAU_WORDS = ("财政局", "民政局", "邮政局", "市政局", "行政局")
_BUREAU_GAP_RE = re.compile(r"[\u4e00-\u9fff]{2,10}")
_BUREAU_PROSE_RE = re.compile(
    r"的|和(?!社会保障|城乡建设|信息化|旅游|体育|科技|改革|规划|自然资源)|与|及|召开|研究|表示|会同|联合|组织|指导|发布|"
    r"要求|通过|经过|举行"
)
"""Words that make the gap before 局 prose; 和 inside a bureau's field (人力资源和社会保障局) is not."""
_BARE_ZONES = ("开发区", "经开区", "高新区", "新片区")
_PROPER_OPENERS = ("国家", "中国", *FOREIGN_COUNTRIES, *_BARE_ZONES)


def _bureau_word(text: str, suffix_start: int) -> bool:
    return text.startswith(_BUREAU_WORDS, suffix_start - 2)


def _bureau_start(ctx: _Context, suffix_start: int, floor: int, start: int | None) -> int | None:
    """Where a government bureau's name starts when a place (or 省/市/区/县 after a pause) opens
    it within ten characters: the words between are the bureau's field, verbs included."""
    text = ctx.text
    for place in reversed(ctx.places):
        if place.end > suffix_start or place.start < floor or place.short:
            continue
        gap = text[place.end : suffix_start]
        if _BUREAU_GAP_RE.fullmatch(gap) and not _BUREAU_PROSE_RE.search(gap):
            return place.start if start is None or place.start < start else start
        break
    head = suffix_start - 1
    while head > floor and head > suffix_start - 10 and "\u4e00" <= text[head - 1] <= "\u9fff":
        head -= 1
    zone = next((z for z in _BARE_ZONES if text.startswith(z, head)), "")
    if (zone or text[head : head + 1] in ("省", "市", "区", "县")) and (
        head == floor or text[head - 1] in "、，；：（“ "
    ):  # 市财政局, 开发区投资促进局
        gap = text[head + max(1, len(zone)) : suffix_start]
        if len(gap) >= 2 and not _BUREAU_PROSE_RE.search(gap):
            return head if start is None or head < start else start
    return start


def _past_address(ctx: _Context, start: int, stem_end: int) -> int:
    """临汾市洪洞县山西兆林…有限公司 → 山西兆林…有限公司: a larger unit after a smaller one opens
    the company's own name, and the units before it are its address (府谷县金川鸿泰… keeps 府谷县:
    金川 is no larger than 府谷县, so it is part of the name)."""
    chain = ctx.leading_places(start, stem_end)
    for prev, link in itertools.pairwise(chain):
        smallest = max(_LEVEL_RANK[p.level] for p in prev.places)
        if link.end < stem_end and all(_LEVEL_RANK[p.level] < smallest for p in link.places):
            return link.start
    return start


_LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "town": 3}


def _name_may_open(text: str, pos: int, floor: int) -> bool:
    """Whether a name may begin at ``pos``: at its sentence's start or after punctuation."""
    return pos == floor or not _is_cjk(text[pos - 1])


def _company(ctx: _Context, m: re.Match[str], floor: int, stops: set[int]) -> _Cand | None:
    text = ctx.text
    suffix = m.group()
    nxt = text[m.end() : m.end() + 1]
    if nxt and nxt in _COMPANY_AFTER_BLOCK.get(suffix, ""):
        return None
    if suffix == "局" and text[m.start() - 1 : m.start()] in _BAD_BUREAU_PREV and not _bureau_word(text, m.start()):
        return None
    if suffix in ("银行", "公司", "集团", "局") and _BRANCH_RE.match(text, m.end()):
        return None  # 交通银行山西省分行: the branch that follows is the entity
    own_stops = {s for s in range(max(floor, m.start() - 31), m.start()) if s in stops}  # the edge looks back 30
    if suffix in ("分行", "支行", "分公司", "局"):
        parents = ("银行", "总局", "集团", "公司") if suffix == "分公司" else ("银行", "总局", "集团")
        own_stops = {
            s for s in own_stops if text[s - 2 : s] not in parents and not (suffix == "分公司" and text[s - 1] == "局")
        }  # 中国建筑第二工程局安徽分公司: a bureau's branch is named with the bureau
    elif suffix in _LEGAL_SUFFIXES:  # 中铁十一局集团西安建设有限公司: a group's subsidiary in its place
        own_stops = {s for s in own_stops if not (text[s - 2 : s] == "集团" and s in ctx.place_at)}
    start = _left_edge(text, m.start(), floor, 30, own_stops, verb_ends=suffix not in _LEGAL_SUFFIXES[:3])
    if suffix == "局":  # 肇庆市投资促进局, 普陀区退役军人事务局: a verb inside does not end the name
        start = _bureau_start(ctx, m.start(), floor, start)
    if start is None or start == m.start():
        return None
    opening = next((p for p in ctx.places if p.end == start and _name_may_open(text, p.start, floor)), None)
    if opening is not None:  # ”遵义动物园经营管理有限责任公司: the place the edge stopped after opens it
        start = opening.start
    # prose before a place that opens the name: 离不开宜昌市公安局 → 宜昌市公安局
    if not ctx.leading_places(start, m.start()):
        first_place = next((p for p in ctx.places if start < p.start < m.start()), None)
        if (
            first_place is not None
            and suffix not in ("分公司", "分行", "支行")
            and (first_place.start - start >= 2 or _prose_before(text, start, first_place.start))
            and not _ORG_END_RE.search(text, start, first_place.start)
            and text[first_place.start - 1] not in "（("
            and text[start : first_place.start] not in _GROUP_PREFIXES
        ):
            start = first_place.start
    start = _past_address(ctx, start, m.start())
    prefix = next((p for p in _GROUP_PREFIXES if text.startswith(p, start - len(p))), "")
    if prefix and start - len(prefix) >= floor:
        start -= len(prefix)  # 国网荆州供电公司, 中铁上海投资集团: the group's name opens its unit's
    name = text[start : m.end()]
    stem = name[: -len(suffix)]
    core = stem.lstrip("省市区县州")
    if len(core) < 2 or core in _GENERIC_WORDS or not _strip_generic(core) or _COUNT_RE.search(stem):
        return None
    if _RANK_COUNT_RE.match(stem) or "上市" in stem:
        return None  # 三大协会, 中国上市公司: a count or a kind of company, not a name
    if text[max(floor, start - 2) : start] in ("一个", "一家", "这家") and is_ordinary_phrase(_strip_generic(core)):
        return None  # 成立了一个实业投资有限公司: a kind of company
    if stem.endswith(("子", "母", "企业")) or any(w in stem for w in _COMPANY_GENERIC_PARTS + _GENERIC_MARKERS):
        return None
    described = is_ordinary_phrase(_strip_generic(core)) and not (suffix in ("协会", "商会") and len(core) >= 5)
    if (
        suffix not in _LEGAL_SUFFIXES
        and core == stem
        and not ctx.leading_places(start, m.start())
        and described
        and not (suffix == "局" and stem.startswith(_BARE_ZONES))
        and not stem.startswith(("首都", "国家", *_GROUP_PREFIXES))  # 首都会展集团, 国家能源局, 中铁电气化局
    ):
        return None  # 建材公司, 市场监管局: a description, not a name
    return _Cand("company", start, m.end(), name, suffix)


_ORG_WORD_IN_PROJECT_RE = re.compile(r"委员会|管委会|[局厅]$")
_GENERIC_PROJECT_ENDS = (
    "建设", "服务", "比赛", "示范", "志愿服务", "公益", "专家", "人才", "帮扶", "培训", "招商", "引资", "农旅", "改建",
    "扩建", "新建", "民生", "惠民", "试点", "合作", "交流", "活动", "计划", "工程", "科技", "体育", "科研", "产业",
)  # fmt: skip


_PROJECT_OPENERS = frozenset(("开始", "建设", "新增", "加装", "完成", "挖掘", "开发"))
"""Verbs that stand before a project's name, not in it (a dictionary verb may: 鼎立高能…项目)."""


_INVEST_IN_STEM_RE = re.compile(r"投资(?!集团|公司|有限|控股|基金|建设|开发|促进|发展|管理)")
"""投资 inside a project's stem ends the prose before the name (投资 + 建设 … is a company)."""


def _past_leading_verbs(text: str, start: int, end: int) -> int:
    """开始建设大铲湾项目 → 大铲湾项目."""
    while end - start > 3:
        size = next((n for n in (3, 2) if text[start : start + n] in _PROJECT_OPENERS), 0)
        if not size or text[start + size] in "区园":  # 开发区·铁山区…项目: 开发 opens a park's name
            break
        start += size
    return start


_PROSE_OPENER_RE = re.compile(r"持续做好|做好|持续推进|坚决遏制|继续|协助|租购|全力保障|积极推进|同意")
"""Prose that stands before a project's name (verbs the dictionary lets inside names)."""
_DESCRIBED_PARK_RE = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:产业园区|园区|产业园)")
_OUTLET_RE = re.compile(r"(?:日报|晚报|新闻网|电视台|融媒体中心|客户端)(?:记者)?")
_AMOUNT_IN_STEM_RE = re.compile(r"[\d千百万亿]+(?:余|多)?万?元")
_ORG_SUFFIXES = ("公司", "集团", "局")
_PHASE_ONLY_RE = re.compile(r"[一二三四五六七八九十]期(?:工程|建设)?")
_JOINERS = ("及", "和", "与")


def _joined_head(text: str, start: int, floor: int) -> int:
    """储能中心和绿电产业园项目, 研发中心及仓储物流中心建设项目: what 和/及 joins is part of the
    name, unless it is a company or a project of its own (引进A公司和B项目)."""
    if text[start - 1 : start] not in _JOINERS:
        return start
    head = _left_edge(text, start - 1, floor, 16, set(), lexicon=True)
    if head is None or start - 1 - head < 2:
        return start
    part = text[head : start - 1]
    if "项目" in part or _SUFFIX_RE.search(part) or part[-2:] in verbs():
        return start  # 柬埔寨援助及投资项目, 焦化及配套项目: kinds of work joined
    # 伏特储能电站及…, 研发中心及…: a named part or a facility; 金属冶炼及深加工 is a kind of work
    return head if part.endswith(_FACILITIES) or not is_ordinary_phrase(part) else start


_CAPACITY_OF_RE = re.compile(f"年产{_NAME_CAPACITY_RE.pattern}的$")


def _with_capacity_before(text: str, start: int, floor: int) -> int:
    """年产5万吨的高性能锂离子电池负极材料项目: a capacity and 的 before the name open it."""
    m = _CAPACITY_OF_RE.search(text, max(floor, start - 14), start)
    return m.start() if m else start


def _project_start(text: str, m: re.Match[str], floor: int) -> int | None:
    """Where the project name ending at ``m`` (项目) begins: the left edge, then past each
    kind of prose the edge can leave in front of a name (verbs, an investment verb, an earlier
    项目 run into it, an opener, a described park, a byline, an owner before a capacity)."""
    # verbs inside a project's name do not end it (固废处理产业园建设项目), verbs before it do
    start = _left_edge(text, m.start(), floor, 40, set(), lexicon=False)
    if start is None or start == m.start():
        return None
    start = _past_leading_verbs(text, start, m.start())
    if m.start() - start >= 3:  # a tail of two (焦化及配套项目, 援助及投资项目) is a kind of work
        start = _past_leading_verbs(text, _joined_head(text, start, floor), m.start())
    invest = [i.end() for i in _INVEST_IN_STEM_RE.finditer(text, start, m.start())]
    if invest and m.start() - invest[-1] >= 4:
        start = invest[-1]  # 在吉尔吉斯斯坦投资熟料水泥生产项目 → 熟料水泥生产项目
    inner = text.rfind("项目", start, m.start())
    if inner >= 0 and m.start() - inner - 2 >= 3:
        start = inner + 2  # …志愿服务项目山东科技职业学院“青春护航…”志愿服务项目: a list run together
    prose = [p.end() for p in _PROSE_OPENER_RE.finditer(text, start, m.start()) if m.start() - p.end() >= 3]
    if prose:
        start = prose[-1]  # 襄州区持续做好圆通襄阳智创园项目 → 圆通襄阳智创园项目
    described = _DESCRIBED_PARK_RE.match(text, start, m.start())
    if described and m.start() - described.end() >= 4 and is_ordinary_phrase(described.group(1)):
        start = described.end()  # 特色产业园区海洋创新园·海立方园（三期）项目: a description before the name
    outlet = _OUTLET_RE.search(text, start, m.start())
    if outlet and m.start() - outlet.end() >= 4:
        start = outlet.end()  # 成都日报毛家湾净水厂项目: a byline left in a saved page's text
    stem = text[start : m.start()]
    capacity = _NAME_CAPACITY_RE.search(stem)
    listed = text[start - 1 : start] == "、" or text[m.end() : m.end() + 1] == "、"
    owned = stem[: capacity.start()].endswith(_LEGAL_SUFFIXES) if capacity else False
    if capacity and capacity.start() > 0 and not (listed or owned) and not re.search(r"\d", stem[: capacity.start()]):
        # 代县雁门王酒业10万吨有机黄酒生产项目 → 10万吨有机黄酒生产项目; an item of a list is
        # named whole (、吉化120万吨乙烯项目、)
        start += capacity.start()
    return _with_capacity_before(text, start, floor)


def _project(text: str, m: re.Match[str], floor: int, gaz: Gazetteer) -> _Cand | None:
    if text.startswith(
        ("办", "部", "组", "库", "群", "化", "制", "负责", "经理", "方", "单位", "数", "建设者"), m.end()
    ):
        return None  # 项目部, 项目负责人, 项目经理, 项目方: people and offices, not a project
    start = _project_start(text, m, floor)
    if start is None:
        return None
    stem = text[start : m.start()]
    if stem.endswith("等") or _COUNT_RE.search(stem) or any(marker in stem for marker in _GENERIC_MARKERS):
        return None
    if _AMOUNT_IN_STEM_RE.search(stem) or stem.endswith(_ORG_SUFFIXES) or _PHASE_ONLY_RE.fullmatch(stem):
        return None  # 千万元级项目, 国网吐鲁番供电公司项目, 二期工程项目: a size, an owner's projects, a phase
    if stem.endswith(_PARK_STRONG) or _EVENT_AFTER_PROJECT_RE.match(text, m.end()):
        return None  # 开发区项目建设, 外资项目集中签约仪式: projects in general, not one project
    places = gaz.scan(stem[:10])
    opening = places[0] if places and places[0].start == 0 else None
    if opening is not None and opening.short and not any(p.level in ("province", "city") for p in opening.places):
        opening = None  # 安多 in 安多集团… is a brand here, not the county
    bare = stem[opening.end :] if opening is not None else stem
    core = _strip_generic(bare.replace("“", "").replace("”", ""))
    if core.endswith(
        ("指定", "品牌", "关爱", "训练", "民生", "相关", "有关", "立法", "医疗", "类", "企业", "性", "获奖")
    ):
        return None
    if _ORG_WORD_IN_PROJECT_RE.search(stem):
        return None  # 开发区管理委员会项目: an organisation's projects in general
    # a capacity (年产10万吨), a phase (二期) or a Latin brand marks one project; a number
    # alone does not (01长盛路… is a list's numbering), nor a slogan in quotes (“即来即办”项目)
    marked = bool(_NAME_CAPACITY_RE.search(stem) or re.search(r"[A-Za-z]{2,}|期|\d+号线", stem))
    # a place and a long description name one project (湖南联合大麦光电制造项目), as does an item
    # of a list of projects (、管道燃气项目、); an institution's projects in general do not
    described = (
        opening is not None and len(core) >= 6 and core[:2] not in verbs() and not core.endswith("中心")
    ) or _in_project_list(text, start, m.end())
    if not marked and not described and is_ordinary_phrase(core):
        return None  # 人才公寓项目, 长效规划项目: a kind of project, not one project
    specific = marked or _has_proper_part(stem, gaz) or _facility_build(core)
    if not specific and (core.endswith(_GENERIC_PROJECT_ENDS) or "“" in stem):
        return None  # 特聘专家项目, 服务项目, “红色物业”示范项目: programmes, not a named project
    if len(core) < (3 if specific or bare != stem else 4):
        return None
    if re.search(r"（[^）]*、", stem):
        return None  # 新（改、扩）建项目: kinds of building work, not one project
    return _Cand("project", start, m.end(), text[start : m.end()], _PROJECT_SUFFIX)


def _in_project_list(text: str, start: int, end: int) -> bool:
    """Whether the project name ``text[start:end]`` is an item of a list of projects
    (…合作项目、管道燃气项目、…产业城项目): a neighbour in the same list is a 项目 too."""
    if text[start - 1 : start] == "、":  # the item before decides: …住房、人才公寓项目、 is no list of projects
        return text[start - 3 : start - 1] == _PROJECT_SUFFIX
    if text[end : end + 1] != "、":
        return False
    item = re.match(r"[^、，。；：！？\n]{2,40}?项目(?=[、，。；和及等])", text[end + 1 : end + 44])
    return item is not None


def _facility_build(core: str) -> bool:
    """固废处理产业园建设项目: building one described facility is one project (园区建设项目, a
    park's building work in general, is not)."""
    facility = core.removesuffix("建设")
    return facility != core and len(facility) >= 5 and facility.endswith(_FACILITIES)


_FACILITIES = ("产业园", "基地", "中心", "电站", "工厂", "医院", "物流园")


def _drop_nested(cands: list[_Cand]) -> list[_Cand]:
    """Drop a candidate that lies inside a longer one of the same kind."""
    by_kind: dict[str, list[_Cand]] = {}
    for cand in cands:
        by_kind.setdefault(cand.kind, []).append(cand)
    kept = []
    for cand in cands:
        if any(
            o is not cand and o.start <= cand.start and cand.end <= o.end and o.end - o.start > cand.end - cand.start
            for o in by_kind[cand.kind]
        ):
            continue
        kept.append(cand)
    return kept


def _reanchor(cands: list[_Cand]) -> list[_Cand]:
    """Cut prose off a company name that ends in another one's bare name (期待稳卓汽车部件有限公司)."""
    companies = [c for c in cands if c.kind == "company"]
    gaz = gazetteer()
    bares = set()
    for cand in companies:
        chain = gaz.scan(cand.name[:8])
        if chain and chain[0].start == 0:
            bares.add(cand.name[chain[0].end :])
    for cand in companies:
        for bare in bares:
            if len(bare) >= 6 and cand.name.endswith(bare) and len(cand.name) > len(bare):
                head = cand.name[: -len(bare)]
                if not gaz.lookup(head) and not (gaz.scan(head) and gaz.scan(head)[0].start == 0):
                    cand.start = cand.end - len(bare)
                    cand.name = bare
                    break
    return cands
