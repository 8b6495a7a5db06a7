"""People in roles: who holds which post in which organisation or place.

News names a post in a few fixed shapes, and each is read here:

- *organisation, titles, person*: 安徽稳卓汽车部件有限公司董事长周伦强; several titles joined by
  、 each count (中国再生资源开发集团有限公司党委书记、董事长葛书院), titles we do not keep
  (党组书记, 市委常委) may stand among them, and 原 / 前 may stand before them; posts in several
  organisations listed before one person are all theirs (北辰集团副总经理、首都会展集团董事长魏明乾);
- *a place whose last character opens the title*: 巫山县委书记曹邦兴, 南京市长季建业;
- *该公司董事长付兴科*: the company named last before it;
- *person first*: 王群出任过七台河市医疗保障局党组书记、局长一职;
- *no place before the title*: 市委书记陈吉宁 in an article about 上海 — the 市 the article names
  most, when one clearly leads (the caller decides which).

A person is a surname from :data:`SURNAMES` plus one or two characters, followed by a pause
or a word that ends a name (表示, 主持, 一行 …); anything else is not read as a name, because
a wrong name in a facts table is worse than a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .context import _Context
from .vocabulary import ROLES, _alternation

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈代"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦"
    "褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
    "佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅"
    "屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修"
    "邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵩帖檀迪"
)
"""Single-character surnames common in mainland news; a name must open with one of them."""
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯",
    "端木", "独孤", "南宫",
)  # fmt: skip

_OTHER_TITLES = (
    "党组书记", "党组副书记", "党组成员", "党委副书记", "党委委员", "党委常委", "党工委副书记", "党工委委员",
    "市委常委", "县委常委", "区委常委", "市委副书记", "县委副书记", "区委副书记", "常务副市长", "常务副县长",
    "常务副区长", "副市长", "副县长", "副区长", "副局长", "副主任", "副总裁", "副书记", "书记", "常委", "委员",
    "法定代表人", "执行董事", "董事会主席", "董事", "监事长", "监事", "首席执行官", "创始人", "总工程师", "总会计师",
    "总监",
)  # fmt: skip
"""Titles that stand among kept ones (党组书记、局长张欢) but are not facts of their own."""
_PREFIXES = ("常务", "执行", "现场", "管委会", "党委", "党工委")
_SAME_ROLE = {"董事会主席": "董事长"}
_STOCK_CODE_RE = re.compile(r"[（(](?:股票代码[:：]?\s?)?(?:[A-Z]{2}\s?)?\d{6}(?:\.[A-Z]{2})?[）)]$")
_ZONE_ORGANS = ("党工委", "管委会")
"""A development zone's party working committee and management committee."""
_BARE_ZONE_RE = re.compile(r"(?:开发区|高新区|经开区|园区|区)$")
"""Titles written another way for a kept role (a Hong Kong-listed company's 董事会主席 is its chairman)."""
_TITLE = rf"(?:常务|执行|现场)?(?:管委会)?(?:{_alternation(ROLES + _OTHER_TITLES)})"
_CHAIN_RE = re.compile(rf"(?P<former>原|前)?(?P<chain>{_TITLE}(?:[、兼]{_TITLE})*)")
_FOLLOW_RE = re.compile(
    r"对此|对|这样|都|的|表示|说|指出|介绍|强调|认为|称|在|一行|等|告诉|透露|坦言|谈到|提到|宣布|主持|出席|致辞|会见|会晤|带领|率队|率|"
    r"共同|为|到|赴|调研|陪同|参加|代表|讲话|受贿|接受|回答|看望|慰问|考察|检查|召开|签署|与|和|及|同|就|向|也|还|带队|"
    r"前往|来到|走访|深入|听取|一同|分别|见证|揭牌|致|发表|作|会谈|座谈|交流|已|被|因|涉嫌|主动|严重|兼|是|作为|"
    r"希望|要求|详细|亲自|先后|随后|首先|热情|出面|利用|曾|于|历任|自|从|此前|出任|担任|任|调任|升任"
)
"""Words that may follow a person's name (so the name ends before them)."""
_SAID = frozenset("说称等")
_PAUSE = frozenset("，。：、（）“”,:；;！？ \n")
_APPOINTED_RE = re.compile(r"(?:出任|担任|兼任|升任|调任|任)(?:过|了)?$")
_TAIL_RE = re.compile(r"一职|职务|期间|时|[，。；、的]")
_REFERENT_RE = re.compile(r"(?:该|这家|此)(?:公司|集团|企业)$")
_SUBJECT_REFERENT_RE = re.compile(r"(?:据悉|据了解|目前|此外|其中)?，?(?:该|这家|此)(?:公司|集团|企业)")
_FORMER_RE = re.compile(r"(?:曾任|时任|原任|前任)[^，。；、：]{0,12}$")
_PLACE_ROLES = {"市委书记": "市", "市长": "市", "县委书记": "县", "县长": "县", "区委书记": "区", "区长": "区"}


@dataclass(frozen=True)
class Holder:
    """An organisation or place as named in the text: its record's name and kind."""

    entity: str
    kind: str
    start: int
    end: int


def _kept(title: str) -> str | None:
    """The kept role a title names (常务副总经理 → 副总经理, 管委会主任 → 主任, 董事会主席 → 董事长),
    else None."""
    title = _SAME_ROLE.get(title, title)
    while title not in ROLES:
        prefix = next((p for p in _PREFIXES if title.startswith(p) and len(title) > len(p)), None)
        if prefix is None:
            return None
        title = title[len(prefix) :]
    return title


def person_at(text: str, pos: int) -> tuple[int, int] | None:
    """The span of a person's name starting at ``pos``, or None when none can be read there."""
    compound = text.startswith(COMPOUND_SURNAMES, pos)
    if not compound and text[pos : pos + 1] not in SURNAMES:
        return None
    lengths = (3, 4) if compound else (2, 3)

    def ends(end: int, *, words: bool) -> bool:
        if not all("\u4e00" <= ch <= "\u9fff" for ch in text[pos:end]) or end > len(text):
            return False
        if end == len(text):
            return not words
        follow = _FOLLOW_RE.match(text, end)
        if words:
            return follow is not None and len(follow.group()) >= 2
        return text[end] in _PAUSE or follow is not None

    for length in lengths:  # a two-character follower word decides first: 刘强调研 → 刘强
        if ends(pos + length, words=True):
            return pos, pos + length
    short = pos + lengths[0]
    if text[short : short + 1] in _SAID and text[short + 1 : short + 2] in _PAUSE:
        return pos, short  # 郭洪说， : 说 ends the name, it is not its last character
    for length in reversed(lengths):
        if ends(pos + length, words=False):
            return pos, pos + length
    return None


def _subject_person(text: str, clause_start: int, verb_start: int) -> tuple[int, int] | None:
    """王群出任过…: the person who opens the clause in which they were appointed."""
    pos = clause_start
    if text.startswith("被告人", pos):
        pos += 3
    span = person_at(text, pos)
    return span if span is not None and span[1] <= verb_start else None


class RoleReader:
    """Finds (holder, role, person span) in one article; see the module docstring."""

    def __init__(
        self,
        ctx: _Context,
        holders: Sequence[Holder],
        places: dict[int, Holder],
        implicit: dict[str, Holder] | None = None,
        subject: Callable[[int], Holder | None] | None = None,
    ):
        self.ctx = ctx
        self.subject = subject  # the company a bare 公司 at a position refers to (facts' reading)
        self.implicit = implicit or {}  # 市 → the article's city, for a title with no place before it
        self.text = ctx.text
        self.by_end: dict[int, Holder] = {}
        for holder in sorted(holders, key=lambda h: h.end - h.start):
            self.by_end[holder.end] = holder  # the longest name ending at a position wins
        self.places = places  # id(Place) → the record of that place
        self.companies = sorted((h for h in holders if h.kind == "company"), key=lambda h: h.start)

    def find(self) -> list[tuple[str, str, int, int]]:
        found = []
        pending: list[tuple[int, Holder, str]] = []  # 北辰集团副总经理、 … waiting for its person
        for m in _CHAIN_RE.finditer(self.text):
            start = m.start()
            holder = self._holder(start, m.start("chain"))
            if holder is None:
                continue
            person = person_at(self.text, m.end()) or self._after_word(start, m.end())
            if person is None:
                person = self._appointed(holder, m.end())
            if person is None:
                if self.text.startswith("、", m.end()):
                    pending.append((m.end() + 1, holder, m.group("chain")))
                continue
            # 北辰集团副总经理、首都会展集团董事长魏明乾: the posts listed before share the person
            posts = [(h, c) for after, h, c in pending if _one_name_between(self.text, after, start)]
            pending = []
            held = [*posts, (holder, m.group("chain"))]
            # 株洲高新区党工委书记邬凌云、管委会主任刘智勇: the next person listed holds a post there too
            people = [(person, held)]
            while self.text.startswith("、", person[1]) and (more := _CHAIN_RE.match(self.text, person[1] + 1)):
                nxt = person_at(self.text, more.end())
                if nxt is None:
                    break
                person = nxt
                people.append((person, [(holder, more.group("chain"))]))
            for (p_start, p_end), posts_held in people:
                for post_holder, chain in posts_held:
                    for title in re.split("[、兼]", chain):
                        role = _kept(title)
                        if role is not None and _fits(role, post_holder.kind):
                            found.append((post_holder.entity, role, p_start, p_end))
        return found

    def _holder(self, start: int, chain: int) -> Holder | None:
        text = self.text
        if code := _STOCK_CODE_RE.search(text, max(0, start - 16), start):
            start = code.start()  # 力诺特玻（SZ 301188）总经理杨中辰: the listing code is no part of the title
        holder = self.by_end.get(start)
        if holder is not None and holder.kind != "project":
            return holder
        # 巫山县委书记, 南京市长: the place's last character opens the title
        for match in self._places_ending(chain + 1):
            if text[chain] == match[1][-1]:
                return match[0]
        sentence_start = self.ctx.spans[self.ctx.locate(start)][0] if start < len(text) else start
        opened = text[start - 1 : start] in _PAUSE and _SUBJECT_REFERENT_RE.match(text, sentence_start)
        bare = text[start - 2 : start] == "公司" and text[start - 3 : start - 2] in (*_PAUSE, "由", "经", "据", "")
        if _REFERENT_RE.search(text, max(0, start - 4), start) or opened or bare:  # 。公司董事长李永战
            # 该公司董事长付兴科; 据悉，该公司成立于…，法定代表人、董事长为马化腾
            chosen = self.subject(start) if self.subject is not None else None
            if chosen is not None:
                return chosen
            before = [h for h in self.companies if h.end <= start]
            return before[-1] if before else None
        implicit = self.implicit.get(text[chain])
        if implicit is not None and (start == 0 or text[start - 1] in _PAUSE):
            return implicit  # 市委书记陈吉宁，… in an article about 上海
        if text.startswith(_ZONE_ORGANS, chain):  # 区党工委书记、管委会主任王旭东 in an article about one zone
            zone = _BARE_ZONE_RE.search(text, max(0, start - 4), start)
            zone_start = zone.start() if zone else start
            if zone_start == 0 or text[zone_start - 1] in _PAUSE:
                return self.implicit.get("园")
        return None

    def _places_ending(self, end: int) -> list[tuple[Holder, str]]:
        found = []
        for match in self.ctx.places:
            if match.end == end:
                for place in match.places:
                    holder = self.places.get(id(place))
                    if holder is not None:
                        found.append((holder, match.surface))
                        break
        return found

    def _after_word(self, start: int, chain_end: int) -> tuple[int, int] | None:
        """曾任南京市委书记的杨卫泽, 董事长、总经理为马化腾: the person after 的 (a former post,
        said so before the organisation) or after 为."""
        text = self.text
        if text.startswith("为", chain_end):
            return person_at(text, chain_end + 1)
        if text.startswith("的", chain_end) and _FORMER_RE.search(text[max(0, start - 16) : start]):
            return person_at(text, chain_end + 1)
        return None

    def _appointed(self, holder: Holder, chain_end: int) -> tuple[int, int] | None:
        text = self.text
        if not _TAIL_RE.match(text, chain_end):
            return None
        index = self.ctx.locate(holder.start)
        sentence_start = self.ctx.spans[index][0]
        verb = _APPOINTED_RE.search(text, sentence_start, holder.start)
        if verb is None:
            return None
        clause_start = max(sentence_start, *(text.rfind(p, sentence_start, verb.start()) + 1 for p in "，；：。"))
        return _subject_person(text, clause_start, verb.start())


def _one_name_between(text: str, after: int, start: int) -> bool:
    """Whether only one organisation's name stands between a listed post and the next one."""
    return after < start <= after + 20 and not any(ch in _PAUSE for ch in text[after:start])


def _fits(role: str, kind: str) -> bool:
    """市委书记 is a place's, 镇长 a town's, 董事长 an organisation's (a park's 主任, a town's 党委书记)."""
    if role in _PLACE_ROLES:
        return kind == "place"
    if role == "镇长":
        return kind == "town"
    return kind in ("company", "park", "town")
