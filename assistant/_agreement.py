"""Hard vetoes: a sentence about another year, period, place or company never answers.

The answerability model judges meaning; these rules judge what it must never get wrong. A
question that fixes a year ("2025年"), a part of the year ("上半年"), a numbered name
("第7号产业园", "二期") or a named place, company or project is not answered by a sentence
that reports another one — however similar it reads — and the refusal says what the
articles do report instead.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass

from docs_store import DocsStore, Hit
from ingest import CJK, NewsAssistantError, fold, gazetteer
from ingest._gazetteer import Place

from ._candidates import Candidate
from ._compose import UNDATED
from ._names import ORG_RE, PLACE_RE, PROJECT_RE
from ._question import PERIODS, YEAR_RE, Label, Question, label_digits, labels_in
from ._span import answer_span

_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "分公司", "集团", "公司", "专业镇", "特色小镇", "经济技术开发区",
    "高新技术产业开发区", "工业园区", "产业园区", "开发区", "高新区", "经开区", "示范区", "产业园", "园区",
    "自治州", "地区", "省", "市", "县", "区", "镇", "项目",
)  # fmt: skip
_GENERIC = {
    "",
    "专业",
    "工业",
    "产业",
    "经济",
    "经济技术",
    "高新",
    "高新技术",
    "该",
    "这",
    "那",
    "本",
    "全",
    "我",
    "各",
    "此",
}
SUB_YEAR = tuple(p for p in PERIODS if p != "全年")
_CLAUSE_RE = re.compile(r"[^，,；;：:]+")
_RELATIVE_YEARS = ("今年", "去年", "明年", "前年")
_EVENT_WORDS = "测评|评选|排行榜?|排名|榜单?|论坛|博览会|交易会|洽谈会|推介会|大会|峰会|展会|大赛|年会|白皮书|报告"
TEXT_YEAR_RE = re.compile(
    f"(?<![\\d.])((?:19|20)\\d\\d)(?=年|届|(?:中国|全国|全球|世界|国际|亚洲|全省|全市|首届|第)"
    f"|[{CJK}]{{0,16}}?(?:{_EVENT_WORDS}))"
)
"""A year as an article states it: "2024年", "2024届", and a year glued to the name of an
event, a ranking or a report ("2011中国中小城市投资潜力测评", "2023世界制造业大会") — but not
a count or a measure ("2000平方米", "2000多家", "2000以上")."""


@dataclass(frozen=True)
class Disagreement:
    """The question asked for ``asked``; the sentence reports ``reported`` ("" if unclear)."""

    asked: str
    reported: str


def disagreement(
    question: Question, candidate: Candidate, article_years: Set[str] = frozenset()
) -> Disagreement | None:
    """Why ``candidate`` cannot answer ``question`` although it may read like it, or None.

    ``article_years`` are the years the candidate's whole article mentions: a sentence that
    states no year of its own is taken to be about the article's years.
    """
    return (
        _year(question, candidate, article_years)
        or _period(question, candidate)
        or _label(question, candidate)
        or _name(question, candidate)
    )


def article_years(question: Question, hits: Sequence[Hit], store: DocsStore) -> dict[str, frozenset[str]]:
    """The years each retrieved article reports (``years_in``), read only when the question
    names a year; an article deleted since the search has none."""
    years: dict[str, frozenset[str]] = {}
    if question.years:
        for article_id in {h.chunk.article_id for h in hits}:
            with contextlib.suppress(NewsAssistantError):
                years[article_id] = years_in(store.article(article_id).text)
    return years


def years_in(text: str) -> frozenset[str]:
    """Years an article reports about ("2024年"); a year glued to an event's name ("2011中国…
    测评") dates that event only, not the article's other sentences."""
    return frozenset(YEAR_RE.findall(text))


def core(name: str) -> str:
    """A name without its kind suffix: "定襄法兰专业镇" → "定襄法兰", "忻州市" → "忻州"."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def specific(name: str) -> bool:
    """Names worth holding a sentence to: not "专业镇", "该县", "各园区"."""
    return (
        core(name) not in _GENERIC
        and name not in _SUFFIXES
        and not name.startswith(("该", "这", "那", "本", "各", "全"))
    )


def _context(candidate: Candidate) -> str:
    """Headline, sub-heading and the paragraph up to the sentence: what it is said under."""
    chunk = candidate.chunk
    return fold(f"{chunk.title} {chunk.section} {chunk.text[: candidate.start - chunk.start]}")


def _year(question: Question, candidate: Candidate, article_years: Set[str]) -> Disagreement | None:
    if not question.years:
        return None
    governing = _governing_years(question, candidate.sentence)
    if governing:
        missing = [y for y in question.years if y not in governing]
        if not missing:
            return None
        return Disagreement("、".join(f"{y}年" for y in missing), "、".join(f"{y}年" for y in governing))
    for where in (candidate.sentence, _context(candidate)):
        years = list(dict.fromkeys(TEXT_YEAR_RE.findall(where)))
        if not years:
            continue
        missing = [y for y in question.years if y not in years]
        if not missing:
            return None
        return Disagreement("、".join(f"{y}年" for y in missing), "、".join(f"{y}年" for y in years))
    missing = [y for y in question.years if y not in article_years]
    if article_years and missing:
        return Disagreement("、".join(f"{y}年" for y in missing), "、".join(f"{y}年" for y in sorted(article_years)))
    if not article_years and not candidate.chunk.date:  # no year anywhere, no date: any year's figure
        said = f"{_context(candidate)} {candidate.sentence}"
        if any(word in question.text and word in said for word in _RELATIVE_YEARS):
            return None  # "今年…" asked of a page that says "今年…": the reader's reading
        return Disagreement("、".join(f"{y}年" for y in question.years), UNDATED)
    return None


def _governing_years(question: Question, sentence: str) -> list[str]:
    """The years the figure that would answer is reported for: those in its own clause, else
    those the sentence opens with. In "2024年，…由2022年的143家增加到189家，全年黄酒产值超过
    5亿元" the 产值 is 2024's, although the sentence also names 2022."""
    span = answer_span(question, sentence)
    if span is None:
        return []
    clauses = [m.span() for m in _CLAUSE_RE.finditer(sentence)]
    own = next((sentence[a:b] for a, b in clauses if a <= span[0] < b), "")
    years = list(dict.fromkeys(TEXT_YEAR_RE.findall(own)))
    if not years and clauses:
        first = sentence[clauses[0][0] : clauses[0][1]]
        years = list(dict.fromkeys(TEXT_YEAR_RE.findall(first))) if first != own else []
    return years


def _period(question: Question, candidate: Candidate) -> Disagreement | None:
    asked = [p for p in question.periods if p != "全年"]
    if not asked:
        return None
    text = f"{_context(candidate)} {candidate.sentence}"
    if all(p in text for p in asked):
        return None
    reported = [p for p in PERIODS if p in candidate.sentence]
    return Disagreement("、".join(asked), "、".join(reported) or "全年或未注明时段的数字")


def _label(question: Question, candidate: Candidate) -> Disagreement | None:
    """ "第7号产业园" is not answered by a sentence about 第6号产业园: where the sentence (or
    what it is said under) numbers the same kind of thing, the asked number must be among them."""
    if not question.labels:
        return None
    in_sentence = labels_in(candidate.sentence)
    in_context: list[Label] | None = None
    for asked in question.labels:

        def comparable(label: Label, asked: Label = asked) -> bool:
            return label.unit == asked.unit and (label.ordinal or not asked.ordinal)

        # the sentence's own numbers first: under the headline "二期项目开工", "一期项目年产值5亿元"
        # is still about 一期
        same_kind = [label for label in in_sentence if comparable(label)]
        if not same_kind:
            in_context = labels_in(_context(candidate)) if in_context is None else in_context
            same_kind = [label for label in in_context if comparable(label)]
        if same_kind and all(label.number != asked.number for label in same_kind):
            return Disagreement(asked.text, "、".join(dict.fromkeys(label.text for label in same_kind)))
    return None


def _name(question: Question, candidate: Candidate) -> Disagreement | None:
    # numbered names compare in digits ("第七号产业园" is 第7号产业园), only when the question has any
    digits = label_digits if question.labels else str
    sentence = digits(candidate.sentence)
    for name in question.names:
        if not specific(name) or any(name in d or d in name for d in question.described):
            continue  # a description in the user's words is not another name
        if core(digits(name)) in sentence:
            continue
        others = [
            m.group(0)
            for pattern in (PLACE_RE, ORG_RE, PROJECT_RE)
            for m in pattern.finditer(sentence)
            if specific(m.group(0)) and not same_entity(name, m.group(0)) and not _described(m.group(0), question.text)
        ]
        same_kind = [o for o in others if _kind_of(o) == _kind_of(name) and _distinct(name, o)]
        if same_kind:
            return Disagreement(name, same_kind[0])
        if not candidate.names_covered and core(name) not in _context(candidate):
            return Disagreement(name, "")
    return None


def _distinct(asked: str, named: str) -> bool:
    """Two names of one kind that are certainly different entities. Places and parks must be
    in unrelated places of the gazetteer (阳曲工业园区 lies in 山西转型综改示范区's province;
    "省级专业镇" or "推动园区" name no place at all); companies and projects just differ."""
    if _kind_of(asked) != "place":
        return True
    here, there = _places(asked), _places(named)
    if not here or not there:
        return False
    return not any(a is b or a in b.ancestors() or b in a.ancestors() for a in here for b in there)


def _places(name: str) -> list[Place]:
    return [place for match in gazetteer().scan(name) for place in match.places]


def same_entity(asked: str, named: str) -> bool:
    """Is ``named`` (from an article) the entity the question calls ``asked``? Users shorten
    and drop words: "雁门王酒业有机黄酒生产项目" is "代县雁门王酒业10万吨有机黄酒生产项目"."""
    a, b = core(asked), core(named)
    if a in b or b in a or _subsequence(a, b) or _subsequence(b, a):
        return True
    if _kind_of(asked) == "org" and _kind_of(named) == "org" and _descriptor(a)[:2] not in b:
        return False  # the brand decides: 安徽华宇汽车部件 is not 安徽稳卓汽车部件, however alike
    return _mostly_in(a, b) or _mostly_in(_descriptor(a), b)


def _descriptor(name: str) -> str:
    """What a name says beyond where it is: "阳泉高新区氢能重卡" → "氢能重卡"."""
    for match in reversed(gazetteer().scan(name)):
        name = name[: match.start] + name[match.end :]
    for word in _SUFFIXES:
        name = name.replace(word, "") if len(word) > 1 else name
    return name


def _mostly_in(part: str, text: str) -> bool:
    pairs = {part[i : i + 2] for i in range(len(part) - 1)}
    return len(pairs) >= 2 and sum(p in text for p in pairs) >= 0.6 * len(pairs)


def _described(named: str, question: str) -> bool:
    """The question describes ``named`` in its own words ("兴县签约项目年产多少万件新能源汽车
    铝合金零部件" describes 年产120万件新能源汽车铝合金零部件项目): most of its bigrams are asked."""
    key = core(named)
    pairs = {key[i : i + 2] for i in range(len(key) - 1)}
    return bool(pairs) and sum(p in question for p in pairs) >= 0.6 * len(pairs)


def _subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return len(short) >= 4 and all(ch in rest for ch in short)


def _kind_of(name: str) -> str:
    if ORG_RE.fullmatch(name):
        return "org"
    if name.endswith("项目"):
        return "project"
    return "place"
