"""Resolve follow-up questions ("这家公司的董事长是谁？", "那里呢？", "还有呢") against history.

Hand-written on purpose: the referents in this domain are companies, places (县/市/园区/
高新区/开发区/专业镇) and projects, which a few patterns find reliably in the earlier turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest import CJK

from ._names import entities, person_names
from ._types import Turn, strip_markers

_ORG_PRONOUNS = (
    "这家公司", "该公司", "这家企业", "该企业", "这个公司", "这个企业", "此公司", "这家单位",
    "那家公司", "那家企业", "那个公司", "那个企业",
)  # fmt: skip
_PLACE_PRONOUNS = (
    "那里",
    "那儿",
    "这里",
    "该地",
    "当地",
    "该县",
    "该市",
    "该区",
    "这个地方",
    "那个地方",
    "该园区",
    "这个园区",
)
_PROJECT_PRONOUNS = ("这个项目", "该项目", "此项目", "这一项目", "那个项目")
_POINTER_RE = re.compile(
    r"^(?:请问|那么|那)?(?:这|那|该|此)(?:家|个|一|座)?(企业|公司|项目|园区|开发区|高新区|专业镇|工厂|厂)"
    r"|^(?:请问|那么|那)?它(?!们)"
)
"""A question that opens by pointing at something ("那家企业…", "该项目…", "它…") names no
subject of its own: without a conversation that named one, nobody can tell what it asks."""
_POINTER_KINDS = {"企业": "org", "公司": "org", "工厂": "org", "厂": "org", "项目": "project"}
_GENERIC_RE = re.compile(r"它们|他们|(?<![其])它(?!们)|(?<![尤极])其(?![他中它余实次后间])")
"""Bare pronouns, but not the 其/它 inside 其他、其中、尤其、其它 …"""
_PERSON_PRONOUN_RE = re.compile(r"(?<![其吉])他(?![们人])|她(?!们)|此人|这个人|这位")
"""A person asked about again: "他另外还担任什么职务？" (not 其他, 他们, 他人)."""
_MORE_RE = re.compile(r"^(?:那?还有(?:呢|吗|什么|别的|其他的?)?|其他的?呢?|别的呢|然后呢|继续)[？?。！!]*$")


@dataclass(frozen=True)
class Resolved:
    """The question to search with; ``more`` asks for further facts on the last question."""

    query: str
    more: bool = False
    entity: str = ""
    unresolved: str = ""
    """What an opening pointer asks about ("企业", "项目") when nothing resolved it: the
    assistant asks back instead of answering about whatever it finds."""


def resolve_followup(question: str, turns: list[Turn]) -> Resolved:
    """Rewrite a follow-up into a self-contained question using the most recent referents."""
    question = question.strip()
    resolved = _resolved(question, turns)
    if resolved.entity or resolved.more:
        return resolved
    pointer = _POINTER_RE.match(question)
    if pointer is None or any(entities(question[pointer.end() :]).values()):
        return resolved  # "这个项目是定襄法兰专业镇的吗" names what it asks about
    noun = pointer.group(1) or ""
    entity = _latest_named(turns, noun) if turns else ""
    if entity:  # a pointer form the pronoun lists lack ("该开发区", "这座工厂")
        return Resolved(entity + question[pointer.end() :], entity=entity)
    return Resolved(question, unresolved=noun or "对象")


def _resolved(question: str, turns: list[Turn]) -> Resolved:
    if not turns:
        return Resolved(question)
    last = next((t for t in reversed(turns) if t.question), None)
    if last is None:
        return Resolved(question)
    if _MORE_RE.match(question):
        earlier = turns[: turns.index(last)]
        return Resolved(resolve_followup(last.question, earlier).query, more=True)
    for pronouns, kind in ((_ORG_PRONOUNS, "org"), (_PROJECT_PRONOUNS, "project"), (_PLACE_PRONOUNS, "place")):
        for pronoun in pronouns:
            if pronoun in question:
                if _named_before(question, pronoun):
                    return Resolved(question)  # 稳卓那家公司老板叫啥: the question says which company
                entity = _latest_entity(turns, kind)
                if entity:
                    return Resolved(question.replace(pronoun, entity, 1), entity=entity)
    match = _GENERIC_RE.search(question)
    if match:
        entity = _latest_entity(turns, None)
        if entity:
            return Resolved(question[: match.start()] + entity + question[match.end() :], entity=entity)
    match = _PERSON_PRONOUN_RE.search(question)
    if match:
        person = _latest_person(turns)
        if person:
            return Resolved(question[: match.start()] + person + question[match.end() :], entity=person)
    if _is_elliptical(question):
        entity = _latest_entity(turns, None) or _subject_of(last.question)
        if entity and entity not in question:
            return Resolved(f"{entity}{question.lstrip('那')}", entity=entity)
    return Resolved(question)


def _named_before(question: str, pronoun: str) -> bool:
    """Whether a name stands right before the pronoun, in apposition ("安徽稳卓那家企业",
    "兴县那里"): a run of 2-10 characters that holds no pronoun, verb or particle a
    request is worded with ("帮我查一下那家公司", "请问那家公司" point back)."""
    head = _OPENER_RE.sub("", question[: question.index(pronoun)])
    return bool(re.fullmatch(f"[{CJK}]{{2,10}}", head)) and not any(ch in _REQUEST_CHARS for ch in head)


_OPENER_RE = re.compile(r"^(?:请问|那么|那|还有|另外|再问一下|问一下)")
_REQUEST_CHARS = frozenset("我你他她它们的了吗呢问查看找说讲给帮和与跟同对向把被让是在有请告诉知道一下些么什")


def _latest_named(turns: list[Turn], noun: str) -> str:
    """The latest name the conversation gave a thing of this kind: a company for 企业/公司,
    a project for 项目, and for a park or town the latest name ending in that word."""
    if noun in _POINTER_KINDS or not noun:
        return _latest_entity(turns, _POINTER_KINDS.get(noun))
    pattern = re.compile(f"[{CJK}]{{1,14}}{noun}")
    for turn in reversed(turns):
        for text in (strip_markers(turn.answer), turn.question):
            found = [m.group(0) for m in pattern.finditer(text)]
            if found:
                return max(found, key=len)
    return ""


def _latest_entity(turns: list[Turn], kind: str | None) -> str:
    kinds = [kind] if kind else ["org", "place", "project"]
    for turn in reversed(turns):
        # a typed pronoun ("这家公司") usually points at what the answer named; a bare
        # "它" at the topic of the question the user asked
        texts = (strip_markers(turn.answer), turn.question) if kind else (turn.question, strip_markers(turn.answer))
        for text in texts:
            found = entities(text)
            for k in kinds:
                if found[k]:
                    return max(found[k], key=len) if k == "org" else found[k][0]
    return ""


def _latest_person(turns: list[Turn]) -> str:
    """The person the conversation last named: after a role in an answer ("县委书记乔云"), or
    an answer that is just a name to a question asking who."""
    for turn in reversed(turns):
        answer = strip_markers(turn.answer)
        names = person_names(answer)
        if names:
            return names[0]
        bare = re.match(f"([{CJK}]{{2,4}})(?:[。，,.]|$)", answer.strip())
        if bare and re.search(r"谁|哪位|叫什么|叫啥|姓名", turn.question):
            return bare.group(1)
    return ""


def _is_elliptical(question: str) -> bool:
    """Short questions that lean on the previous turn: "那产值呢？", "规模多大？"."""
    core = re.sub(r"[？?！!。]", "", question)
    named = any(entities(core).values())
    return not named and (core.startswith("那") or core.endswith("呢") or len(core) <= 6)


def _subject_of(question: str) -> str:
    match = re.match(f"[{CJK}]{{2,8}}?(?=的|和|与|在|有|获|签|是|产|共|主|今|去|20)", question)
    return match.group(0) if match else ""
