"""Newspaper and web page text → articles.

This is the part no library does for us. A page printed in columns and flattened to text
arrives as short lines (headlines, kickers, bylines, captions, pinyin), body paragraphs,
and paragraphs that the columns cut in two — the continuation is sometimes the next
paragraph and sometimes several paragraphs (or another article) away. A web page copied as
text arrives with the site around the article: menus, breadcrumb, an info line under the
title ("2019-11-09 12:25:00 来源:xx网 我来说两句"), share/print/mood widgets, related news,
comments and a copyright footer, often typed with half-width punctuation.

The parser works in four passes over the page's non-blank lines ("blocks"):

1. classify each block: body, heading, byline, photo credit, caption, pinyin noise, meta
   (labels, web-site furniture), dateline (a date/source/author info line, whose date and
   author the article takes); on a web page everything after the article's end (related
   news, comments, footer) is furniture too. Rules read each line through a view of the
   same length — Traditional characters as Simplified ("記者" as "记者", "廣告" as "广告")
   and half-width punctuation as its full-width twin — so one rule covers a repost in
   either script; the text itself (bylines included) stays verbatim;
2. repair column breaks: a body block that ends mid-sentence is joined with the block that
   continues it — the next body block, unless another block makes a word across the join
   ("…部件有" + "限公司…") and the next one does not. Web pages have no columns (a line is a
   paragraph), so they skip this pass;
3. cut the page into runs wherever the reading flow jumped, and give each run to its
   article (the flow after a moved fragment belongs to the fragment's article; a run whose
   owner is unknown goes to the article it shares the most rare character pairs with);
4. walk the runs: heading groups start articles (after a byline, at a run start, before a
   "…讯" lead, or above a web info line), or are sub-headings, or — followed by a byline —
   a title printed after its body (commentaries). A reporter in parentheses at an
   article's end ("（记者 张三）") is its byline when nothing better names one; one at the
   start of its first paragraph ("（记者 朱萍 通讯员 魏爱华）近日，…", after a source tag such
   as "【连网】") is its byline and leaves the paragraph with the tag, so neither can become
   the text a title falls back to.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ._article import build_article
from ._fold import fold
from ._text import CJK, SENTENCE_END, cut_words, ends_sentence, normalize_line
from ._types import Article, ParagraphKind

logger = logging.getLogger(__name__)

BODY_MIN_CHARS = 30
"""Lines this long are body text even without punctuation (headlines are shorter)."""
KICKER_MAX_CHARS = 8
"""A short line after the headline (栏目/引题 such as "创新驱动发展") is a kicker, not title."""

_PINYIN_RE = re.compile(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+(?: [a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)+", re.I)
_NAME = f"[{CJK}·]{{2,4}}"
_CREDIT_RE = re.compile(f"(?:(?:本报)?记者|通讯员)?\\s*{_NAME}(?:[ 、]+{_NAME})*\\s*(?:摄|摄影|供图)")
_BYLINE_RE = re.compile(f"(?:(?:本报)?记者|通讯员|文/|文：|作者：?)?\\s*{_NAME}(?:[ 、]+{_NAME}){{0,3}}")
_NOT_A_NAME = tuple("区县市镇省园村乡局会报网社厅部")
_CAPTION_START = ("图为", "▲", "△", "（图", "(图", "图：", "图片")
_LEAD_RE = re.compile(f"^(?:[{CJK}]{{2,10}}讯|(?:新华社|中新社|中新网|人民网|央视网|央广网)[{CJK}0-9]{{0,20}}电)")
_LEAD_BYLINE_RE = re.compile(f"\\s*[（(]?\\s*((?:本报)?(?:记者|通讯员)\\s*[{CJK}]{{2,3}}(?:[、 ][{CJK}]{{2,3}})*)")
_DATE_RE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})日?")
_META_RE = re.compile(
    r"^(?:责任编辑|编辑|责编|校对|审核|审校|监制|主编|来源|稿源|出处|分享到|扫一扫|原标题|浏览次数|阅读次数|点击数)\s*[:：]"
)

BlockKind = str  # body | heading | byline | credit | caption | pinyin | meta | dateline
_NOISE = ("pinyin", "credit", "caption", "meta", "dateline")


@dataclass(frozen=True)
class _Info:
    """What a date/source/author info line says (``dateline`` blocks)."""

    date: str  # YYYY-MM-DD or ""
    byline: str  # from 作者：/记者：/通讯员： fields, or ""
    labelled: bool  # names a source, author, publication time or site address, not only a date

    @property
    def heads_article(self) -> bool:
        """A dated, labelled line is the one under a web article's title (a bare date is the page's)."""
        return self.labelled and bool(self.date)


@dataclass(eq=False)
class _Block:
    pos: int
    text: str
    kind: BlockKind
    next: _Block | None = None
    claimed_by: _Block | None = None
    view: str = ""  # ``text`` with half-width punctuation read as full-width (same length), for the rules
    info: _Info | None = None
    furniture: str | None = None  # why a meta block is not text (see ``_furniture_of``)

    @property
    def web(self) -> bool:
        """Only web pages have this block: a dated info line, breadcrumb, menu, widget, ICP footer."""
        return (self.info is not None and self.info.heads_article) or self.furniture in _WEB_FURNITURE

    def chain(self) -> list[_Block]:
        blocks: list[_Block] = []
        block: _Block | None = self
        while block is not None:
            blocks.append(block)
            block = block.next
        return blocks

    def chain_text(self) -> str:
        return "".join(b.text for b in self.chain())

    @property
    def is_lead(self) -> bool:
        return bool(_LEAD_RE.match(self.view))


@dataclass(eq=False)
class _Draft:
    title: str = ""
    kicker: str = ""
    byline: str = ""
    paragraphs: list[tuple[str, ParagraphKind]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    date: str = ""
    trailing_byline: str = ""  # "（记者 张三）" after the body: used when nothing better names the author

    def body_text(self) -> str:
        return "".join(text for text, _ in self.paragraphs)


def parse_page(text: str, source: str, *, title_hint: str = "", date: str = "", byline: str = "") -> list[Article]:
    """Parse one page of plain text into its articles (see module docstring).

    ``title_hint``, ``date`` and ``byline`` come from the file's format (HTML metadata) and
    are used where the text itself does not say.
    """
    blocks = _classify([normalize_line(line) for line in text.splitlines()])
    if not blocks:
        return []
    web = _is_web_page(blocks)
    if not web:
        _repair_breaks(blocks)
    drafts = _assemble(_runs(blocks), web=web)
    for draft in drafts:
        _take_leading_credit(draft)
        _take_trailing_byline(draft)
    if len(drafts) == 1:
        drafts[0].title = drafts[0].title or normalize_line(title_hint)
        drafts[0].byline = drafts[0].byline or byline
    return [
        _to_article(d, source, date=d.date or date) for d in drafts if any(kind == "body" for _, kind in d.paragraphs)
    ]


# ---------------------------------------------------------------- pass 1: classify


def _classify(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    for pos, line in enumerate(ln for ln in lines if ln):
        view = _view_of(line)
        kind, info, furniture = _kind_of(line, view)
        blocks.append(_Block(pos, line, kind, view=view, info=info, furniture=furniture))
    _titles_above_info_lines(blocks)
    if _is_web_page(blocks):
        _cut_page_tail(blocks)
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        following = _next_significant(blocks, i)
        if following is not None and following.kind == "credit" or block.view.startswith(_CAPTION_START):
            block.kind = "caption"
        elif _looks_like_byline(block.view) and (following is None or following.kind == "heading"):
            block.kind = "byline"
    return blocks


def _kind_of(line: str, view: str) -> tuple[BlockKind, _Info | None, str | None]:
    """The block kind of one line, the info line it is (if any), and why it is furniture (if it is).

    Rules look at ``view`` (half-width punctuation read as full-width), so "来源:" is a label,
    "(记者 张三)" a byline and "增长8.2%;" a sentence end, while the text stays as typed.
    """
    if _PINYIN_RE.fullmatch(line) and line.isascii():
        return "pinyin", None, None
    info = _info_of(line, view)
    if info is not None:
        return ("byline" if _only_names_people(view) else "dateline"), info, None
    furniture = _furniture_of(view)
    if furniture is not None:
        return "meta", None, furniture
    if _paren_byline(line, view):
        return "byline", None, None
    if len(line) <= 20 and _CREDIT_RE.fullmatch(view):
        return "credit", None, None  # before reporters: "记者 张三 李四摄" is a photo credit
    if _role_byline(line, view):
        return "byline", None, None
    if (
        len(line) >= BODY_MIN_CHARS
        or any(ch in SENTENCE_END for ch in view)
        or view.endswith(("，", "、"))  # a headline never stops mid-clause
        or _HALF_WIDTH_CLAUSE_RE.search(line)  # typed prose: typeset headlines use full-width marks
    ):
        return "body", None, None
    return "heading", None, None


def _titles_above_info_lines(blocks: list[_Block]) -> None:
    """The line right above a web article's info line is its title, even when it is long
    (over ``BODY_MIN_CHARS``) or typed with half-width commas — as long as it has no full stop."""
    for i, block in enumerate(blocks):
        if block.info is None or not block.info.heads_article:
            continue
        above = next((b for b in reversed(blocks[:i]) if b.kind not in ("meta", "pinyin")), None)
        if (
            above is not None
            and above.kind == "body"
            and len(above.text) <= 80
            and not any(ch in SENTENCE_END for ch in above.view)
        ):
            above.kind = "heading"


def _looks_like_byline(text: str) -> bool:
    return bool(_BYLINE_RE.fullmatch(text)) and not text.endswith(_NOT_A_NAME) and text not in _WIDGET_WORDS


def _next_significant(blocks: list[_Block], i: int) -> _Block | None:
    for block in blocks[i + 1 :]:
        if block.kind not in ("pinyin", "meta"):
            return block
    return None


# ---------------------------------------------------------------- pass 1: web-page furniture

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？", ".": "。"}
_HALF_NEAR_CJK_RE = re.compile(
    f"(?<=[{CJK}“”\"'’])[,;:()!?]|[,;:()!?](?=[{CJK}])|(?<=[{CJK}”’\"')）%])\\.(?=$|\\s|[(（])"
)
_HALF_WIDTH_CLAUSE_RE = re.compile(f'[{CJK}%”"][,;][{CJK}“"0-9]')


def _read_half_width(line: str) -> str:
    """``line`` with half-width , ; : ( ) ! ? . next to CJK read as their full-width twins.

    Web pages are often typed with half-width marks ("据介绍,该项目…;二期…"); the rules are
    written for full-width ones. Each mark is replaced by one character, so offsets into the
    view are offsets into the text, which itself is never changed. "8.2%" and "12:25" stay.

    >>> _read_half_width('时间:2023-07-26 增长8.2%;转型.(记者 郭强)')
    '时间：2023-07-26 增长8.2%；转型。（记者 郭强）'
    """
    return _HALF_NEAR_CJK_RE.sub(lambda m: _HALF_TO_FULL[m.group(0)], line)


def _view_of(line: str) -> str:
    """What the rules read for ``line``: Traditional as Simplified and half-width marks as
    full-width, one character for one. Reposts on mirror sites arrive in Traditional script
    ("【連網】 (連云港日報全媒體記者 王文)", "列表頭部廣告一條"); folding once here lets every rule
    be written once, in Simplified, while offsets into the view stay offsets into the text.

    >>> _view_of('發布時間:2024-11-18 (記者 王文)')
    '发布时间：2024-11-18 （记者 王文）'
    """
    return _read_half_width(fold(line))


_ARTICLE_LABEL_RE = re.compile(
    r"(?:来源|稿源|作者|记者|发布时间|发布日期|发表时间|发帖时间|更新时间|时间|日期|发布者|浏览次数|浏览量|阅读次数|阅读量"
    r"|点击数|点击量|点击率)\s*[：:]|(?:发表于|发布于)(?=\s*\d)"  # Discuz: "发表于 2024-11-18 08:12"
)
_INFO_FIELD_RE = re.compile(
    r"(?:信息来源|文章来源|来源|稿源|作者|记者|通讯员|责任编辑|编辑|责编|审核|发布时间|发布日期|发表时间|发帖时间|更新时间"
    r"|时间|日期|发布者|来自|浏览次数|浏览量|阅读次数|阅读量|点击数|点击量|点击率|点击|访问量|人气|查看|回复|评论|字号|字体)"
    r"\s*[：:]\s*[^\s|｜丨【】\[\]，。；]*"
)
_POSTED_RE = re.compile(r"(?:^\s*[^\s|｜丨：]{1,16}?\s*)?(?:发表于|发布于)")
"""A forum post line's "admin 发表于" (the poster, then the time): info, not a heading."""
_TIME_RE = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|星期.|周[一二三四五六日天]|农历\S*")
_DOMAIN_RE = re.compile(r"(?:https?://)?(?:[A-Za-z0-9-]+\.)+(?:com|cn|net|org|gov|edu|info)(?:\.cn)?(?:/\S*)?", re.I)
_BRACKETED_RE = re.compile(r"[【\[][^】\]]{0,20}[】\]]")
_NAMES = f"{_NAME}(?![{CJK}·]|\\s*[：:])(?:[ 、，]+{_NAME}(?![{CJK}·]|\\s*[：:]))*"
_PERSON_FIELD_RE = re.compile(f"(作者|记者|通讯员)\\s*(?:[：:]\\s*|\\s+)({_NAMES})")
_TOKEN_SPLIT_RE = re.compile(r"[\s|｜丨•·/【】\[\]（）()<>《》：:，,>»›]+")


def _info_of(text: str, view: str) -> _Info | None:
    """The info line under a web article's title, or a page's date line, or None.

    Such a line is only dates, times, labelled fields (来源：… 作者：… 浏览次数：…), a site
    address and widget words ("我来说两句", "【打印】") — at most 4 other characters:
    "www.xx.org 2019-11-09 12:25:00 来源:xx网 我来说两句", "发布时间：2025年06月03日 10:15
    来源：山西日报 作者：张三", "时间:2023-07-26 浏览次数:123", "2024年4月15日 星期一".
    """
    if len(view) > 160 or any(ch in SENTENCE_END for ch in view) or _WEB_FOOTER_RE.search(view):
        return None  # a footer's render time or copyright year is never the article's date
    date = _date_of(view)
    labelled = bool(_ARTICLE_LABEL_RE.search(view) or _DOMAIN_RE.search(view))
    if not date and not labelled:
        return None
    rest = _PERSON_FIELD_RE.sub(" ", view)
    for pattern in (_POSTED_RE, _DATE_RE, _TIME_RE, _INFO_FIELD_RE, _DOMAIN_RE, _BRACKETED_RE):
        rest = pattern.sub(" ", rest)
    leftover = "".join(t for t in _TOKEN_SPLIT_RE.split(rest) if t and not _is_widget_token(t))
    if len(leftover.strip("-—_.")) > 4:
        return None
    return _Info(date, _info_byline(text, view), labelled)


def _info_byline(text: str, view: str) -> str:
    """Authors named in an info line, as typed: "作者：张三" → "张三", "记者 刘洋 通讯员 王五" → the same,
    "記者：王文" → "記者 王文" (the view finds them, the text spells them)."""
    parts = []
    for match in _PERSON_FIELD_RE.finditer(view):
        names = [text[s:e] for s, e in _spans(_NAME_SEP_RE, view, *match.span(2)) if _is_person_name(view[s:e])]
        if names:
            role = text[match.start(1) : match.end(1)]
            parts.append(" ".join(names) if match.group(1) == "作者" else f"{role} {' '.join(names)}")
    return " ".join(parts)


_NAME_SEP_RE = re.compile(r"[^ 、，]+")
"""A run of characters between name separators (space, 、，): one name, or a role word."""


def _spans(pattern: re.Pattern[str], view: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where ``pattern`` matches in ``view[start:end]``, as offsets into the whole view (and text)."""
    return [m.span() for m in pattern.finditer(view, start, end)]


def _only_names_people(view: str) -> bool:
    """An info line that is just "作者：张三" is a byline, not a dateline."""
    return not _date_of(view) and bool(_PERSON_FIELD_RE.search(view)) and not _PERSON_FIELD_RE.sub("", view).strip()


def _words(text: str) -> frozenset[str]:
    """A word list written as one space-separated string (easier to read and extend)."""
    return frozenset(text.split())


_NOT_PERSON = _words(
    "本站 本网 本报 本台 佚名 匿名 网络 网友 管理员 编辑部 记者站 记者 通讯员 作者 来源 综合 整理 转载 原创 未知 不详"
    " 全文完 待续 未完待续 节选 摘编 有删节 编译 资料图 供图 图片 视频 音频 新华社 详见 同上 完"
)
_NOT_IN_NAME = set("的了在和与是为年月日号第版期个县市区镇村")


def _is_person_name(text: str) -> bool:
    return (
        2 <= len(text) <= 4
        and re.fullmatch(f"[{CJK}·]+", text) is not None
        and text not in _NOT_PERSON
        and not text.endswith(_NOT_A_NAME)
        and not _NOT_IN_NAME.intersection(text)
    )


_OUTLET = f"[{CJK}]{{2,8}}?(?:日报|晚报|报社|报|社|电视台|融媒体中心|新闻网|网|台)"
"""The outlet before a role ("连云港日报全媒体记者", "新华社记者"): where the reporter works, not who wrote."""
_BARE_ROLE = "(?:本报|本台|本网|本刊)?(?:全媒体|融媒体|融媒|特约|见习|实习|首席){0,2}(?:记者|通讯员|实习生)"
_ROLE = f"(?:{_OUTLET})?{_BARE_ROLE}"
_PAREN_BYLINE = f"[（(]\\s*((?:{_ROLE}\\s*：?\\s*)?{_NAME}(?:[ 、，]+(?:{_ROLE}\\s*：?\\s*)?{_NAME}){{0,5}})\\s*[）)]"
_SOURCE_TAG = f"【[{CJK}A-Za-z·]{{1,10}}】"
"""A source tag opening a repost ("【连网】", "【新华网】"): no digits or marks, so "【2024年】" is not one."""
_PAREN_BYLINE_LINE_RE = re.compile(f"\\s*(?:{_SOURCE_TAG}\\s*)?{_PAREN_BYLINE}\\s*")
_PAREN_BYLINE_START_RE = re.compile(f"\\s*{_PAREN_BYLINE}\\s*")
_PAREN_BYLINE_END_RE = re.compile(f"(?<=[。！？；…”’」』])\\s*{_PAREN_BYLINE}\\s*$")
_SOURCE_TAG_START_RE = re.compile(f"\\s*{_SOURCE_TAG}\\s*")
_ROLE_RE = re.compile(f"(?P<outlet>{_OUTLET})?(?P<role>{_BARE_ROLE})\\s*：?")
_ROLE_WORD_RE = re.compile("记者|通讯员|实习生")
_ROLE_BYLINE_RE = re.compile(
    f"\\s*(?:{_SOURCE_TAG}\\s*)?((?:{_ROLE}\\s*：?\\s*{_NAME}(?:[ 、，]+{_NAME}){{0,3}}\\s*)+)"
)
_ROLE_BYLINE_MAX_CHARS = 48
_REPORTED_FROM_RE = re.compile(f"\\s*[{CJK}]{{0,6}}报道$")


def _paren_byline(text: str, view: str) -> str:
    """The byline of a line that is only "（李明）", "(记者 张三)", "（通讯员 王五 赵六）" — the
    reporter as regional sites print it after the article — or a repost's "【連網】 (連云港日報全媒體記者
    王文)" above it; else ""."""
    match = _PAREN_BYLINE_LINE_RE.fullmatch(view)
    return _credit_byline(text[match.start(1) : match.end(1)], match.group(1)) if match else ""


def _role_byline(text: str, view: str) -> str:
    """The byline of a line that is only reporters with their roles, no parentheses: "本报记者 朱萍 通讯员
    魏爱华", "連云港日報全媒體記者 王文" — else "". A role word is required: "稳增长 促发展" is a headline,
    and without this rule "记者 张三" with no title above it would become the title."""
    if len(view) > _ROLE_BYLINE_MAX_CHARS or not _ROLE_WORD_RE.search(view):
        return ""
    match = _ROLE_BYLINE_RE.fullmatch(view)
    if match is None:
        return ""
    return _credit_byline(text[match.start(1) : match.end(1)], match.group(1), role_required=True)


def _credit_byline(text: str, view: str, *, role_required: bool = False) -> str:
    """``text`` (a credit, ``view`` its view) as a byline if it names people, else "" ("完", "十一月",
    "二期工程"; "李明 摄" never gets here: it is a photo credit).

    Roles and names are kept as typed, one space apart ("记者 郭强 通讯员 闫文", "記者 王文"); an outlet
    before a role is dropped ("连云港日报全媒体记者 王文" → "全媒体记者 王文") like a trailing "长沙报道":
    both say where the reporter works, not who wrote.
    """
    reported = _REPORTED_FROM_RE.search(view)  # "（记者 帅才 程济安 长沙报道）"
    end = reported.start() if reported else len(view)
    roles = list(_ROLE_RE.finditer(view, 0, end))
    masked = list(view[:end])
    for role in roles:
        masked[role.start() : role.end()] = " " * (role.end() - role.start())
    names = _spans(_NAME_SEP_RE, "".join(masked), 0, end)
    if not names or not all(_is_person_name(view[s:e]) for s, e in names):
        return ""
    if role_required and not roles:
        return ""
    if not roles and (len(names) > 3 or any(e - s > 3 for s, e in names)):
        return ""  # bare names are short and few; "（二期工程）" is not a person
    pieces = sorted([role.span("role") for role in roles] + names)
    return " ".join(text[s:e] for s, e in pieces)


def _leading_credit(text: str) -> tuple[int, str]:
    """Where the source tag and reporter opening a first paragraph end, and the byline they name:
    "【連網】 (連云港日報全媒體記者 王文)東海縣…" → (offset of "東", "全媒體記者 王文"); (0, "") when the
    paragraph opens with neither. "（二期工程）…" is text and stays."""
    view = _view_of(text)
    tag = _SOURCE_TAG_START_RE.match(view)
    end = tag.end() if tag else 0
    paren = _PAREN_BYLINE_START_RE.match(view, end)
    byline = _credit_byline(text[paren.start(1) : paren.end(1)], paren.group(1)) if paren else ""
    if paren is not None and byline:
        end = paren.end()
    return (end, byline) if end < len(text) else (0, "")


def _take_leading_credit(draft: _Draft) -> None:
    """A source tag and a reporter in parentheses opening the first body paragraph ("【连网】", "（记者 朱萍
    通讯员 魏爱华）近日，…") leave it: the reporter becomes the byline (unless the info line named one),
    and the paragraph — the text a missing title falls back to — starts with the news."""
    first = next((k for k, (_, kind) in enumerate(draft.paragraphs) if kind == "body"), None)
    if first is None:
        return
    text = draft.paragraphs[first][0]
    end, byline = _leading_credit(text)
    if end:
        draft.paragraphs[first] = (text[end:], "body")
    draft.byline = draft.byline or byline


def _take_trailing_byline(draft: _Draft) -> None:
    """A reporter in parentheses ending the last body paragraph ("…投产。(记者 郭强)"): becomes the
    trailing byline and leaves the paragraph, so no sentence is just "(记者 郭强)"; the rest stays verbatim."""
    last = next((k for k in range(len(draft.paragraphs) - 1, -1, -1) if draft.paragraphs[k][1] == "body"), None)
    if last is None:
        return
    text = draft.paragraphs[last][0]
    match = _PAREN_BYLINE_END_RE.search(_view_of(text))
    byline = _credit_byline(text[match.start(1) : match.end(1)], match.group(1)) if match else ""
    if match is None or not byline:
        return
    draft.paragraphs[last] = (text[: match.start()].rstrip(), "body")
    draft.trailing_byline = draft.trailing_byline or byline


_WIDGET_WORDS = _words(
    """心情 相关评论 网友评论 发表评论 查看评论 我要评论 我来说两句 评论 评论区 分享 分享到 打印 打印本页 打印此页
    打印文章 关闭 关闭窗口 关闭本页 收藏 加入收藏 收藏本页 设为首页 字体 字号 大 中 小 默认 上一篇 下一篇 上一页 下一页
    首页 尾页 返回 返回顶部 返回首页 返回列表 顶部 点击排行 点击榜 排行榜 阅读排行 热门排行 相关新闻 相关阅读 相关链接
    相关文章 相关报道 延伸阅读 推荐阅读 热点新闻 热门推荐 热门文章 热点推荐 猜你喜欢 更多 高兴 感动 同情 愤怒 搞笑 难过
    新奇 流泪 无聊 震惊 开心 惊讶 支持 反对 顶 踩 赞 微信 微博 新浪微博 腾讯微博 QQ QQ空间 QQ好友 朋友圈 人人网 豆瓣
    复制链接 二维码 扫一扫 登录 注册 退出 用户名 密码 匿名 匿名发表 验证码 提交 发表 重置 纠错 我要纠错 网站地图
    联系我们 关于我们 免责声明 版权声明 隐私声明 隐私政策 友情链接 广告服务 网站声明 使用帮助 无障碍 长者模式 关怀版
    繁体 繁體 简体 English 手机版 移动版 客户端 责任编辑
    鸡蛋 鲜花 雷人 路过 握手 给力 板砖 欠揍 恶搞 可爱 很棒
    只看该作者 倒序浏览 阅读模式 电梯直达 楼主 沙发 板凳 地板 举报 回复 快速回复 显示全部楼层 上一主题 下一主题"""
)
"""Words of share/print/mood/comment/navigation widgets (and a forum's post toolbar): a line made only of
these is furniture. Simplified only: rules read Traditional through the view ("發表評論" is "发表评论")."""
_WIDGET_TOKEN_RE = re.compile(
    r"(?:\d+(?:人|条|次|票))+|\d+(?:评论)?|评论\d+|更多>*|(?:已有)?\d+人(?:参与|评论)"  # "0人0人0人": spaces went
)
_PAGE_TAIL_WORDS = _words(
    """心情 相关评论 网友评论 发表评论 我要评论 我来说两句 点击排行 阅读排行 热门排行 排行榜 相关新闻 相关阅读 相关链接
    相关文章 相关报道 延伸阅读 推荐阅读 热点新闻 热门推荐 热门文章 猜你喜欢 打印本页 打印此页 关闭窗口 关闭本页 上一篇
    下一篇 返回顶部 上一主题 下一主题"""
)
"""Widgets that come after a web article's text: from here to the next article, nothing is its text."""
_NAV_WORDS = _words(
    """首页 网站首页 新闻 要闻 时政 本地 国内 国际 财经 经济 社会 文化 旅游 体育 娱乐 科技 教育 健康 军事 图片 视频 专题
    评论 理论 县区 县域 政务 互动 服务 办事 公开 领导 机构 概况 资讯 动态 公告 通知 论坛 数据 门户 社区 正文 列表
    查看内容"""
)
_NAV_ENDINGS = tuple(_words("首页 新闻 中心 公开 服务 频道 专题 动态 互动 交流 概况 政务 发布 论坛 正文"))
_BREADCRUMB_RE = re.compile(
    # 当前位置：首页 > 新闻 / 您所在的位置：… (a bare "位置：" is an event's address)
    r"(?:(?:您|你)(?:当前|现在|所在)?的?|(?:当前|现在|所在)的?)(?:位置|页面)\s*[：:][^。！？；，]*"
    r"|首页(?:\s*(?:[>»›→＞/]+|&gt;)\s*[^>»›→＞/。！？；，]+)+"  # 首页 > 新闻中心 > 本地新闻
)
_WEB_FOOTER_RE = re.compile(
    r"ICP|公网安备|网站标识码|Copyright|All Rights Reserved|©"
    r"|GMT\s*[+-]\s*\d|Processed in\s*[\d.]+\s*second|\d+\s*queries\b|Powered by",  # a forum's render line
    re.I,
)
_FOOTER_RE = re.compile(
    r"版权所有|技术支持\s*[：:]|主办单位|承办单位|^主办\s*[：:]|^地址\s*[：:].*(?:电话|邮编|传真)|邮编\s*[：:]|建议使用.{0,20}浏览器|分辨率"
)
_PREV_NEXT_RE = re.compile(r"^(?:上一篇|下一篇|上一条|下一条|上篇|下篇|上一主题|下一主题)")
_WIDGET_PHRASE_RE = re.compile(
    r"^(?:扫一扫|扫描二维码|用手机扫|手机扫描|手机阅读|分享到|【?打印|【?关闭|已有\d+人|广告\s.*(?:>>|×))"
)
_TAIL_PHRASE_RE = re.compile(r"^(?:(?:您|你)?(?:看完|读完|阅读|看了)[^。！？]{0,8}心情|已有\d+人(?:参与|评论|发表))")
"""Widgets that say the article is over: "您看完此篇文章的心情：", "已有0人参与"."""
_AD_SLOT_RE = re.compile(
    f"(?:[{CJK}]{{0,6}}?(?:列表|文章|内容|正文|页面|页|顶部|底部|头部|尾部|右侧|左侧|侧栏|侧边|通栏|首页|内页|悬浮|弹窗"
    f"|对联|帖子|楼层|全站|全局)[{CJK}]{{0,6}}?)?"
    r"广告(?:位|栏|区|代码|图片|图|[一二三四五六七八九十\d]+(?:条|个|号)?|招租|招商|出租|合作|投放)*"
)
"""An ad slot's label left in the copied text: "列表头部广告一条", "文章页右侧广告", "广告位". It names a place
on the page or a slot ("户外广告" does not: it can be a headline)."""
_AD_SLOT_MAX_CHARS = 20
_DISCLAIMER_RE = re.compile(
    r"^[【\[]?(?:免责|版权|郑重|特别|转载)声明"
    r"|(?:版权|侵权|著作权)[^。！？]{0,20}(?:联系|告知|通知)[^。！？]{0,12}(?:删除|处理)"
    r"|(?:本文|文中|文章|本站|图片|内容|以上|部分)[^。！？]{0,12}(?:来源于|来自|源于|取自|转自|转载自|摘自)(?:网络|互联网)"
    r"|转载请?注明"
)
"""A repost's disclaimer: "文中内容、图片均来源于网络,如有版权问题请联系本站删除!", "免责声明：…",
"本文来源于网络，如有侵权请联系删除". Sentences, so they are caught before the sentence-mark test."""
_DISCLAIMER_MAX_CHARS = 150
_CRUMB_SEP_RE = re.compile(r"\s*(?:[>»›→＞]+|&gt;)\s*")
_CRUMB_MAX_CHARS = 12
_SOURCE_TAG_LINE_RE = re.compile(f"\\s*{_SOURCE_TAG}\\s*")
_SITE_RE = re.compile(f"^[{CJK}]{{2,16}}(?:新闻网|信息网|门户网|门户网站|政府网|网站|在线|融媒体中心|客户端|人民政府)$")
_END_MARK_RE = re.compile(r"^[（(](?:完|全文完|待续|未完待续)[）)]$")
_WEB_FURNITURE = ("breadcrumb", "widget", "menu", "web-footer", "prev-next", "ad", "disclaimer")
_WEAK_WEB_FURNITURE = ("widget", "prev-next", "ad", "disclaimer")
"""Web furniture that a printed page can also carry once ("相关新闻", "广告"): two are needed to call it a web page."""


def _furniture_of(view: str) -> str | None:
    """Why ``view`` is not article text — "label" (责任编辑：…), "breadcrumb", "widget",
    "menu", "web-footer" (ICP, ©, a forum's "GMT+8, … Processed in …", "Powered by …"), "footer"
    (版权所有, 主办单位), "prev-next", "site" (xx新闻网), "end" (（完）), "ad" (an ad slot's label),
    "disclaimer" (a repost's 如有侵权请联系删除), "tag" (a lone 【连网】) — or None.

    A breadcrumb starts with 首页/当前位置/您的位置, or is short section names joined by ">" or "»"
    (see ``_is_breadcrumb``), with no sentence punctuation: "增速>5%>去年" or "A>B且C>D的企业" are text.
    """
    bare = view.strip("[]【】 ")
    if len(view) < 60 and _META_RE.match(bare):  # "来源：xx，正文：…" is a body line
        return "label"
    if _END_MARK_RE.fullmatch(view):
        return "end"
    if len(view) <= 80 and _BREADCRUMB_RE.fullmatch(view) or _is_breadcrumb(view):
        return "breadcrumb"
    if _PREV_NEXT_RE.match(bare):
        return "prev-next"
    phrase = _WIDGET_PHRASE_RE.match(bare) or _TAIL_PHRASE_RE.match(bare)
    if len(view) <= 60 and phrase and not any(ch in "。！？" for ch in view):
        return "widget"
    if len(bare) <= _AD_SLOT_MAX_CHARS and _AD_SLOT_RE.fullmatch(bare):
        return "ad"
    if _SOURCE_TAG_LINE_RE.fullmatch(view):
        return "tag"
    if len(view) <= 200 and not any(ch in "。！？" for ch in view):
        if _WEB_FOOTER_RE.search(view):
            return "web-footer"
        if _FOOTER_RE.search(view):
            return "footer"
    if len(view) <= _DISCLAIMER_MAX_CHARS and _DISCLAIMER_RE.search(view):
        return "disclaimer"  # after the footers: "Copyright … 转载请注明出处" still ends the page
    if _SITE_RE.fullmatch(view):
        return "site"
    tokens = [t for t in _TOKEN_SPLIT_RE.split(view) if t]
    if tokens and all(_is_widget_token(t) for t in tokens):
        return "widget"
    if _is_menu(view, tokens):
        return "menu"
    return None


def _is_breadcrumb(view: str) -> bool:
    """A trail of short section names joined by ">" or "»" with a navigation word among them, whether
    or not it starts at 首页: "新闻> 连云港新闻", "首頁 » 新聞 » 本地" (read as Simplified). Text with ">"
    has sentence marks or figures ("增速>5%>去年同期。", "亩均投资>300万元"), and "增速>全市>全省平均水平"
    names no section."""
    if len(view) > 80 or not _CRUMB_SEP_RE.search(view) or any(ch in SENTENCE_END or ch in "，、" for ch in view):
        return False
    crumbs = [c for c in _CRUMB_SEP_RE.split(view.strip()) if c]
    if len(crumbs) < 2 or any(len(c) > _CRUMB_MAX_CHARS or re.search(r"[\d%]", c) for c in crumbs):
        return False
    return any(c in _NAV_WORDS or c.endswith(_NAV_ENDINGS) for c in crumbs)


def _is_widget_token(token: str) -> bool:
    return token in _WIDGET_WORDS or bool(_WIDGET_TOKEN_RE.fullmatch(token))


def _is_menu(view: str, tokens: list[str]) -> bool:
    """A row of at least three short links: "首页 | 要闻 | 时政", "首页 新闻 时政 本地 县区".

    Bylines ("记者 张三 李四 王五 赵六") and spaced headlines ("稳增长 促发展 惠民生") are not:
    a menu has separators or a navigation word."""
    if len(tokens) < 3 or any(len(t) > 8 or any(ch in SENTENCE_END or ch in "，、" for ch in t) for t in tokens):
        return False
    return bool(re.search(r"[|｜丨•]", view)) or any(t in _NAV_WORDS or t.endswith(_NAV_ENDINGS) for t in tokens)


def _is_web_page(blocks: list[_Block]) -> bool:
    """A page with a dated web info line, a breadcrumb, a menu or a web footer (ICP, ©), or at
    least two widget lines. A newspaper page has none of these: a lone "相关新闻" kicker, a
    "来源：" credit or a "xx人民政府" signature is not enough."""
    web = [b for b in blocks if b.web]
    return len(web) >= 2 or any(b.furniture not in _WEAK_WEB_FURNITURE for b in web)


def _opens_page_tail(block: _Block) -> bool:
    if block.furniture in ("web-footer", "footer", "prev-next"):
        return True
    if block.furniture != "widget":
        return False
    tokens = _TOKEN_SPLIT_RE.split(block.view)
    return bool(_TAIL_PHRASE_RE.match(block.view)) or any(t in _PAGE_TAIL_WORDS for t in tokens)


def _cut_page_tail(blocks: list[_Block]) -> None:
    """On a web page, everything after the article's closing widgets (相关评论, 心情, 打印本页,
    上一篇, 相关新闻, 网友评论, the footer …) is furniture: related-news titles would become
    sub-headings and readers' comments paragraphs. The tail ends where another article's
    info line starts, with that article's title lines just above it: a forum reply's
    "lisi 发表于 2024-11-19 10:12" under the previous reply's text does not end it."""
    in_tail = False
    seen_body = False
    tail: list[tuple[_Block, BlockKind]] = []
    for block in blocks:
        if in_tail:
            if _heads_article(block) and _titled(tail):
                for earlier, kind in reversed(tail):
                    if kind == "meta":
                        continue  # furniture between the title and its info line ("列表头部广告一条")
                    if kind != "heading":
                        break
                    earlier.kind = "heading"
                in_tail, seen_body, tail = False, False, []
                continue
            tail.append((block, block.kind))
            block.kind = "meta"
            continue
        if block.kind == "body":
            seen_body = True
        elif seen_body and _opens_page_tail(block):
            in_tail = True


def _titled(tail: list[tuple[_Block, BlockKind]]) -> bool:
    """The last text line of the tail so far (furniture skipped) is a heading: a title above an info line."""
    return next((kind for _, kind in reversed(tail) if kind not in ("meta", "pinyin")), None) == "heading"


# ---------------------------------------------------------------- pass 2: column breaks


def _repair_breaks(blocks: list[_Block]) -> None:
    bodies = [b for b in blocks if b.kind == "body"]
    for block in bodies:
        if ends_sentence(block.view):
            continue
        target = _continuation_of(block, blocks, bodies)
        if target is None:
            logger.debug("no continuation found for %r", block.text[-20:])
            continue
        block.next = target
        target.claimed_by = block


def _continuation_of(block: _Block, blocks: list[_Block], bodies: list[_Block]) -> _Block | None:
    adjacent = _adjacent_body(block, blocks)
    if adjacent is not None and _joins_word(block.text, adjacent.text):
        return adjacent
    ancestors = set(_ancestors(block))
    candidates = [
        b
        for b in bodies
        if b is not block
        and b is not adjacent
        and b.claimed_by is None
        and b not in ancestors
        and not b.is_lead
        and not _follows_heading(b, blocks)
        and _joins_word(block.text, b.text)
    ]
    if candidates:
        return min(candidates, key=lambda b: abs(b.pos - block.pos))
    return adjacent


def _adjacent_body(block: _Block, blocks: list[_Block]) -> _Block | None:
    for other in blocks[block.pos + 1 :]:
        if other.kind in ("pinyin", "credit", "caption", "meta", "dateline"):
            continue
        if other.kind == "body" and other.claimed_by is None and not other.is_lead:
            return other
        return None
    return None


def _ancestors(block: _Block) -> list[_Block]:
    found = []
    while block.claimed_by is not None:
        block = block.claimed_by
        found.append(block)
    return found


def _follows_heading(block: _Block, blocks: list[_Block]) -> bool:
    return block.pos > 0 and blocks[block.pos - 1].kind == "heading"


def _joins_word(left: str, right: str) -> bool:
    """True if a dictionary word spans the join of ``left`` and ``right``."""
    head, tail = left[-6:], right[:6]
    pos = 0
    for token in cut_words(head + tail, hmm=False):
        end = pos + len(token)
        if pos < len(head) < end:
            return True
        pos = end
    return False


# ---------------------------------------------------------------- pass 3: runs


@dataclass(eq=False)
class _Run:
    blocks: list[_Block]
    owner_block: _Block | None = None  # chain head whose article this run continues
    after_jump: _Block | None = None  # the block after which the flow jumped away


def _runs(blocks: list[_Block]) -> list[_Run]:
    runs = [_Run([])]
    for block in blocks:
        if block.claimed_by is None:
            runs[-1].blocks.append(block)
        elif not _is_adjacent_link(block.claimed_by, block, blocks):
            runs.append(_Run([], owner_block=_chain_head(block)))
        if block.next is not None and not _is_adjacent_link(block, block.next, blocks):
            runs.append(_Run([], after_jump=block))
    return [run for run in runs if run.blocks]


def _is_adjacent_link(left: _Block, right: _Block | None, blocks: list[_Block]) -> bool:
    if right is None:
        return True
    between = blocks[left.pos + 1 : right.pos]
    return right.pos > left.pos and all(b.kind in _NOISE for b in between)


def _chain_head(block: _Block) -> _Block:
    while block.claimed_by is not None:
        block = block.claimed_by
    return block


# ---------------------------------------------------------------- pass 4: articles


def _assemble(runs: list[_Run], *, web: bool = False) -> list[_Draft]:
    """Articles from the runs (see module docstring, pass 4). ``web``: the page is a web page, where an
    info line that only names a source or an author ("来源：东海资讯网 作者：佚名", no date) is under its
    article's title too, so the site name above the title is page header, not part of the title."""
    drafts: list[_Draft] = []
    owner_of: dict[int, _Draft] = {}  # id(chain head) -> draft
    current: _Draft | None = None
    pending_date = ""  # a dateline seen before its article's headline
    pending_byline = ""
    for run in runs:
        blocks = [b for b in run.blocks if b.kind != "meta"]
        if not blocks:
            continue
        run.blocks = blocks
        current = _owner_of_run(run, drafts, owner_of, current)
        i = 0
        at_run_start = True
        while i < len(blocks):
            block = blocks[i]
            if block.kind == "heading":
                start = i
                group, i = _heading_group(blocks, i)
                preceding = blocks[start - 1] if start > 0 else None
                following = next((b for b in blocks[i:] if b.kind != "dateline"), None)
                under = blocks[i] if i < len(blocks) else None
                web_title = under is not None and under.kind == "dateline" and _titles_article(under, web)
                current = _place_heading_group(
                    group, preceding, following, current, drafts, at_run_start, web_title=web_title
                )
                at_run_start = False
            elif block.kind == "dateline":
                i += 1
                info = block.info or _Info(_date_of(block.view), "", False)
                if current is not None and (not current.date or not current.paragraphs):
                    _take_info(current, info)  # under its headline; beats a page date seen above it
                else:
                    pending_date = info.date or pending_date
                    pending_byline = info.byline or pending_byline
                continue
            else:
                i += 1
                current = _place_block(block, current, drafts, owner_of)
                at_run_start = False
            if pending_date and not current.date:
                current.date, pending_date = pending_date, ""
            if pending_byline and not current.byline:
                current.byline, pending_byline = pending_byline, ""
    return drafts


def _heads_article(block: _Block) -> bool:
    return block.info is not None and block.info.heads_article


def _titles_article(block: _Block, web: bool) -> bool:
    """``block`` is the info line right under an article's title (see ``_assemble``)."""
    return _heads_article(block) or (web and block.info is not None and block.info.labelled)


def _take_info(draft: _Draft, info: _Info) -> None:
    if info.date:
        draft.date = info.date
    if info.byline and not draft.byline:
        draft.byline = info.byline


def _date_of(text: str) -> str:
    match = _DATE_RE.search(text)
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}" if match else ""


def _owner_of_run(run: _Run, drafts: list[_Draft], owner_of: dict[int, _Draft], current: _Draft | None):
    if run.owner_block is not None and id(run.owner_block) in owner_of:
        return owner_of[id(run.owner_block)]
    if run.after_jump is not None and drafts and run.blocks[0].kind != "heading":
        return _most_similar(run, drafts, default=current)
    return current


def _most_similar(run: _Run, drafts: list[_Draft], default: _Draft | None) -> _Draft | None:
    """The draft sharing the most rare character bigrams with the run's text."""
    run_text = "".join(b.chain_text() for b in run.blocks if b.kind == "body")
    grams = [set(_bigrams(d.title + d.kicker + d.body_text())) for d in drafts]
    df = Counter(g for gs in grams for g in gs)
    wanted = set(_bigrams(run_text))

    def score(i: int) -> float:
        return sum(math.log((len(drafts) + 1) / df[g]) for g in wanted & grams[i])

    scores = [score(i) for i in range(len(drafts))]
    best = max(range(len(drafts)), key=lambda i: scores[i])
    if default is not None and default in drafts and scores[drafts.index(default)] >= scores[best]:
        return default
    return drafts[best]


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1) if not any(ch in "，。、；：“”" for ch in text[i : i + 2])]


def _heading_group(blocks: list[_Block], i: int) -> tuple[list[_Block], int]:
    group = []
    while i < len(blocks) and blocks[i].kind in ("heading", "pinyin"):
        group.append(blocks[i])
        i += 1
    return group, i


def _place_heading_group(
    group: list[_Block],
    preceding: _Block | None,
    following: _Block | None,
    current: _Draft | None,
    drafts: list[_Draft],
    at_run_start: bool,
    *,
    web_title: bool = False,
) -> _Draft:
    """Start an article with this heading group, or add it to ``current`` as sub-heading or as
    the title printed after the body. ``web_title``: a web info line follows, so the group
    starts an article whose title is its last line; lines above it (site name, weather,
    menu items the rules did not know) are page header."""
    lines = [b for b in group if b.kind == "heading"]
    if web_title and lines:
        titles = [b for b in lines if not b.text.startswith(("—", "－"))] or lines
        draft = _Draft(title=titles[-1].text)
        drafts.append(draft)
        return draft
    if (
        current is not None
        and not current.title
        and following is not None
        and following.kind == "byline"
        and current.paragraphs
    ):
        current.title = "".join(b.text for b in lines)
        return current
    starts_article = (
        current is None
        or at_run_start
        or (preceding is not None and preceding.kind == "byline")
        or (following is not None and following.kind == "body" and following.is_lead)
        or any(b.kind == "pinyin" for b in group)
    )
    if not starts_article and current is not None:
        for line in lines:
            current.paragraphs.append((line.text, "heading"))
        return current
    draft = _Draft()
    title_lines: list[str] = []
    for k, block in enumerate(group):
        if block.kind == "pinyin":
            continue
        followed_by_pinyin = k + 1 < len(group) and group[k + 1].kind == "pinyin"
        if followed_by_pinyin or (title_lines and len(block.text) <= KICKER_MAX_CHARS):
            draft.kicker = block.text if not draft.kicker else f"{draft.kicker} {block.text}"
        else:
            title_lines.append(block.text)
    draft.title = "".join(title_lines)
    drafts.append(draft)
    return draft


def _place_block(block: _Block, current: _Draft | None, drafts: list[_Draft], owner_of: dict) -> _Draft:
    if current is None:
        current = _Draft()
        drafts.append(current)
    if block.kind == "byline":
        if block.info is not None:
            current.byline = current.byline or block.info.byline
        elif paren := _paren_byline(block.text, block.view):
            if any(kind == "body" for _, kind in current.paragraphs):
                current.trailing_byline = current.trailing_byline or paren
            else:  # above the text: the repost's "【連網】 (連云港日報全媒體記者 王文)" line
                current.byline = current.byline or paren
        else:
            current.byline = _role_byline(block.text, block.view) or block.text
    elif block.kind in ("caption", "credit"):
        if block.kind == "credit" and current.captions:
            current.captions[-1] = f"{current.captions[-1]}（{block.text}）"
        else:
            current.captions.append(block.text)
    elif block.kind == "body":
        current.paragraphs.append((block.chain_text(), "body"))
        owner_of[id(block)] = current
    return current


def _to_article(draft: _Draft, source: str, *, date: str = "") -> Article:
    lead, byline = _lead_and_byline(draft.paragraphs)
    return build_article(
        source,
        draft.paragraphs,
        title=draft.title,
        kicker=draft.kicker,
        byline=draft.byline or byline or draft.trailing_byline,
        date=date,
        lead=lead,
        captions=draft.captions,
    )


def _lead_and_byline(paragraphs: list[tuple[str, ParagraphKind]]) -> tuple[str, str]:
    first = next((text for text, kind in paragraphs if kind == "body"), None)
    if first is None:
        return "", ""
    view = _view_of(first)
    match = _LEAD_RE.match(view)
    if not match:
        return "", ""
    reporter = _LEAD_BYLINE_RE.match(view, match.end())
    return first[: match.end()], (first[reporter.start(1) : reporter.end(1)].strip() if reporter else "")


_CREDIT_AFTER_LEAD_RE = re.compile(
    f"\\s*(?:[（(]\\s*(?:本报)?(?:记者|通讯员)[^）)]{{0,30}}[）)]"
    f"|(?:本报)?(?:记者|通讯员)\\s*[{CJK}]{{2,3}}(?:[、 ][{CJK}]{{2,3}})*)?\\s*"
)


def lead_length(text: str) -> int:
    """Length of the dateline lead at the start of ``text`` ("科学导报讯 记者王波 ",
    "新华社北京3月1日电（记者 …）"), 0 when there is none: a quote starts at the claim."""
    view = _view_of(text)  # "本報訊（記者 王文）" too
    match = _LEAD_RE.match(view)
    if not match:
        return 0
    credit = _CREDIT_AFTER_LEAD_RE.match(view, match.end())
    return credit.end() if credit else match.end()
