"""Resolve the time phrase in a user's question ("今年上半年", "最近一个月", "2024年以来") against a given today.

A time phrase answers two different questions, and they are kept apart in :class:`TimeScope`:

* which articles to search (``published``, a range of publication dates), and
* which period a figure must be about (``years``/``periods``, checked against the answer's sentence).

They differ on purpose: a figure about 2024 is often reported in 2025, so "2024年" names a year
but does not filter by publication; "最近一个月" filters by publication but names no year.

The resolver is a handful of hand-written regular expressions with a tiny Chinese-numeral map
rather than a date-parsing library: it runs per question on the answer path, must stay well under
a millisecond, must not slow imports, and must refuse look-alikes such as "年产120万件",
"三年行动计划" or "一年能生产多少" that general-purpose parsers happily read as dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

_T = TypeVar("_T")

_MAX_DAYS = 365 * 100
"""Longest look-back a recency phrase may ask for ("近百年"); keeps date arithmetic in range."""

_RECENT_DAYS = 30
"""What "最近"/"近期"/"最新" alone means: the last month."""

_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｑｑ", "0123456789Qq")
"""Full-width digits map one-to-one, so positions in the normalized text are positions in the question."""

_CN_DIGITS = {c: i % 10 for i, c in enumerate("〇一二三四五六七八九零")} | {"两": 2}
_CN_UNITS = {"十": 10, "百": 100}
_QUARTER_NAMES = {"1": "一", "2": "二", "3": "三", "4": "四"}

# --- building blocks -------------------------------------------------------------------------------------------
_NUM = r"\d{1,3}|[〇零一二两三四五六七八九十百]{1,4}"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
# An explicit year: 19xx/20xx or "二〇二四", not inside a longer number, not "2000年历史" or "1990年代".
_EXPLICIT_YEAR = r"(?<![\d.])(?:19|20)\d\d(?!\d)|(?<![〇零一二三四五六七八九十])[一二][〇零一二三四五六七八九]{3}"
# A relative year, guarded against "如今年轻", "过去年均", "五年前年产", "说明年度", "失去年轻".
_RELATIVE_YEAR = (
    r"(?<!如)今|(?<![日基资成版根样文剧])本|(?<![过失])去"
    r"|(?<![\d年零一二三四五六七八九十百以之提])前|(?<![说证表声发透])明"
)
_YEAR_END = r"年(?!历史|代|龄|轻|纪|同期)"
_PERIOD = r"(?P<period>上半年|下半年|前三季度|第?[一二三四1-4]季度|(?<![A-Za-z])[Qq][1-4](?!\d))"
_SINCE = r"(?P<since>以来|至今(?!年)|迄今|到现在|到目前为止|到今天)"

_SINCE_RE = re.compile(
    rf"(?:自|从)?(?:(?P<year>{_EXPLICIT_YEAR}|{_RELATIVE_YEAR}){_YEAR_END}(?:的)?)?"
    rf"(?:(?P<start>年初|开年)|(?<![\d〇零一二两三四五六七八九十])(?P<month>{_MONTH})月份?)?{_SINCE}"
)
_YEAR_RANGE_RE = re.compile(rf"(?P<y1>{_EXPLICIT_YEAR})年?(?:至|到|-|—|－|~|～)(?P<y2>{_EXPLICIT_YEAR})年")
_YEAR_RE = re.compile(
    rf"(?P<year>{_EXPLICIT_YEAR}|{_RELATIVE_YEAR}){_YEAR_END}"
    rf"(?:(?:的)?{_PERIOD}|(?P<month>{_MONTH})月(?:份|(?:{_DAY})[日号])?)?"
)
_RECENCY_RE = re.compile(
    rf"(?:最近|(?<![将接附])近|在?过去的?)(?P<n>{_NUM}|半)"
    r"(?P<unit>个?月|天|日|周|个?星期|个?礼拜|年|个?季度)(?:以?来|内|里)?"
)
_NAMED_SPAN_RE = re.compile(
    r"(?P<this_week>本周|这周|这一周|这个星期|本星期|这个礼拜)"
    r"|(?P<last_week>上周|上个?星期|上个?礼拜)"
    r"|(?P<this_month>本月|这个月)"
    r"|(?P<last_month>上个月|上月(?![球亮]))"
    r"|(?P<today>今天)|(?P<yesterday>昨天|昨日)|(?P<before_yesterday>(?<![提之以])前天(?!数))"
)
_BARE_PERIOD_RE = re.compile(rf"(?<!每年)(?<!每年的){_PERIOD}")
# "离车站最近", "距离最近的" are about distance; "最近一次/最新一期" name the latest occurrence, however old.
_RECENT_RE = re.compile(r"最近(?!一[次届期])|近期|最新(?!一[次届期])")
_DISTANCE_RE = re.compile(r"[离距]")


@dataclass(frozen=True)
class TimeScope:
    """The time a question asks about, resolved against a given today.

    Attributes:
        phrase: The time phrase as written in the question ("今年上半年"); several are joined with "、".
        published: Inclusive range of article publication dates to search, or ``None`` for no filter.
            Never ends after today and never starts after its end.
        years: Years a figure must be about, for checking the answer's sentence; ``()`` if none.
        periods: Part of the year a figure must be about: "上半年", "下半年", "一季度" … "四季度",
            "前三季度"; ``()`` if none.
    """

    phrase: str
    published: tuple[date, date] | None
    years: tuple[int, ...]
    periods: tuple[str, ...]

    def describe(self) -> str:
        """A short Chinese note stating exactly the dates used, so the answer can say which dates it relied on.

        >>> TimeScope("去年上半年", (date(2024, 1, 1), date(2025, 11, 26)), (2024,), ("上半年",)).describe()
        '指2024年上半年，按2024年1月1日至2025年11月26日发布的文章'
        """
        parts: list[str] = []
        if self.years or self.periods:
            years = "、".join(f"{y}年" for y in self.years)
            parts.append(f"指{years}{'、'.join(self.periods)}")
        if self.published is not None:
            start, end = self.published
            span = cn_date(start) if start == end else f"{cn_date(start)}至{cn_date(end)}"
            parts.append(f"按{span}发布的文章")
        return "，".join(parts)


def resolve_time(question: str, today: date) -> TimeScope | None:
    """The time phrase in ``question`` resolved against ``today``, or ``None`` when it names no time.

    Rules are tried from the most to the least specific, and the first that matches wins:
    "以来/至今" spans, then named years (explicit or relative, all of them gathered), then
    "近N天/月/年", then "本周/上个月/昨天", then a bare part of year, then "最近" alone. A bare
    month or day ("3月份", "11月8日") or a weekday names no year — the question does not say
    which — so it constrains neither the dates searched nor the year a figure is about: an
    undated page that reports "11月8日…签约" answers "11月8日签约了几个项目".

    Args:
        question: The user's question, as typed.
        today: The date that "今年", "最近" and "本月" are relative to (passed in so tests and
            replays are reproducible).

    Returns:
        A :class:`TimeScope`, or ``None`` when the question has no time phrase.
    """
    text = question.translate(_FULLWIDTH)
    for rule in (_since, _named_years, _recency, _named_span, _bare_period, _recent):
        scope = rule(text, question, today)
        if scope is not None:
            return scope
    return None


# --- rules: each takes (normalized text, original question, today) -------------------------------------------


def _since(text: str, question: str, today: date) -> TimeScope | None:
    """ "2024年以来", "自2024年3月以来", "今年以来", "3月以来", "2024年至今": from that start to today."""
    for m in _SINCE_RE.finditer(text):
        if m.group("year") is None and m.group("month") is None and m.group("start") is None:
            continue  # a bare "以来" ("成立以来") names no start
        if m.group("year") is not None:
            year = _year_value(m.group("year"), today)
            month = cn_int(m.group("month")) if m.group("month") else 1
        elif m.group("start") is not None:
            year, month = today.year, 1
        else:
            month = cn_int(m.group("month"))
            year = _latest_year_of_month(month, today)
        if not 1 <= month <= 12:
            continue
        start = date(year, month, 1)
        if start > today:
            continue  # "2030年以来" cannot be searched; let the year rule read "2030年"
        return TimeScope(question[m.start() : m.end()], (start, today), (), ())
    return None


def _named_years(text: str, question: str, today: date) -> TimeScope | None:
    """ "2024年", "2023年至2025年", "今年一季度", "去年3月": the years (and parts) a figure is about.

    Explicit years do not filter by publication, since their figures are often reported the next year.
    Relative years search from January 1 of the earliest one to today; that still covers "去年"
    figures reported this year, and "明年" targets set this year.
    """
    found: list[tuple[int, int, list[int], str | None, bool]] = []  # start, end, years, period, explicit
    taken: list[tuple[int, int]] = []
    for m in _YEAR_RANGE_RE.finditer(text):
        first, last = _year_value(m.group("y1"), today), _year_value(m.group("y2"), today)
        if first < last <= first + 30:
            found.append((m.start(), m.end(), list(range(first, last + 1)), None, True))
            taken.append((m.start(), m.end()))
    for m in _YEAR_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        token = m.group("year")
        month = m.group("month")
        if month is not None and not 1 <= cn_int(month) <= 12:
            continue
        explicit = token not in {"今", "本", "去", "前", "明"}
        found.append((m.start(), m.end(), [_year_value(token, today)], _period_name(m.group("period")), explicit))
    if not found:
        return None
    found.sort()
    years = _unique(y for _, _, ys, _, _ in found for y in ys)
    periods = _unique(p for _, _, _, p, _ in found if p is not None)
    phrase = "、".join(question[s:e] for s, e, _, _, _ in found)
    if any(explicit for *_, explicit in found):
        return TimeScope(phrase, None, tuple(years), tuple(periods))
    relative = [y for _, _, ys, _, _ in found for y in ys]
    start = date(min(min(relative), today.year), 1, 1)
    return TimeScope(phrase, (start, today), tuple(years), tuple(periods))


def _recency(text: str, question: str, today: date) -> TimeScope | None:
    """ "近三个月", "最近一周", "过去一年", "近7天": the last N days up to today.

    A month counts 30 days, half a year 182, a year 365, a quarter 91. The range starts N days
    before today, so "最近一周" asked on a Wednesday still includes last Wednesday.
    """
    m = _RECENCY_RE.search(text)
    if m is None:
        return None
    unit = m.group("unit").lstrip("个")
    n = m.group("n")
    if n == "半":
        days = {"月": 15, "年": 182}.get(unit)
        if days is None:
            return None
    else:
        count = cn_int(n)
        per = {"月": 30, "天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "年": 365, "季度": 91}[unit]
        if count <= 0:
            return None
        days = count * per
    start = _days_before(today, min(days, _MAX_DAYS))
    return TimeScope(question[m.start() : m.end()], (start, today), (), ())


def _named_span(text: str, question: str, today: date) -> TimeScope | None:
    """ "本周" (from Monday), "上周", "本月" (from the 1st), "上个月" (the whole month), "今天", "昨天", "前天"."""
    m = _NAMED_SPAN_RE.search(text)
    if m is None:
        return None
    kind = m.lastgroup
    if kind == "this_week":
        span = (today - timedelta(days=today.weekday()), today)
    elif kind == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        span = (monday, monday + timedelta(days=6))
    elif kind == "this_month":
        span = (today.replace(day=1), today)
    elif kind == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        span = (end.replace(day=1), end)
    else:
        back = {"today": 0, "yesterday": 1, "before_yesterday": 2}[str(kind)]
        day = today - timedelta(days=back)
        span = (day, day)
    return TimeScope(question[m.start() : m.end()], span, (), ())


def _bare_period(text: str, question: str, today: date) -> TimeScope | None:
    """ "上半年", "三季度" with no year: the latest such period that has begun."""
    m = _BARE_PERIOD_RE.search(text)
    if m is None:
        return None
    period = _period_name(m.group("period"))
    assert period is not None  # the pattern only matches named periods
    first_month = {"下半年": 7, "二季度": 4, "三季度": 7, "四季度": 10}.get(period, 1)
    year = _latest_year_of_month(first_month, today)
    return TimeScope(question[m.start() : m.end()], None, (year,), (period,))


def _recent(text: str, question: str, today: date) -> TimeScope | None:
    """ "最近", "近期", "最新" alone: the last 30 days — unless "离…最近" speaks of distance."""
    m = _RECENT_RE.search(text)
    if m is None or _DISTANCE_RE.search(text, 0, m.start()) is not None:
        return None
    return TimeScope(question[m.start() : m.end()], (_days_before(today, _RECENT_DAYS), today), (), ())


# --- helpers ---------------------------------------------------------------------------------------------------


def cn_int(s: str) -> int:
    """An integer written in digits or small Chinese numerals: "12", "十二", "三十六", "一百", "二〇二四"."""
    if s.isdecimal():  # ASCII or full-width digits
        return int(s)
    if all(c in _CN_DIGITS for c in s):  # digit by digit: "二〇二四", "三"
        value = 0
        for c in s:
            value = value * 10 + _CN_DIGITS[c]
        return value
    total, digit = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[c]
            digit = 0
    return total + digit


def _year_value(token: str, today: date) -> int:
    """The year a year token names: relative ("去") against today, else its numeral."""
    offset = {"今": 0, "本": 0, "去": -1, "前": -2, "明": 1}.get(token)
    return today.year + offset if offset is not None else cn_int(token)


def _period_name(raw: str | None) -> str | None:
    """The canonical name of a part of year: "第1季度" and "Q1" → "一季度"."""
    if raw is None:
        return None
    if raw[0] in "Qq":
        return _QUARTER_NAMES[raw[1]] + "季度"
    raw = raw.removeprefix("第")
    return _QUARTER_NAMES.get(raw[0], raw[0]) + raw[1:] if raw.endswith("季度") and raw != "前三季度" else raw


def _latest_year_of_month(month: int, today: date) -> int:
    """This year if ``month`` has begun by today, else last year: "3月" asked in February means last March."""
    return today.year if date(today.year, month, 1) <= today else today.year - 1


def _days_before(today: date, days: int) -> date:
    """``today`` minus ``days``, clamped to the first representable date."""
    try:
        return today - timedelta(days=days)
    except OverflowError:
        return date.min


def cn_date(d: date) -> str:
    """A date as Chinese news writes it: 2025年1月1日."""
    return f"{d.year}年{d.month}月{d.day}日"


def _unique(items: Iterable[_T]) -> list[_T]:
    """Items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))
