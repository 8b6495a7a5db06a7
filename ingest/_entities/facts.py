"""Figures, dated events, designations and people in roles, each given to the entity it is
about (precision first: a wrong figure is worse than a missing one).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .._lexicon import is_ordinary_phrase, verbs
from .._types import Span
from .context import _Context
from .records import _Entity
from .regions import most_named
from .roles import Holder, RoleReader
from .types import DATE_ATTRIBUTES, Attribute, EntityKind, FactRecord
from .vocabulary import (
    _CLAUSE_END,
    _COUNT_RE,
    _COUNT_SUBJECT_RE,
    _DATE_RE,
    _DESIGNATION_END_RE,
    _DESIGNATION_RE,
    _EVENT_PATTERNS,
    _FACT_PATTERNS,
    _LISTED,
    _MORE_CAPACITY_RE,
    _MULTIPLIERS,
    _NAME_CAPACITY_RE,
    _PARTY_RE,
    _REFERENT_RE,
    _TIME_RE,
    _UNIT_NORMAL,
)

# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class _Occurrence:
    entity: str
    kind: EntityKind
    start: int
    end: int
    quoted: bool


def normalise_amount(value: str) -> tuple[float | None, str]:
    """Number and normalised unit of an amount as printed: "170亿元" → (1.7e10, "元").

    >>> normalise_amount("3000余万元")
    (30000000.0, '元')
    >>> normalise_amount("10.9万平方米")
    (109000.0, '平方米')
    """
    m = re.match(r"(?P<num>\d+(?:\.\d+)?)(?:余|多)?(?P<mult>万亿|亿|万|千)?(?P<unit>.*)$", value)
    if not m:
        return None, ""
    number = float(m.group("num")) * _MULTIPLIERS.get(m.group("mult") or "", 1.0)
    unit = m.group("unit") or ("元" if m.group("mult") in ("亿", "万亿") else "")
    if unit == "万千瓦":
        number *= 1e4
    return round(number, 6), _UNIT_NORMAL.get(unit, unit)


def _clause_spans(text: str, sentence: Span) -> list[Span]:
    spans = []
    start = sentence[0]
    for i in range(sentence[0], sentence[1]):
        if text[i] in _CLAUSE_END or text.startswith("——", i):
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < sentence[1]:
        spans.append((start, sentence[1]))
    return spans


_MODIFIER_RE = re.compile(r"[^，。；的]{0,6}的")
_CONTINUES_RE = re.compile(r"(?:预计|计划|将|建成后|达产后|投产后|全部投产|全部建成|项目建成|届时|建成投产后)")
_SUBJECT_HEAD_RE = re.compile(r"(?:在|据|截至|今年|去年|目前|近年来|\d{4}年|[\u4e00-\u9fff]{2,3}\s?摄\s?)")
"""What may stand before a clause's subject; 魏强摄 is a photo credit left in a saved page's text."""


class _Sentence:
    """One sentence's clauses, the entities in it and the subject each clause carries."""

    def __init__(
        self,
        text: str,
        span: Span,
        occurrences: list[_Occurrence],
        last_project: _Occurrence | None,
        last_company: _Occurrence | None,
        carried: _Occurrence | None,
    ):
        self.span = span
        self.clauses = _clause_spans(text, span)
        self.occurrences = [o for o in occurrences if span[0] <= o.start and o.end <= span[1]]
        self.subjects: list[_Occurrence | None] = []
        # a sentence with no name of its own that goes on about the project of the one before
        current = carried if not self.occurrences and _CONTINUES_RE.match(text, span[0]) else None
        for c_start, c_end in self.clauses:
            opener = None
            for occ in self.occurrences:
                if c_start <= occ.start < c_end and not occ.quoted:
                    head = text[c_start : occ.start]
                    # 在原平市，… opens a clause, but not 在济宁市上半年观摩会中
                    if (not head or _SUBJECT_HEAD_RE.fullmatch(head)) and (head != "在" or occ.end >= c_end - 1):
                        opener = occ
                        # 绵阳市游仙区…: the last unit of a chain of places is the subject
                        for nxt in self.occurrences:
                            if nxt.start == opener.end and nxt.kind == "place" and opener.kind == "place":
                                opener = nxt
                    break
            referent = _REFERENT_RE.match(text, c_start)
            if opener is not None:
                # 勃林格殷格翰工厂屋顶的太阳能发电系统: the name only qualifies the subject
                current = None if _MODIFIER_RE.match(text, opener.end, c_end) else opener
            elif referent is not None:
                head = referent.group("head")
                if head == "公司":  # 公司先后投入122亿元: this sentence's company, else the one before
                    if current is None or current.kind != "company":
                        current = last_company if text[c_start : c_start + 4] not in ("公司方面", "公司表示") else None
                else:
                    current = last_project if last_project is not None and head in last_project.entity else None
            elif text[c_start : c_start + 1] in '“"' or text[c_start - 1 : c_start] in "：:":
                current = None  # quoted speech has subjects of its own
            self.subjects.append(current)

    def clause_at(self, k: int) -> int:
        for index, (start, end) in enumerate(self.clauses):
            if start <= k < end:
                return index
        return len(self.clauses) - 1


class _FactFinder:
    def __init__(self, ctx: _Context, records: list[_Entity], implicit: dict[str, _Entity]) -> None:
        self.ctx = ctx
        self.implicit = implicit  # regions.implicit_units: the place a bare 市委书记 belongs to
        self.text = ctx.text
        self.records = records
        occurrences = []
        for record in records:
            for start, end in record.spans():
                quoted = self.text[start - 1 : start] == "“" and self.text[end : end + 1] == "”"
                occurrences.append(_Occurrence(record.name, record.kind, start, end, quoted))
        self.occurrences = sorted(occurrences, key=lambda o: (o.start, -o.end))
        self.projects = sorted(
            (o for o in self.occurrences if o.kind == "project" and not o.quoted), key=lambda o: o.end
        )
        self._project_ends = [o.end for o in self.projects]
        self._starts = [o.start for o in self.occurrences]  # sentences take their slice by bisection
        names = {r.name for r in records if r.kind == "project"}
        self.redirect = {r.name: r.name + "项目" for r in records if r.kind == "park" and r.name + "项目" in names}
        self.facts: list[FactRecord] = []
        self.seen: set[tuple[str, str, int]] = set()
        self._sentences: dict[int, _Sentence] = {}

    def sentence(self, index: int) -> _Sentence:
        if index not in self._sentences:
            span = self.ctx.spans[index]
            earlier = self.projects[: bisect.bisect_right(self._project_ends, span[0])]
            company = self._subject_company(index)
            carried = None
            if index > 0 and self.ctx.paragraphs[index - 1] == self.ctx.paragraphs[index]:
                before = self.sentence(index - 1)
                first = before.subjects[0] if before.subjects else None
                if first is not None and first.kind == "project":
                    carried = first
            lo, hi = bisect.bisect_left(self._starts, span[0]), bisect.bisect_left(self._starts, span[1])
            self._sentences[index] = _Sentence(
                self.text,
                span,
                self.occurrences[lo:hi],
                earlier[-1] if earlier else None,
                company,
                carried,
            )
        return self._sentences[index]

    def _subject_company(self, index: int) -> _Occurrence | None:
        """The company that last opened a clause before sentence ``index`` (湖北容百…有限公司是
        宁波容百…的全资子公司。…公司先后投入…: the subject, not the parent named after it)."""
        for k in range(index - 1, max(-1, index - 4), -1):
            subjects = [o for o in self.sentence(k).subjects if o is not None and o.kind == "company"]
            if subjects:
                return subjects[-1]
        return None

    def emit(self, entity: str, attribute: Attribute, start: int, end: int, period: str) -> None:
        entity = self.redirect.get(entity, entity)
        if (entity, attribute, start) in self.seen:
            return
        self.seen.add((entity, attribute, start))
        value = self.text[start:end]
        index = self.ctx.locate(start)
        number, unit = (None, "") if attribute in DATE_ATTRIBUTES else normalise_amount(value)
        self.facts.append(
            FactRecord(
                entity,
                attribute,
                value,
                number,
                unit,
                period,
                start,
                end,
                self.ctx.spans[index],
                self.ctx.paragraphs[index],
            )
        )

    def run(self, records: list[_Entity]) -> list[FactRecord]:
        text = self.text
        for index in range(len(self.ctx.spans)):  # in order: each sentence reads the ones before it
            self.sentence(index)
        for record in records:  # capacity written into a project's name: 年产120万件…项目
            if record.kind == "project" and record.name in record.forms:
                m = _NAME_CAPACITY_RE.search(record.name)
                if m:
                    base = record.forms[record.name][0][0]
                    self.emit(record.name, "产能", base + m.start("num"), base + m.end("unit"), "")
        for attribute, pattern in _FACT_PATTERNS:
            for m in pattern.finditer(text):
                self._amount(attribute, m)
        for attribute, pattern in _EVENT_PATTERNS:
            for m in pattern.finditer(text):
                self._event(attribute, m)
        for m in _DESIGNATION_RE.finditer(text):
            self._designation(m)
        self._roles()
        unique: dict[tuple[str, str, str], FactRecord] = {}
        for fact in sorted(self.facts, key=lambda f: f.start):
            unique.setdefault((fact.entity, fact.attribute, fact.value), fact)
        return list(unique.values())

    def _amount(self, attribute: Attribute, m: re.Match[str]) -> None:
        text, k = self.text, m.start()
        if self.ctx.quote_around(m.start("num"), m.end("unit")) is not None:
            return  # a slogan or target in quotes, not a reported figure
        sentence = self.sentence(self.ctx.locate(k))
        index = sentence.clause_at(k)
        c_start, c_end = sentence.clauses[index]
        rest = text[m.end() : c_end]
        owner = self._owner(sentence, index, k, m.start("num"), attribute)
        if owner is None:
            owner = self._described(sentence, m.end(), c_end)
            if owner is not None:  # 总投资102.3亿元的耀宁锂离子电池项目: the figure describes the name after it
                period = _period(text, sentence.span[0], c_start, k)
                self.emit(owner.entity, attribute, m.start("num"), m.end("unit"), period)
            return
        between = text[max(owner.end, sentence.span[0]) : k]  # a subject carried in: this sentence only
        if _COUNT_SUBJECT_RE.search(between):
            return
        if owner.kind != "project" and ("项目" in between or "一批" in between):
            return  # 服务一批…重点项目，总投资达459亿元: the figure is about those projects
        if attribute != "就业" and re.search(r"带动|拉动", text[c_start:k]) and not owner.start >= c_start:
            return  # 带动…新增产值: an indirect effect, not the entity's own figure
        if not (owner.start <= k < owner.end) and ("项目" in rest or re.match(r"[^，。；]{0,6}的", rest)):
            return  # the figure describes something else named after it
        period = _period(text, sentence.span[0], c_start, k)
        self.emit(owner.entity, attribute, m.start("num"), m.end("unit"), period)
        if attribute == "产能":
            more = _MORE_CAPACITY_RE.match(text, m.end(), c_end)
            if more:
                self.emit(owner.entity, attribute, more.start("num"), more.end("unit"), period)

    def _described(self, sentence: _Sentence, end: int, c_end: int) -> _Occurrence | None:
        """The project or park a figure opens, in 总投资X亿元的…项目: named right after 的."""
        if not self.text.startswith("的", end):
            return None
        after = [o for o in sentence.occurrences if o.start == end + 1 and o.end <= c_end and not o.quoted]
        return next((o for o in after if o.kind in ("project", "park")), None)

    def _owner(self, sentence: _Sentence, index: int, k: int, num: int, attribute: Attribute) -> _Occurrence | None:
        """Who a figure belongs to: the entity whose name holds it, the one named before it in
        its clause, else the subject carried from an earlier clause (a project named there wins
        for project figures)."""
        c_start, c_end = sentence.clauses[index]
        inside = [o for o in sentence.occurrences if c_start <= o.start < c_end and not o.quoted]
        holding = [o for o in inside if o.start <= num < o.end]
        if holding:
            return holding[-1]
        before = [o for o in inside if o.end <= k]
        if before:  # the name that ends last, the longest of those: not one nested inside it
            last = max(before, key=lambda o: (o.end, o.end - o.start))
            between = self.text[last.end : k]
            return last if "的" not in between and len(between) <= 14 else None
        if any(o.start >= k for o in inside):
            return None
        subject = sentence.subjects[index]
        if subject is None:
            return None
        if attribute in ("总投资", "投资", "面积", "产能", "产值") and subject.kind != "project":
            projects = [
                o for o in sentence.occurrences if subject.start <= o.start and o.end <= k and o.kind == "project"
            ]
            if projects:
                return projects[-1]
        return subject

    def _event(self, attribute: Attribute, m: re.Match[str]) -> None:
        text, k = self.text, m.start()
        sentence = self.sentence(self.ctx.locate(k))
        index = sentence.clause_at(k)
        c_start, c_end = sentence.clauses[index]
        inside = [o for o in sentence.occurrences if c_start <= o.start < c_end and not o.quoted]
        owners = [o for o in inside if o.end <= k and o.kind == "project"]
        if not owners:  # a park only when it is the clause's subject, not where something happens
            owners = [o for o in inside if o.end <= k and o.kind == "park" and text[o.start - 1 : o.start] != "在"]
        owner = owners[-1] if owners else None
        if owner is None and attribute == "签约":  # 与商河县政府签订了三期高端药用包材项目建设的合作协议
            owner = next(
                (o for o in inside if o.kind == "project" and text[m.end() : o.start] in ("", "了", "了关于")), None
            )
        if owner is None and not any(o.end <= k for o in inside):
            subject = sentence.subjects[index]
            owner = subject if subject is not None and subject.kind in ("project", "park") else None
        if attribute == "签约":
            self._parties(m)
            self._signed_list(m)
        if owner is None or (attribute == "签约" and owner.kind != "project"):
            return
        dates = [d for d in _DATE_RE.finditer(text, c_start, k) if not text[d.end() : d.end() + 1].isdigit()]
        if not dates and index > 0:
            head_start, head_end = sentence.clauses[0]
            if not any(head_start <= o.start < head_end and o.kind != "place" for o in sentence.occurrences):
                dates = [d for d in _DATE_RE.finditer(text, head_start, head_end) if _ends_clause(text, d, head_end)]
        if not dates or (text[dates[-1].start() - 1 : dates[-1].start()] in ("从", "自") and dates[-1].end() < k):
            return  # 自2021年以来…开工: a period, but 自2021年6月开工建设 is the day it started
        if text[dates[-1].end() : dates[-1].end() + 1] in ("前", "后", "起") or _COUNT_RE.match(text, m.end()):
            return  # 年底前…投产一批: a deadline for projects in general
        if text.startswith(("一批", "一批次"), m.end()):
            return
        self.emit(owner.entity, attribute, dates[-1].start(), dates[-1].end(), "")
        if attribute == "签约":  # the parties that sign it: 兴县经济技术开发区与安徽稳卓…公司…签约
            for o in sentence.occurrences:  # and a company that opens its name: 德国X公司…基地项目签约
                if o.kind == "company" and o.start == owner.start and o.end < owner.end:
                    self.emit(o.entity, attribute, dates[-1].start(), dates[-1].end(), "")
            for party in inside:
                if party.end <= owner.start and party.kind in ("company", "park") and _PARTY_RE.match(text, party.end):
                    self.emit(party.entity, attribute, dates[-1].start(), dates[-1].end(), "")
                    partner = _PARTY_RE.match(text, party.end)
                    other = next((o for o in inside if partner and o.start == partner.end()), None)
                    if other is not None and other.kind in ("company", "park"):
                        self.emit(other.entity, attribute, dates[-1].start(), dates[-1].end(), "")

    def _parties(self, m: re.Match[str]) -> None:
        """The companies and parks that sign, dated in their clause or at its sentence's head:
        当天，中国银行和甘肃国投集团与…企业签署了协议 → both signed 当天."""
        text, k = self.text, m.start()
        sentence = self.sentence(self.ctx.locate(k))
        index = sentence.clause_at(k)
        c_start, _ = sentence.clauses[index]
        inside = [o for o in sentence.occurrences if c_start <= o.start and o.end <= k and not o.quoted]
        parties = [
            o
            for o in inside
            if o.kind in ("company", "park")
            and text[o.start - 1 : o.start] not in ("在", "于", "由", "经", "据")
            and not _PARTY_NOT_RE.match(text, o.end)
        ]
        joined = text[parties[0].start - 1 : parties[0].start] in ("与", "和", "同") if parties else False
        if not parties or not (joined or _PARTY_JOIN_RE.search(text, parties[0].end, k)):
            return  # 上海市人民政府与中国长江三峡集团有限公司今天签署: joined to a party we do not keep
        dates = _sign_dates(text, c_start, k)
        if not dates and index > 0:
            head_start, head_end = sentence.clauses[0]
            head = _SIGN_DATE_RE.match(text, head_start, head_end)
            dates = [head] if head and _ends_clause(text, head, head_end) else []
        if not dates or text[dates[-1].end() : dates[-1].end() + 1] in ("前", "后", "起"):
            return
        date = dates[-1]
        if date.group() in _SAME_DAY:  # 18日从阿斯利康获悉，当天其与…签署: the day named before
            named = [d for d in _SIGN_DATE_RE.finditer(text, sentence.span[0], date.start()) if d.group()[0].isdigit()]
            if not named and date.group() in ("今日", "今天"):
                return  # 今日 with no date before it: the day of a page we do not know
            date = named[-1] if named else date
        for party in parties:
            self.emit(party.entity, "签约", date.start(), date.end(), "")

    def _signed_list(self, m: re.Match[str]) -> None:
        """一批合作项目正式签约，其中包括白银公司与哈萨克斯坦矿业公司30万吨铜冶炼项目，… : the
        companies and projects listed after the signing share its date (in its clause, or
        opening the sentence: 21日在兰州举行的…上)."""
        text, k = self.text, m.start()
        sentence = self.sentence(self.ctx.locate(k))
        index = sentence.clause_at(k)
        if index + 1 >= len(sentence.clauses) or text[m.end() : m.end() + 1] not in "，,：:":
            return
        list_start = sentence.clauses[index + 1][0]
        if not _SIGNED_LIST_RE.match(text, list_start):
            return
        c_start = sentence.clauses[index][0]
        dates = _sign_dates(text, c_start, k)
        if not dates:
            head = _SIGN_DATE_RE.match(text, sentence.span[0])
            dates = [head] if head and text[head.end() : head.end() + 1] in ("在", "，", ",") else []
        if not dates:
            return
        listed = [o for o in sentence.occurrences if o.start >= list_start and not o.quoted]
        for o in listed:
            if o.kind in ("company", "park", "project") and text[o.start - 1 : o.start] not in ("在", "于", "由", "为"):
                self.emit(o.entity, "签约", dates[-1].start(), dates[-1].end(), "")

    def _roles(self) -> None:
        """People in roles (``roles``): 安徽稳卓汽车部件有限公司董事长周伦强 →
        (安徽稳卓汽车部件有限公司, 董事长, 周伦强)."""
        holders = [Holder(o.entity, o.kind, o.start, o.end) for o in self.occurrences if not o.quoted]
        places = {
            id(r.place): Holder(r.name, r.kind, *min(r.spans()))
            for r in self.records
            if r.kind == "place" and r.place is not None
        }
        implicit = {unit: Holder(r.name, "place", *min(r.spans())) for unit, r in self.implicit.items()}
        zone = most_named([r for r in self.records if r.kind == "park"])
        if zone is not None:  # the zone a bare 区党工委 means
            implicit["园"] = Holder(zone.name, "park", *min(zone.spans()))
        reader = RoleReader(self.ctx, holders, places, implicit, subject=self._subject_at)
        for entity, role, start, end in reader.find():
            self.emit(entity, role, start, end, "")  # type: ignore[arg-type]

    def _subject_at(self, k: int) -> Holder | None:
        """The company the clause at ``k`` is about, as the figures read it (公司先后投入…: this
        sentence's company, else the company that last opened a sentence)."""
        sentence = self.sentence(self.ctx.locate(k))
        subject = sentence.subjects[sentence.clause_at(k)]
        if subject is None or subject.kind != "company":
            return None
        return Holder(subject.entity, subject.kind, subject.start, subject.end)

    def _designation(self, m: re.Match[str]) -> None:
        text, k = self.text, m.start()
        attribute: Attribute = "入选" if m.group().startswith(_LISTED) else "获批"
        sentence = self.sentence(self.ctx.locate(k))
        index = sentence.clause_at(k)
        c_start, c_end = sentence.clauses[index]
        v_start = m.end()
        if text.startswith("“", v_start):
            close = text.find("”", v_start, c_end)
            if close <= v_start + 1:
                return
            v_start, v_end = v_start + 1, close
        else:
            cut = re.search(r"[，。；！？、（]", text[v_start:c_end])
            v_end = v_start + (cut.start() if cut else c_end - v_start)
        value = text[v_start:v_end]
        if m.group() == "进入" and not re.search(r"(?:强|榜|名单|TOP\d+)$", value):
            return  # 进入运营阶段, 进入园区: only a ranking is entered as an honour
        if len(value) < 4 or re.search(r"\d+[家个项]$", value) or "”" in text[c_start:k]:
            return
        after = text[v_end + (1 if text[v_end : v_end + 1] == "”" else 0) : c_end]
        if re.match(r"[^，。；]{0,12}的", after):
            return  # 普陀区入选“海聚基地”的7个园区平台: the honour belongs to what follows 的
        if not _DESIGNATION_END_RE.search(value.rstrip("”")) or is_ordinary_phrase(value[:2]) and value[:2] in verbs():
            return  # 获批建设…以来: not the name of what it became
        inside = [o for o in sentence.occurrences if c_start <= o.start < c_end and not o.quoted]
        before = [o for o in inside if o.end <= k]
        if not before and re.search(r"项目|\d+[个家项]|[一二三四五六七八九十两]+[个家项]", text[c_start:k]):
            return  # 三个项目全部入选…: the clause has a subject of its own
        if before:
            gap = _GROUP_RE.sub("", text[before[-1].end : k], count=1)
            if len(gap) > 6 or gap.strip("正式成功已经也还被新顺利") != "":
                return
            owners = [before[-1]]
            for occ in reversed(before[:-1]):
                if text[occ.end : owners[0].start] in ("和", "、", "及", "与"):
                    owners.insert(0, occ)
                else:
                    break
        else:
            if any(o.quoted and c_start <= o.start < k for o in sentence.occurrences):
                return
            subject = sentence.subjects[index]
            if subject is None:
                return
            owners = [subject]
        for owner in owners:
            if value.endswith("项目") and owner.kind != "project":
                continue  # 盛佳食品…新建…，并被列为省重点项目: a project was listed, not the company
            self.emit(owner.entity, attribute, v_start, v_end, "")


_GROUP_RE = re.compile(r"^等(?:\d+|[一二三四五六七八九十两]+)?[家个座]?(?:城市|企业|单位|园区|地区|县|市)?")
"""郑州、濮阳、新乡等城市被评为…: the names listed before it share the designation."""
_SIGN_DATE_RE = re.compile(rf"{_DATE_RE.pattern}|(?<![\d月])\d{{1,2}}日|当天|当日|今日|今天")
_SAME_DAY = ("当天", "当日", "今日", "今天")
"""Words for the day a sentence has already named (IT之家7月28日消息，…今日签署 → 7月28日)."""
_PARTY_JOIN_RE = re.compile(r"与|和|同|、")
_SIGNED_LIST_RE = re.compile(r"(?:其中)?(?:包括|分别是|分别为|涉及)")
_PARTY_NOT_RE = re.compile(r"的|举行|举办|主办|承办|召开")


_TIME_OF_DAY_RE = re.compile(
    r"(?:上午|下午|晚上|晚|中午|早上|凌晨)?(?:\d{1,2}(?:点|时)(?:\d{1,2}分|半)?|\d{1,2}[:：]\d{2})?"
)
"""What may stand between a date and the end of its clause: a part of the day, a clock time."""


def _sign_dates(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The dates a signing in ``text[start:end]`` may have (not one run into a number: 2023年3)."""
    return [d for d in _SIGN_DATE_RE.finditer(text, start, end) if not text[d.end() : d.end() + 1].isdigit()]


def _ends_clause(text: str, date: re.Match[str], clause_end: int) -> bool:
    """Whether a date ends its clause, a time of day aside (8月2日下午，…签约; 7月19日上午9点28分，…开工)."""
    return _TIME_OF_DAY_RE.fullmatch(text, date.end(), clause_end) is not None


def _period(text: str, sentence_start: int, clause_start: int, k: int) -> str:
    found = list(_TIME_RE.finditer(text, clause_start, k)) or list(_TIME_RE.finditer(text, sentence_start, k))
    return found[-1].group() if found else ""
