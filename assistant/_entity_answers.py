"""Questions a few retrieved chunks cannot answer, answered from the entity index.

"忻州有哪些专业镇？", "哪些项目总投资超过10亿元？", "哪个项目总投资最大？", "介绍一下长治高新区",
"最近有哪些关于兴县的报道？", "兴县开发区跟谁签了约？": lists, thresholds, maxima, summaries,
news and the parties to a signing span many articles. Each item is cited to the sentence that
names it or states its figure. Anything else — or nothing found in the index — goes to the
normal sentence-level path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from docs_store import DocsStore, StoredFact, date_number, entity_key
from ingest import gazetteer

from ._agreement import core
from ._compose import Quote, citation_for
from ._entities import Entity, Fact, find_entity, list_entities
from ._names import PLACE_RE
from ._time import TimeScope
from ._types import Answer, Citation

MAX_ITEMS = 8
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("专业镇", "town"), ("特色小镇", "town"), ("小镇", "town"), ("乡镇", "town"),
    ("园区", "park"), ("开发区", "park"), ("高新区", "park"), ("产业园", "park"), ("经开区", "park"),
    ("项目", "project"), ("企业", "company"), ("公司", "company"), ("单位", "company"), ("机构", "company"),
)  # fmt: skip
_ATTRIBUTES = ("总投资", "投资", "产值", "营收", "税收", "就业", "面积", "产能")
_MORE_RE = re.compile(r"超过|以上|大于|高于|不少于|不低于|多于|逾")
_AT_LEAST = ("以上", "不少于", "不低于")
"""Comparisons that include the amount itself (≥); the others are strict (>)."""
_AMOUNT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(亿|万)?\s*(元|件|吨|亩|人|平方米)?")
_MAX_RE = re.compile(r"最大|最多|最高")
_SUMMARY_RE = re.compile(
    r"^(?:请)?(?:介绍一下|介绍下|介绍|简单介绍|概括一下|说说)(.+?)(?:的情况|的概况|情况|概况)?[？?。！!]*$"
)
_NEWS_RE = re.compile(r"(?:关于|有关)(.+?)的(?:报道|新闻|消息|文章)")
_SIGNED = r"签(?:了|过|下)?(?:约|订|署|合作|协议)"
_PARTNER_FORMS = (
    re.compile(rf"^(?P<name>.+?)(?:跟|与|和|同)(?:谁|哪家|哪些|哪个|哪几家|什么)[^签]{{0,6}}{_SIGNED}"),
    re.compile(rf"^(?:跟|与|和|同)(?P<name>.+?){_SIGNED}的(?:是|有)?(?:谁|哪家|哪些|哪个|哪几家)"),
)
"""Who signed with an entity: "兴县开发区跟谁签了约", "…与哪家企业签订了协议",
"跟兴县经开区签约的是哪家公司"."""
_FILLER_RE = re.compile(r"^(?:请问|我想知道|想问一下|问一下|请告诉我)[，,]?")
_KIND_ALTERNATIVES = "|".join(sorted((w for w, _ in _KIND_WORDS), key=len, reverse=True))
_LIST_FORMS = (
    # "忻州有哪些专业镇？" / "文章提到了哪几家企业" — the kind word ends the question
    re.compile(
        rf"^(?P<before>.*?)(?:有哪些|都有哪些|哪些|哪几个|哪几家|哪几|都有什么|有什么|包括哪些)"
        rf"(?P<kind>{_KIND_ALTERNATIVES})(?:名单)?[呢吗啊]?[？?。！!]*$"
    ),  # fmt: skip
    # "忻州的专业镇有哪些？"
    re.compile(
        rf"^(?P<before>.*?)(?P<kind>{_KIND_ALTERNATIVES})(?:都|还|一共|总共)?"
        rf"(?:有哪些|包括哪些|有什么|是哪些|有哪几个|有哪几家)[呢啊]?[？?。！!]*$"
    ),  # fmt: skip
)
"""A question that lists entities of a kind: the kind is what is listed, not a word inside a
longer request ("招商大会上哪些企业负责人发言" asks about a meeting, not for companies)."""


@dataclass(frozen=True)
class EntityQuestion:
    """What the index is asked: a list, a threshold, a maximum, a summary, news or the
    parties to an entity's signings."""

    form: str  # list | threshold | maximum | summary | news | partners
    kind: str = ""
    region: str = ""
    name: str = ""
    attribute: str = ""
    minimum: float | None = None
    inclusive: bool = False
    unit: str = ""
    amount: str = ""


def parse(question: str) -> EntityQuestion | None:
    """Recognise the questions the entity index answers; None for every other question."""
    text = question.strip()
    if match := _SUMMARY_RE.match(text):
        return EntityQuestion("summary", name=match.group(1).strip('“”"《》 '))
    if match := _NEWS_RE.search(text):
        return EntityQuestion("news", name=match.group(1).strip('“”"《》 '))
    kind = next((k for word, k in _KIND_WORDS if word in text), "")
    attribute = next((a for a in _ATTRIBUTES if a in text), "")
    comparison = _MORE_RE.search(text) if kind and attribute else None
    if comparison:
        # the amount stands after the comparison (超过10亿元) or before it (10亿元以上)
        amount = _AMOUNT_RE.search(text, comparison.end()) or _last(_AMOUNT_RE.finditer(text[: comparison.start()]))
        if amount:
            number = float(amount.group(1)) * {"亿": 1e8, "万": 1e4}.get(amount.group(2) or "", 1)
            unit = amount.group(3) or ("元" if attribute in ("总投资", "投资", "产值", "营收", "税收") else "")
            written = amount.group(0) + ("" if amount.group(3) else unit)
            inclusive = comparison.group(0) in _AT_LEAST
            return EntityQuestion("threshold", kind, attribute=attribute, minimum=number, inclusive=inclusive,
                                  unit=unit, amount=written)  # fmt: skip
    if kind and attribute and _MAX_RE.search(text):
        return EntityQuestion("maximum", kind=kind, attribute=attribute)
    asked = _FILLER_RE.sub("", text)  # 请问…: a polite opening is no part of the name
    if match := next((m for form in _PARTNER_FORMS if (m := form.match(asked))), None):
        name = match.group("name").strip('“”"《》 ，,')
        return EntityQuestion("partners", name=name) if name else None
    for form in _LIST_FORMS:
        if match := form.match(text):
            listed = dict(_KIND_WORDS)[match.group("kind")]
            before = match.group("before")
            places = [m.group(0) for m in PLACE_RE.finditer(before) if m.group(0) not in ("专业镇",)]
            places = places or [m.surface for m in gazetteer().scan(before)]  # "忻州" without 市
            return EntityQuestion("list", kind=listed, region=core(places[0]) if places else "")
    return None


def answer_from_index(store: DocsStore, query: str, scope: TimeScope | None) -> Answer | None:
    """An answer from the entity index, or None to let the sentence path answer."""
    asked = parse(query)
    if asked is None:
        return None
    if asked.form == "summary":
        return _summary(store, asked.name, query)
    if asked.form == "news":
        return _news(store, asked.name, query, scope)
    if asked.form == "partners":
        return _partners(store, _without_time(asked.name, scope), query, scope)
    if asked.form in ("threshold", "maximum"):
        return _figures(store, asked, query, scope)
    return _list(store, asked, query, scope)


def _list(store: DocsStore, asked: EntityQuestion, query: str, scope: TimeScope | None) -> Answer | None:
    found = list_entities(store, kind=asked.kind, region=asked.region or None, limit=50, mentions=5, facts=False)
    items: list[tuple[str, Citation]] = []
    for e in found:
        mention = next((m for m in e.mentions if _in_scope(m.date, scope)), None)
        if mention is not None:
            items.append((e.name, mention))
        if len(items) == MAX_ITEMS:
            break
    if not items:
        return None
    where = f"{asked.region}的" if asked.region else ""
    head = f"已收录文章中提到的{where}{_KIND_LABEL[asked.kind]}："
    return _itemised(head, items, query, scope)


def _figures(store: DocsStore, asked: EntityQuestion, query: str, scope: TimeScope | None) -> Answer | None:
    rows: list[tuple[str, Fact]] = []
    for e in list_entities(store, kind=asked.kind, limit=500, mentions=0):
        for f in e.facts:
            relevant = (
                f.attribute == asked.attribute
                and f.number is not None
                and (not asked.unit or f.unit == asked.unit)
                and _in_scope(f.date, scope)
            )
            if relevant and _meets(f.number or 0.0, asked):
                rows.append((e.name, f))
    if not rows:
        return None
    rows.sort(key=lambda r: r[1].number or 0.0, reverse=True)
    if asked.form == "maximum":
        rows = rows[:1]
    items = [(f"{name}（{f.attribute}{f.value}）", f.citation) for name, f in rows[:MAX_ITEMS]]
    label = _KIND_LABEL[asked.kind]
    head = "" if asked.form == "maximum" else f"{asked.attribute}达到所问数额的{label}（从大到小）："
    return _itemised(head, items, query, scope)


def _summary(store: DocsStore, name: str, query: str) -> Answer | None:
    e = _resolve(store, name)
    if e is None:
        return None
    items: list[tuple[str, Citation]] = [(f"{f.attribute}{f.value}", f.citation) for f in e.facts[:4]]
    seen = {c.start for _, c in items}
    for mention in e.mentions:
        if len(items) >= 5:
            break
        if mention.start not in seen:
            seen.add(mention.start)
            items.append(("", mention))
    if not items:
        return None
    where = f"，{e.region}" if e.region else ""
    head = f"{e.name}（{_KIND_LABEL.get(e.kind, e.kind)}{where}）："
    return _itemised(head, items, query, None)


def _news(store: DocsStore, name: str, query: str, scope: TimeScope | None) -> Answer | None:
    """Articles that name the entity (any of its names), newest first, each cited to the
    first sentence that names it; the search is limited to the scope's publication dates."""
    found = _resolve(store, name)
    names = [found.name, *found.aliases] if found else [name]
    published = scope.published if scope else None
    items: list[tuple[str, Citation]] = []
    seen: set[str] = set()
    hits = store.search(" ".join(names), k=40, mode="bm25", published=published)
    for hit in sorted(hits, key=lambda h: h.chunk.date, reverse=True):
        chunk = hit.chunk
        if chunk.article_id in seen:
            continue
        for s, e in chunk.sentences:
            sentence = chunk.text[s - chunk.start : e - chunk.start]
            where = next((n for n in names if n in sentence), None)
            if where is None:
                continue
            seen.add(chunk.article_id)
            at = s + sentence.index(where)
            label = f"《{chunk.title}》{chunk.date}" if chunk.title else chunk.date
            items.append((label, citation_for(1, Quote(chunk, s, e, (at, at + len(where))))))
            break
        if len(items) == MAX_ITEMS:
            break
    if not items:
        return None
    return _itemised(f"关于{names[0]}的报道，新的在前：", items, query, scope)


def _partners(store: DocsStore, name: str, query: str, scope: TimeScope | None) -> Answer | None:
    """Each signing of the entity with the companies, parks and projects that signed in the
    same sentence (the 签约 facts there), cited to that sentence; None when it has none."""
    e = _resolve(store, name)
    if e is None:
        return None
    own = entity_key(e.kind, e.name)
    signings: dict[str, list[tuple[str, StoredFact]]] = {}  # article → its 签约 facts, read once
    items: list[tuple[str, Citation]] = []
    for fact in e.facts:
        if fact.attribute != "签约" or not _in_scope(fact.date, scope):
            continue
        article = fact.citation.article_id
        if article not in signings:
            signings[article] = [
                (n, f) for n, f in store.catalog.article_facts(article, limit=500) if f.attribute == "签约"
            ]
        sentence = (fact.citation.start, fact.citation.end)
        partners = {  # name → kind, in the order the article names them
            other: f.key.split(":", 1)[0] for other, f in signings[article] if f.sentence == sentence and f.key != own
        }
        if not partners:
            continue
        signed = [n for n, kind in partners.items() if kind != "project"]
        projects = [n for n, kind in partners.items() if kind == "project"]
        when = [fact.value] if fact.value else []
        what = [f"签约项目：{'、'.join(projects)}"] if projects else []
        label = "、".join(signed) or e.name
        label += f"（{'；'.join(when + what)}）" if when or what else ""
        items.append((label, fact.citation))
        if len(items) == MAX_ITEMS:
            break
    if not items:
        return None
    return _itemised(f"与{e.name}签约的：", items, query, scope)


def _resolve(store: DocsStore, name: str) -> Entity | None:
    """The entity called ``name``, or the one entity it shortens ("兴县开发区" for
    兴县经济技术开发区: one of its names begins with the same two characters, ends with the same
    two and holds every character in order). Two entities it could shorten: none (no guess).
    Another suffix of the same entity finds it too (兴县经开区: the index keys 经开区 and
    经济技术开发区 alike)."""
    found = find_entity(store, name)
    if found is not None or len(name) < 4:
        return found
    for kind in ("park", "town", "company", "project"):
        names = store.catalog.entity_names(entity_key(kind, name))
        if names:
            return find_entity(store, names[0])
    shortened = {
        summary.key: summary.name
        for summary in store.catalog.entity_summaries(query=name[:2], limit=500)
        if any(_shortens(name, full) for full in store.catalog.entity_names(summary.key))
    }
    return find_entity(store, next(iter(shortened.values()))) if len(shortened) == 1 else None


def _shortens(short: str, full: str) -> bool:
    if len(full) <= len(short) or full[:2] != short[:2] or full[-2:] != short[-2:]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def _without_time(name: str, scope: TimeScope | None) -> str:
    """The name without the question's time phrase (今年兴县开发区 → 兴县开发区)."""
    for phrase in scope.phrase.split("、") if scope is not None and scope.phrase else ():
        name = name.replace(phrase, "")
    return name.strip("，, ")


def _last(matches: Iterable[re.Match[str]]) -> re.Match[str] | None:
    return next(iter(reversed(list(matches))), None)


def _meets(number: float, asked: EntityQuestion) -> bool:
    if asked.minimum is None:
        return True
    return number >= asked.minimum if asked.inclusive else number > asked.minimum


def _itemised(head: str, items: Sequence[tuple[str, Citation]], query: str, scope: TimeScope | None) -> Answer:
    citations = tuple(_renumber(c, i) for i, (_, c) in enumerate(items, start=1))
    parts = [f"{label}：{c.quote}[{c.number}]" if label else f"{c.quote}[{c.number}]"
             for (label, _), c in zip(items, citations, strict=True)]  # fmt: skip
    note = f"（{scope.describe()}）" if scope is not None else ""
    return Answer(head + note + "；".join(parts), citations, found=True, mode="extractive", query=query, score=1.0)


def _renumber(citation: Citation, number: int) -> Citation:
    return replace(citation, number=number)


def _in_scope(published: str, scope: TimeScope | None) -> bool:
    """Is an article of this date inside the scope's publication range (undated: no)?"""
    if scope is None or scope.published is None:
        return True
    low, high = (date_number(d.isoformat()) for d in scope.published)
    return low <= date_number(published) <= high


_KIND_LABEL = {"town": "专业镇", "park": "园区", "project": "项目", "company": "企业和机构", "place": "地区"}
