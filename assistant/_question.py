"""What a question asks for: its content terms and the kind of answer it expects."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docs_store import tokenize
from ingest import cut_words

_QUESTION_WORDS = re.compile(
    r"多少|什么|哪些|哪个|哪家|哪里|哪儿|哪位|哪年|哪天|哪|谁|几|是否|是不是|有没有|吗|呢|请问|如何|怎样|怎么|为什么|为何|何时|"
    r"介绍一下|介绍|一下|告诉我|说说|具体|主要|分别"
)
_FUNCTION_CHARS = set("的了是和与在有及把被对为将其它这那个么吧啊呀呢吗")
_NUMBER_CUES = (
    "多少",
    "几",
    "多大",
    "多高",
    "多长",
    "多久",
    "产值",
    "金额",
    "规模",
    "数量",
    "总投资",
    "投资额",
    "增长",
    "占比",
    "比例",
)
_UNITS = (
    "亿元",
    "万元",
    "元",
    "万人",
    "人",
    "户",
    "家",
    "个",
    "项",
    "万件",
    "件",
    "吨",
    "万吨",
    "亩",
    "万亩",
    "兆瓦",
    "%",
    "平方米",
    "公里",
    "年",
)
_UNIT_ALIASES = {"人": ("人", "名", "位", "人次"), "家": ("家", "户"), "户": ("户", "家"), "个": ("个", "项")}
_ASKED_UNIT = re.compile(r"(?:多少|几)(亿元|万元|万人|万件|万吨|万亩|平方米|公里|兆瓦|元|人|户|家|个|项|件|吨|亩)")
_DATE_CUES = ("何时", "什么时候", "哪天", "哪一天", "哪年", "哪一年", "何年", "几月", "几号", "日期", "时间", "成立于")
_NUMERAL = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千两]+)"


@dataclass(frozen=True)
class Question:
    text: str
    terms: tuple[str, ...]
    entity_terms: frozenset[str]
    expects_number: bool
    unit: str
    expects_date: bool

    def satisfied_by(self, sentence: str) -> bool:
        """Does ``sentence`` hold the kind of answer asked for (a number, a unit, a date)?"""
        if self.expects_date and not re.search(r"\d+月\d+日|\d{4}年|[一二三四五六七八九十]+月", sentence):
            return False
        if self.unit:
            units = "|".join(map(re.escape, _UNIT_ALIASES.get(self.unit, (self.unit,))))
            return bool(re.search(f"{_NUMERAL}[万亿千百]?余?多?(?:{units})", sentence))
        if self.expects_number:
            return bool(re.search(r"\d|[一二三四五六七八九十百千万亿两]+[个家户项名人件吨亩期批]", sentence))
        return True


def analyze(question: str) -> Question:
    """Content terms (BM25 tokens without question words) and the expected answer type."""
    stripped = _ASKED_UNIT.sub(" ", question)
    stripped = _QUESTION_WORDS.sub(" ", stripped)
    terms = tuple(dict.fromkeys(t for word in _words(stripped) for t in tokenize(word)))
    unit = ""
    match = _ASKED_UNIT.search(question)
    if match:
        unit = match.group(1)
    elif "百分之" in question or "比例" in question or "占比" in question:
        unit = "%"
    expects_number = bool(unit) or any(cue in question for cue in _NUMBER_CUES)
    if "几" in question and re.search(r"几(月|号|日)", question):
        expects_number = False
    expects_date = any(cue in question for cue in _DATE_CUES) or bool(re.search(r"几(月|号|日)", question))
    from ._followup import entities

    named = [name for names in entities(question).values() for name in names]
    entity_terms = frozenset(t for name in named for t in tokenize(name)) & set(terms)
    return Question(question, terms, entity_terms, expects_number, unit, expects_date)


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
