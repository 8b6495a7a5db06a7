"""Which outlet published an article: what a reader needs to cite it ("科学导报, 2025-03-14").

Newspapers and agencies name themselves in the dateline of the lead ("科学导报讯", "新华社北京
3月1日电", "中新网5月2日电"); reposts name the origin ("来源：…", stored as ``origin``). "本报讯"
names no outlet: the page it is printed on does, so :func:`page_outlet` gives the one outlet
the page's other articles name, when they agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._fold import fold
from ._types import Article

_NAME = r"[\u4e00-\u9fff]{1,10}?(?:日报|晚报|早报|时报|导报|商报|周报|报|网|社|台|客户端|新闻)"
DATELINE_RE = re.compile(
    rf"^\s*[【\[（(]?\s*(?:据|从|经)?(?P<name>{_NAME})\s*(?:讯|消息|[^，。！？\s]{{0,14}}?电)(?=[\s】\]）)：:（(]|记者|通讯员|$|[\u4e00-\u9fff\d])"
)
"""A dateline naming its outlet at the start of a paragraph: 科学导报讯 / 新华社北京3月1日电."""
NOT_OUTLETS = {"本报", "本网", "本台", "本社", "我报", "我网"}
PAGE_ARTICLES = 50
"""A file with more articles than this is a bulk export (JSONL), not one printed page: its
articles do not lend each other an outlet."""


def outlet_of(article: Article) -> str:
    """The outlet the article names: its ``origin`` (来源), else its lead's dateline; ""."""
    if article.origin:
        return article.origin
    for paragraph in article.paragraphs[:3]:
        found = DATELINE_RE.match(fold(paragraph.text))
        if found and found["name"] not in NOT_OUTLETS:
            return paragraph.text[found.start("name") : found.end("name")]
    return ""


def page_outlet(articles: Iterable[Article]) -> str:
    """The one outlet the articles of a page name, or "" when none or several do."""
    named = {outlet_of(a) for a in articles} - {""}
    return named.pop() if len(named) == 1 else ""
