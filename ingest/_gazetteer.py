"""The place gazetteer behind entity extraction: province → city → county → town.

The data is ``ingest/data/places.tsv`` (built by ``bench/build_gazetteer.py`` from jionlp's
administrative-division dictionary, Apache License 2.0). It is read once, lazily, under a lock,
because extraction runs for every ingested article and the file is half a megabyte.

Lookup is by surface form: full names (忻州市, 定襄县, 砂河镇) and, for provinces, cities and
counties, the short names people write (忻州, 定襄). Short names that are also common words
(合作, 光明, 东方 …) are left out: a place written that way is read as the word.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ._lexicon import known_words

PlaceLevel = Literal["province", "city", "county", "town"]

DATA_FILE = Path(__file__).resolve().parent / "data" / "places.tsv"
_LEVELS: dict[str, PlaceLevel] = {"P": "province", "C": "city", "D": "county"}

_COMMON_WORD_SHORTS = frozenset(
    str.split("""
    合作 和平 武功 平原 比如 南部 长安 解放 东方 前进 港口 公安 友好 通道 共和 城中 城区 友谊 平安 中方 凤凰
    安定 延长 光明 新兴 运河 东风 红旗 万年 光泽 南岸 城北 城南 城东 城西 会同 工农 大名 富裕 清水 高明 前锋
    复兴 长子 清新 宏伟 平定 芙蓉 洞口 太和 温泉 石门 向阳 郊区 矿区 三元 振兴 大方 互助 新华 金台 建平 莲花
    平和 名山 宁远 黄龙 石林 六合 石柱 龙泉 白云 桃源 古田 建华 文昌 三门 大观 建安 永和 二七 台前 金山 方城
    石棉 丰满 双桥 月湖 保康 文峰 高台 九龙 二道 无为 河间 民权 小店 同心 宝塔 元宝 新城 城关 河口 江南 江北
    南山 北海 中山 白山 大同 大理 白银 玉树 阿里 和田 红河 普洱 来宾 黄山 泰山 海东 海北 滨海 清河 永安 朝阳
    市中 河东 河西 开发 高新 新区 东区 西区 南区 北区 中区 长江 黄河 珠江 东海 南海 西湖 东湖 青山 金水 和顺
    安宁 安远 长寿 永定 新民 太平 临江 江城 江口 海城 海港 东港 兴安 资源 龙江 富民 三都 仁和 仁寿 合江 东兴
    城口 石首 通化 日照 保定 中原
    """)
)
"""Short names that are far more often ordinary words or other names than the place (the full
names, 合作市 or 大同市, are still found)."""

_GENERIC_FULL = frozenset({"城区", "郊区", "矿区", "市辖区", "新区", "东区", "西区", "南区", "北区", "中区"})


@dataclass(frozen=True, eq=False, slots=True)
class Place:
    """One unit of the gazetteer. ``parent`` is the unit above (county → city → province)."""

    name: str
    short: str
    level: PlaceLevel
    parent: Place | None = field(default=None, repr=False)

    def ancestors(self) -> tuple[Place, ...]:
        """The units above this one, nearest first."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return tuple(chain)


@dataclass(frozen=True)
class PlaceMatch:
    """A gazetteer name found in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    places: tuple[Place, ...]
    short: bool


class Gazetteer:
    """Surface form → places, and a scanner that finds them in a text.

    Scanning indexes names by their first two characters, so a 700-character article costs
    about one dictionary lookup per character.
    """

    def __init__(self, places: list[Place]) -> None:
        surfaces: dict[str, list[tuple[Place, bool]]] = defaultdict(list)
        for place in places:
            if len(place.name) >= 2 and place.name not in _GENERIC_FULL:
                surfaces[place.name].append((place, False))
            short = place.short
            if place.level != "town" and len(short) >= 2 and short != place.name and short not in _COMMON_WORD_SHORTS:
                surfaces[short].append((place, True))
        self._surfaces = {key: tuple(value) for key, value in surfaces.items()}
        self._all_shorts = frozenset(p.short for p in places if p.level != "town" and len(p.short) >= 2)
        words = known_words()
        self._town_shorts = frozenset(_town_short(p.name, words) for p in places if p.level == "town") - {""}
        index: dict[str, list[str]] = defaultdict(list)
        for surface in self._surfaces:
            index[surface[:2]].append(surface)
        self._index = {key: tuple(sorted(value, key=len, reverse=True)) for key, value in index.items()}
        self.places = tuple(places)

    def lookup(self, surface: str) -> tuple[tuple[Place, bool], ...]:
        """The places written ``surface``, each with whether that is its short name."""
        return self._surfaces.get(surface, ())

    def contains_any_short(self, text: str) -> bool:
        """Whether ``text`` contains any place's short name, common-word ones included
        (永安 in 永安工业园 is a place even though 永安 alone is not read as one)."""
        shorts = self._all_shorts
        return any(text[i : i + n] in shorts for i in range(len(text) - 1) for n in (2, 3, 4))

    def opens_with_town(self, text: str) -> bool:
        """Whether ``text`` opens with a town's name without 镇/乡/街道 (莘庄 in 莘庄工业区,
        大碶 in 大碶灵峰工业园区); such short names are not scanned for, being too often words."""
        return any(text[:n] in self._town_shorts for n in (3, 2) if len(text) >= n)

    def scan(self, text: str) -> list[PlaceMatch]:
        """Non-overlapping gazetteer names in ``text``, left to right, longest first."""
        found = []
        i, n = 0, len(text) - 1
        index = self._index
        while i < n:
            candidates = index.get(text[i : i + 2])
            if candidates:
                for surface in candidates:
                    if text.startswith(surface, i):
                        entries = self._surfaces[surface]
                        found.append(
                            PlaceMatch(
                                i,
                                i + len(surface),
                                surface,
                                tuple(place for place, _ in entries),
                                all(short for _, short in entries),
                            )
                        )
                        i += len(surface)
                        break
                else:
                    i += 1
            else:
                i += 1
        return found


def _town_short(name: str, words: frozenset[str]) -> str:
    """莘庄镇 → 莘庄; '' when what is left is one character or an everyday word (新城镇)."""
    for suffix in ("街道", "镇", "乡"):
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            return rest if len(rest) >= 2 and rest not in words else ""
    return ""


def _read_places(path: Path) -> list[Place]:
    places: list[Place] = []
    province: Place | None = None
    city: Place | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        tag, name, short = fields[0], fields[1], fields[2]
        towns = fields[3].split() if len(fields) > 3 else []
        if tag == "P":
            province = Place(name, short, "province")
            city = None
            places.append(province)
            continue
        if tag == "C":
            if province is not None and name == province.name:
                city = province  # a municipality (上海市) is its own city
                continue
            city = Place(name, short, "city", province) if name else None
            if city is not None:
                places.append(city)
            continue
        parent = city or province
        county = Place(name, short, "county", parent) if tag == "D" else None
        if county is not None:
            places.append(county)
        places.extend(Place(town, "", "town", county or parent) for town in towns)
    return places


_lock = threading.Lock()
_cached: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The shared gazetteer, read from :data:`DATA_FILE` on first use (thread-safe)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = Gazetteer(_read_places(DATA_FILE))
    return _cached
