"""Newspaper page text → articles.

This is the part no library does for us. A page printed in columns and flattened to text
arrives as short lines (headlines, kickers, bylines, captions, pinyin), body paragraphs,
and paragraphs that the columns cut in two — the continuation is sometimes the next
paragraph and sometimes several paragraphs (or another article) away.

The parser works in four passes over the page's non-blank lines ("blocks"):

1. classify each block: body, heading, byline, photo credit, caption, pinyin noise;
2. repair column breaks: a body block that ends mid-sentence is joined with the block that
   continues it — the next body block, unless another block makes a word across the join
   ("…部件有" + "限公司…") and the next one does not;
3. cut the page into runs wherever the reading flow jumped, and give each run to its
   article (the flow after a moved fragment belongs to the fragment's article; a run whose
   owner is unknown goes to the article it shares the most rare character pairs with);
4. walk the runs: heading groups start articles (after a byline, at a run start, or before a
   "…讯" lead), or are sub-headings, or — followed by a byline — a title printed after its
   body (commentaries).
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ._article import build_article
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
_LEAD_BYLINE_RE = re.compile(f"^\\s*[（(]?\\s*((?:本报)?(?:记者|通讯员)\\s*[{CJK}]{{2,3}}(?:[、 ][{CJK}]{{2,3}})*)")
_DATE_RE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})日?")
_META_RE = re.compile(r"^(?:责任编辑|编辑|责编|校对|审核|审校|监制|主编|来源|稿源|出处|分享到|扫一扫)\s*[:：]")
_BREADCRUMB_RE = re.compile(r"^(?:首页|当前位置|您的位置|当前页面)|[>»›](?:.*[>»›])")

BlockKind = str  # body | heading | byline | credit | caption | pinyin | meta | dateline
_NOISE = ("pinyin", "credit", "caption", "meta", "dateline")


@dataclass(eq=False)
class _Block:
    pos: int
    text: str
    kind: BlockKind
    next: _Block | None = None
    claimed_by: _Block | None = None

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
        return bool(_LEAD_RE.match(self.text))


@dataclass(eq=False)
class _Draft:
    title: str = ""
    kicker: str = ""
    byline: str = ""
    paragraphs: list[tuple[str, ParagraphKind]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    date: str = ""

    def body_text(self) -> str:
        return "".join(text for text, _ in self.paragraphs)


def parse_page(text: str, source: str, *, title_hint: str = "", date: str = "") -> list[Article]:
    """Parse one page of plain text into its articles (see module docstring)."""
    blocks = _classify([normalize_line(line) for line in text.splitlines()])
    if not blocks:
        return []
    _repair_breaks(blocks)
    drafts = _assemble(_runs(blocks))
    if title_hint and len(drafts) == 1 and not drafts[0].title:
        drafts[0].title = normalize_line(title_hint)
    return [
        _to_article(d, source, date=d.date or date) for d in drafts if any(kind == "body" for _, kind in d.paragraphs)
    ]


# ---------------------------------------------------------------- pass 1: classify


def _classify(lines: list[str]) -> list[_Block]:
    blocks = [_Block(pos, line, _kind_of(line)) for pos, line in enumerate(ln for ln in lines if ln)]
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        following = _next_significant(blocks, i)
        if following is not None and following.kind == "credit" or block.text.startswith(_CAPTION_START):
            block.kind = "caption"
        elif _looks_like_byline(block.text) and (following is None or following.kind == "heading"):
            block.kind = "byline"
    return blocks


def _kind_of(line: str) -> BlockKind:
    if _PINYIN_RE.fullmatch(line) and line.isascii():
        return "pinyin"
    if len(line) < 60 and (_META_RE.match(line) or _BREADCRUMB_RE.search(line)):
        return "meta"
    if len(line) < 60 and _DATE_RE.search(line) and not any(ch in SENTENCE_END for ch in line) and _is_dateline(line):
        return "dateline"
    if len(line) <= 20 and _CREDIT_RE.fullmatch(line):
        return "credit"
    if len(line) >= BODY_MIN_CHARS or any(ch in SENTENCE_END for ch in line):
        return "body"
    return "heading"


def _is_dateline(line: str) -> bool:
    """A line that is only a date, a time and source/author labels ("2025-07-02 10:15 来源：晋中日报")."""
    rest = _DATE_RE.sub("", line)
    rest = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?|星期.|周.|(?:来源|作者|记者|编辑|发布时间|时间)\s*[:：]\s*\S*", "", rest)
    return len(rest.strip(" 　|丨/：:")) <= 4


def _looks_like_byline(text: str) -> bool:
    return bool(_BYLINE_RE.fullmatch(text)) and not text.endswith(_NOT_A_NAME)


def _next_significant(blocks: list[_Block], i: int) -> _Block | None:
    for block in blocks[i + 1 :]:
        if block.kind not in ("pinyin", "meta"):
            return block
    return None


# ---------------------------------------------------------------- pass 2: column breaks


def _repair_breaks(blocks: list[_Block]) -> None:
    bodies = [b for b in blocks if b.kind == "body"]
    for block in bodies:
        if ends_sentence(block.text):
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


def _assemble(runs: list[_Run]) -> list[_Draft]:
    drafts: list[_Draft] = []
    owner_of: dict[int, _Draft] = {}  # id(chain head) -> draft
    current: _Draft | None = None
    pending_date = ""  # a dateline seen before its article's headline
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
                current = _place_heading_group(group, preceding, following, current, drafts, at_run_start)
                at_run_start = False
            elif block.kind == "dateline" and (current is None or current.date):
                pending_date = _date_of(block.text) or pending_date
                i += 1
                continue
            else:
                i += 1
                current = _place_block(block, current, drafts, owner_of)
                at_run_start = False
            if pending_date and not current.date:
                current.date, pending_date = pending_date, ""
    return drafts


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
) -> _Draft:
    lines = [b for b in group if b.kind == "heading"]
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
        current.byline = block.text
    elif block.kind == "dateline" and not current.date:
        current.date = _date_of(block.text)
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
        byline=draft.byline or byline,
        date=date,
        lead=lead,
        captions=draft.captions,
    )


def _lead_and_byline(paragraphs: list[tuple[str, ParagraphKind]]) -> tuple[str, str]:
    first = next((text for text, kind in paragraphs if kind == "body"), None)
    if first is None:
        return "", ""
    match = _LEAD_RE.match(first)
    if not match:
        return "", ""
    reporter = _LEAD_BYLINE_RE.match(first[match.end() :])
    return match.group(0), (reporter.group(1).strip() if reporter else "")
