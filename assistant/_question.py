"""What a question asks for: its content terms, the kind of answer, the years and names it fixes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from docs_store import tokenize
from ingest import cut_words

from ._names import ORG_RE, entities
from ._time import TimeScope, cn_int

AnswerKind = Literal["number", "date", "person", "org", "place", "other"]

_QUESTION_WORDS = re.compile(
    r"多少|什么|哪些|哪个|哪家|哪里|哪儿|哪位|哪年|哪天|哪|谁|几|是否|是不是|有没有|吗|呢|请问|如何|怎样|怎么|为什么|为何|何时|"
    r"介绍一下|介绍|一下|告诉我|说说|具体|主要|分别|都有|啥"
)
_FUNCTION_CHARS = set("的了是和与在有及把被对为将其它这那个么吧啊呀呢吗")
_NUMBER_CUES = (
    "多少", "几", "多大", "多高", "多长", "多久", "产值", "金额", "规模", "数量", "总投资", "投资额", "增长", "占比", "比例",
)  # fmt: skip
_UNIT_FAMILIES: dict[str, tuple[str, ...]] = {
    "亿元": ("亿元",), "万元": ("万元",), "元": ("亿元", "万元", "元"), "钱": ("亿元", "万元", "元"),
    "万人": ("万人",), "人": ("人", "名", "位", "人次"), "户": ("户", "家"), "家": ("家", "户"),
    "个": ("个", "项"), "项": ("项", "个"), "万件": ("万件",), "件": ("件",), "吨": ("吨",), "万吨": ("万吨",),
    "亩": ("亩",), "万亩": ("万亩",), "兆瓦": ("兆瓦",), "平方米": ("平方米",), "公里": ("公里",),
    "%": ("%",),
}  # fmt: skip
_ASKED_UNIT = re.compile(r"(?:多少|几)(亿元|万元|万人|万件|万吨|万亩|平方米|公里|兆瓦|元|钱|人|户|家|个|项|件|吨|亩)")
_RATE_ASKED = re.compile(r"百分之|比例|占比|比重|增速|增长率|增幅|涨幅|降幅|跌幅|[^，。？?]率(?:是|为|有|达到?)?多少")
"""A share or a rate: answered by a percentage, never by an amount ("GDP增速" is not "310亿元")."""
_PEOPLE_ASKED = re.compile(
    r"(?:多少|几)(?:个|名|位)?[\u4e00-\u9fff]{0,3}?"
    r"(?:企业家|人员|代表|嘉宾|客商|职工|员工|工人|学生|专家|干部|群众|人才|游客|居民|村民)"
)
"""A number of people, though no unit is asked: "来了多少企业家" wants 50余名, not 八项."""
_MONEY_ASKED = re.compile(
    r"(?:产值|营收|营业收入|营业额|销售额|收入|利润|税收|总投资|投资额|投资|资金|金额|交易额|成交额)(?![率增])"
    r"[^，。？?、增率项比速幅]{0,4}(?:多少|几)(?![个家项名人户件吨亩])"
)
"""A figure that is an amount of money although no unit is asked: "产值有多少" wants 亿元, not 家."""
_NOT_IN_NAMES = re.compile(
    r"今年|去年|前年|明年|当年|上半年|下半年|近年来|近年|近期|最近|目前|现在|如今|之前|以来|[一二三四1-4]季度|"
    r"(?:\d+|[一二三四五六七八九十两][一二三四五六七八九十百千两]*)[多余]?[万亿]元?|[给把让被]|(?:(?<![\u4e00-\u9fff])|(?<=[在到去从向]))[省市县区镇村]里"
)
"""What the question may put between or before names, never inside one (a time, a sum, a verb)."""
_VERB_BEFORE_NAME = re.compile(r"投了|建了|投资了|建成了")
"""Verbs that end where a name begins, masked after the first pass."""
_DATE_CUES = (
    "何时", "什么时候", "啥时候", "哪天", "哪一天", "哪年", "哪一年", "何年", "几月", "几号", "日期", "什么时间", "成立于",
)  # fmt: skip
LIST_RE = re.compile(
    r"有哪些|哪几|分别|都有什么|都有哪|都有啥|都[^，。？?]{1,4}(?:什么|啥)|包括哪|包括什么|哪些|列出|列举"
)
"""A question asking for several items."""
_PERSON_RE = re.compile(r"谁|哪位|叫什么|叫啥|姓名|什么人")
_ORG_RE = re.compile(r"哪家|哪个(?:公司|企业|单位|部门|机构|银行)|什么(?:公司|企业|单位|部门|机构|银行)")
_PLACE_RE = re.compile(r"哪里|哪儿|在哪|哪个(?:县|市|省|区|地方|镇|园区)|什么地方|哪个地区")
YEAR_RE = re.compile(r"((?:19|20)\d\d)(?=年)")
"""A four-digit year written before 年 (the digits only): one pattern for every module."""
PERIODS = (
    "上半年", "下半年", "前三季度", "第一季度", "第二季度", "第三季度", "第四季度", "一季度", "二季度", "三季度",
    "四季度", "全年",
)  # fmt: skip
_NUMERAL = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千两]+)"
_LABEL_RE = re.compile(
    r"(?<![月日\d.一二三四五六七八九十百])(第)?(\d{1,4}|[一二三四五六七八九十百]{1,4})(号线|号楼|号地块|号|届|期|批|次|座|条|代|版|轮)"
)
DATE_IN_TEXT = re.compile(r"\d+月\d+日|\d{4}年|[一二三四五六七八九十]+月|日前|近日")
_GRAIN_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("day", re.compile(r"哪天|哪一天|哪日|几号|几日|几月几")),
    ("month", re.compile(r"几月|哪个月|哪一个月")),
    ("year", re.compile(r"哪年|哪一年|何年|什么年份|哪个年份")),
)
_DATE_AT_GRAIN = {
    "day": re.compile(r"\d{1,2}月\d{1,2}[日号]|[一二三四五六七八九十]+月[一二三四五六七八九十]+日"),
    "month": re.compile(r"\d{1,2}月|[一二三四五六七八九十]+月"),
    "year": re.compile(r"\d{4}年"),
}


@dataclass(frozen=True)
class Label:
    """A numbered name: "第7号" (产业园), "二期" (项目), "第十届" (博览会). ``text`` as written."""

    number: int
    unit: str
    text: str
    start: int = 0
    end: int = 0

    @property
    def ordinal(self) -> bool:
        """Written with 第 ("第3期" is the third; "5期" may be a count of five)."""
        return self.text.startswith("第")


def labels_in(text: str) -> list[Label]:
    """The numbered names in ``text``, digits and Chinese numerals alike ("第七届" = "第7届").

    A count ("5次", "3批") is a label only after 第; a day ("3月5号") never is."""
    found = []
    for m in _LABEL_RE.finditer(text):
        ordinal, numeral, unit = m.groups()
        if not ordinal and unit not in ("号线", "号楼", "号地块", "号", "期"):
            continue
        number = cn_int(numeral)
        if numeral.isdecimal() or _chinese(number) == numeral:  # 1..99 as written: not "百", "二二"
            found.append(Label(number, unit, m.group(0), m.start(), m.end()))
    return found


def with_label_spellings(query: str) -> str:
    """The query with its numbered names also spelt the other way ("第七号" + "第7号"), so
    that the words index finds an article whichever way it writes the number."""
    extra = []
    for label in labels_in(query):
        digits = f"{label.number}{label.unit}"
        chinese = f"{_chinese(label.number)}{label.unit}"
        extra += [form for form in (digits, chinese) if form and form not in label.text]
    return " ".join([query, *dict.fromkeys(extra)]) if extra else query


def label_digits(text: str) -> str:
    """``text`` with its numbered names written in digits ("第七号产业园" → "第7号产业园")."""
    for label in reversed(labels_in(text)):  # by position, so "十二期" is not rewritten inside
        digits = f"{'第' if label.ordinal else ''}{label.number}{label.unit}"
        text = text[: label.start] + digits + text[label.end :]
    return text


def _chinese(number: int) -> str:
    """1..99 in Chinese numerals ("" beyond): the inverse of :func:`cn_int` there."""
    digits = "零一二三四五六七八九"
    if not 0 < number < 100:
        return ""
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{digits[tens]}十")
    return head + (digits[ones] if ones else "")


@dataclass(frozen=True)
class Question:
    """A question taken apart (see :func:`analyze`)."""

    text: str
    terms: tuple[str, ...]
    entity_terms: frozenset[str]
    names: tuple[str, ...]
    kind: AnswerKind
    unit: str
    is_list: bool
    years: tuple[str, ...]
    periods: tuple[str, ...]
    labels: tuple[Label, ...] = ()
    described: frozenset[str] = frozenset()
    """Names the user described rather than named ("安徽那家车企零件公司"): never held
    against the article's own name for the thing (see :func:`described_names`)."""

    @property
    def expects_number(self) -> bool:
        return self.kind == "number"

    @property
    def expects_date(self) -> bool:
        return self.kind == "date"

    @property
    def date_grain(self) -> str:
        """ "day" for 哪天, "month" for 几月, "year" for 哪年; "" when any date answers."""
        return next((grain for grain, cue in _GRAIN_CUES if cue.search(self.text)), "")

    def date_fits(self, text: str) -> bool:
        """Is ``text`` (a sentence or a span) a date as precise as the question asks?"""
        grain = self.date_grain
        return bool((_DATE_AT_GRAIN[grain] if grain else DATE_IN_TEXT).search(text))

    @property
    def units(self) -> tuple[str, ...]:
        """The units a figure may carry to answer this question (empty: any)."""
        return _UNIT_FAMILIES.get(self.unit, (self.unit,)) if self.unit else ()

    def satisfied_by(self, sentence: str) -> bool:
        """Does ``sentence`` hold the kind of answer asked for (a number, a unit, a date)?"""
        if self.kind == "date":
            return self.date_fits(sentence)
        if self.units:
            units = "|".join(map(re.escape, self.units))
            return bool(re.search(f"{_NUMERAL}[万亿千百]?余?多?(?:{units})", sentence))
        if self.kind == "number":
            return bool(re.search(r"\d|[一二三四五六七八九十百千万亿两]+[个家户项名人件吨亩期批]", sentence))
        if self.kind == "org" and re.search(r"公司|企业|银行", self.text):
            return bool(ORG_RE.search(sentence))  # "哪家公司" wants a company named
        return True


_DESCRIBED_RE = re.compile(
    r"(?:那家|那个|这家|这个|那座|那些)([^，,。？?！!、\s的里和与及在]{1,14}?(?:公司|企业|厂|项目|园区|开发区|高新区|专业镇|镇|基地))"
)


def described_names(question: str) -> frozenset[str]:
    """What follows a pointing word is a description in the user's words ("那家车企零件公司"),
    not the thing's name: it may not repeat a single word of the article's name for it."""
    return frozenset(m.group(1) for m in _DESCRIBED_RE.finditer(question))


def analyze(question: str, scope: TimeScope | None = None) -> Question:
    """Content terms (BM25 tokens without question words), the expected answer and what it
    fixes: years and parts of the year, written out or relative (``scope``: "今年" → 2025)."""
    stripped = _QUESTION_WORDS.sub(" ", _ASKED_UNIT.sub(" ", question))
    terms = tuple(dict.fromkeys(t for word in _words(stripped) for t in tokenize(word)))
    match = _ASKED_UNIT.search(question)
    unit = match.group(1) if match else ("%" if _RATE_ASKED.search(question) else "")
    if not unit and _PEOPLE_ASKED.search(question):
        unit = "人"
    if not unit and _MONEY_ASKED.search(question):
        unit = "钱"
    named_in = _NOT_IN_NAMES.sub("，", question)  # "忻州去年给专业镇" is 忻州 and 专业镇, not one name
    named_in = _VERB_BEFORE_NAME.sub("，", named_in)
    names = tuple(dict.fromkeys(name for found in entities(named_in).values() for name in found))
    entity_terms = frozenset(t for name in names for t in tokenize(name)) & set(terms)
    years = tuple(dict.fromkeys(YEAR_RE.findall(question) + [str(y) for y in (scope.years if scope else ())]))
    named = [p for p in PERIODS if p in question]
    periods = tuple(p for p in named if not any(p in q and p != q for q in named))
    periods = tuple(dict.fromkeys(periods + (scope.periods if scope else ())))
    return Question(
        text=question,
        terms=terms,
        entity_terms=entity_terms,
        names=names,
        kind=_kind(question, unit),
        unit=unit,
        is_list=bool(LIST_RE.search(question)),
        years=years,
        periods=periods,
        labels=tuple(labels_in(question)),
    )


def _kind(question: str, unit: str) -> AnswerKind:
    if any(cue in question for cue in _DATE_CUES) or re.search(r"几(月|号|日)", question):
        return "date"
    plain = question.replace("哪几", "")  # "哪几个/哪几大" asks for items, not a count
    if unit or any(cue in plain for cue in _NUMBER_CUES):
        return "number"
    if _PERSON_RE.search(question):
        return "person"
    if _ORG_RE.search(question):
        return "org"
    if _PLACE_RE.search(question):
        return "place"
    return "other"


def _words(text: str) -> list[str]:
    """Words of the question, so that no bigram spans two words ("忻州专业镇" ↛ "州专").

    Runs of single characters are kept together: jieba splits unknown names ("稳卓")
    into characters, and their bigram is what the index holds.
    """
    words: list[str] = []
    run = ""
    for word in cut_words(text):
        if word in _FUNCTION_CHARS:
            word = " "
        if len(word) == 1 and not word.isspace():
            run += word
            continue
        if run:
            words.append(run)
            run = ""
        if not word.isspace():
            words.append(word)
    if run:
        words.append(run)
    return words
