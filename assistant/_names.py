"""Names in text: companies, places (县/市/园区/高新区/开发区/专业镇 …), projects, people.

A leaf module: the patterns that follow-ups, question analysis, direct-answer spans,
vetoes and the LLM verifier all read names with, so each of them can import it without
importing the others.
"""

from __future__ import annotations

import re

from ingest import CJK

_STOP = "，。、；：“”‘’（）《》？！?!\\s与和及同跟对在于为是的了"
ORG_RE = re.compile(f"[^{_STOP}]{{2,20}}?(?:股份有限公司|有限责任公司|有限公司|集团|公司|银行|大学|研究院|协会)")
PLACE_RE = re.compile(
    f"[^{_STOP}]{{1,14}}?(?:经济技术开发区|高新技术产业开发区|工业园区|产业园区|开发区|高新区|经开区|示范区|产业园|园区|专业镇|自治州|地区|省|市|县|区|镇)"
)
PROJECT_RE = re.compile(f"[^{_STOP}]{{2,30}}?项目")

_PREPOSITIONS = set("从在对向将把由于以为和与及到")
_INTERROGATIVE = re.compile(r"哪|什么|谁|几|多少|这家|那家|该|此")


def entities(text: str) -> dict[str, list[str]]:
    """Companies, places and projects named in ``text``, in order of appearance."""
    found = {
        "org": [m.group(0) for m in ORG_RE.finditer(text)],
        "place": [m.group(0) for m in PLACE_RE.finditer(text)],
        "project": [m.group(0) for m in PROJECT_RE.finditer(text)],
    }
    found["place"] = [
        p
        for p in found["place"]
        if not any(p in o for o in found["org"]) and len(p) >= 2 and not (p[0] in _PREPOSITIONS and len(p) <= 3)
    ]
    return {kind: [e for e in names if not _INTERROGATIVE.search(e)] for kind, names in found.items()}


_ROLES = (
    "董事长|总经理|副总经理|总裁|党委书记|书记|县委书记|县长|市长|副市长|副县长|主任|副主任|局长|院长|主席|副主席|"
    "负责人|创始人|经理|厂长|镇长|区长|社长|记者|通讯员|理事长|会长|秘书长"
)
PERSON_RE = re.compile(
    f"(?:{_ROLES})([{CJK}]{{2,3}}?)(?=[，。、：:；（(\\s]|表示|说|指出|介绍|认为|称|在|对|就|主持|出席|$)"
)


def person_names(text: str) -> list[str]:
    """Names written after a role ("县委书记乔云" → "乔云"), in order."""
    return [m.group(1) for m in PERSON_RE.finditer(text)]
