"""Time phrases in questions, resolved against a fixed today: what to search, and what a figure must be about."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assistant._time import TimeScope, resolve_time

TODAY = date(2025, 11, 26)  # a Wednesday
D = date

# question, phrase, published, years, periods
CASES: list[tuple[str, str, tuple[date, date] | None, tuple[int, ...], tuple[str, ...]]] = [
    # relative years: the year a figure is about, searched from its January 1 to today
    ("今年全市GDP是多少？", "今年", (D(2025, 1, 1), TODAY), (2025,), ()),
    ("去年出口总额多少", "去年", (D(2024, 1, 1), TODAY), (2024,), ()),
    ("前年粮食产量有多少", "前年", (D(2023, 1, 1), TODAY), (2023,), ()),
    ("去年上半年工业增加值增长多少", "去年上半年", (D(2024, 1, 1), TODAY), (2024,), ("上半年",)),
    ("今年一季度社零总额", "今年一季度", (D(2025, 1, 1), TODAY), (2025,), ("一季度",)),
    ("今年第一季度固定资产投资", "今年第一季度", (D(2025, 1, 1), TODAY), (2025,), ("一季度",)),
    ("今年前三季度的进出口", "今年前三季度", (D(2025, 1, 1), TODAY), (2025,), ("前三季度",)),
    ("今年上半年GDP比去年同期增长多少", "今年上半年", (D(2025, 1, 1), TODAY), (2025,), ("上半年",)),
    ("明年的增长目标是多少", "明年", (D(2025, 1, 1), TODAY), (2026,), ()),
    # explicit years: no publication filter, a 2025 article may report 2024 figures
    ("定襄法兰2024年产值多少？", "2024年", None, (2024,), ()),
    ("2024年上半年营收多少", "2024年上半年", None, (2024,), ("上半年",)),
    ("二〇二四年的粮食产量", "二〇二四年", None, (2024,), ()),
    ("2024年第三季度的CPI", "2024年第三季度", None, (2024,), ("三季度",)),
    ("2024年Q2出口", "2024年Q2", None, (2024,), ("二季度",)),
    ("2023年前三季度用电量", "2023年前三季度", None, (2023,), ("前三季度",)),
    ("2024年3月的数据", "2024年3月", None, (2024,), ()),
    ("2023年和2024年的产值各是多少", "2023年、2024年", None, (2023, 2024), ()),
    ("2023-2025年累计投资", "2023-2025年", None, (2023, 2024, 2025), ()),
    ("２０２４年的招商", "２０２４年", None, (2024,), ()),
    # recency: publication dates only
    ("最近有什么新闻", "最近", (D(2025, 10, 27), TODAY), (), ()),
    ("近期出台了哪些政策", "近期", (D(2025, 10, 27), TODAY), (), ()),
    ("最新的疫情通报", "最新", (D(2025, 10, 27), TODAY), (), ()),
    ("最近一个月的招聘会", "最近一个月", (D(2025, 10, 27), TODAY), (), ()),
    ("近一个月房价", "近一个月", (D(2025, 10, 27), TODAY), (), ()),
    ("过去一个月发生了什么", "过去一个月", (D(2025, 10, 27), TODAY), (), ()),
    ("最近一周的活动", "最近一周", (D(2025, 11, 19), TODAY), (), ()),
    ("近7天的降雨", "近7天", (D(2025, 11, 19), TODAY), (), ()),
    ("这周有什么活动", "这周", (D(2025, 11, 24), TODAY), (), ()),
    ("本周召开了哪些会议", "本周", (D(2025, 11, 24), TODAY), (), ()),
    ("上周的会议", "上周", (D(2025, 11, 17), D(2025, 11, 23)), (), ()),
    ("近三个月的房价走势", "近三个月", (D(2025, 8, 28), TODAY), (), ()),
    ("最近三个月新增企业", "最近三个月", (D(2025, 8, 28), TODAY), (), ()),
    ("最近半年的变化", "最近半年", (D(2025, 5, 28), TODAY), (), ()),
    ("近半年招商引资", "近半年", (D(2025, 5, 28), TODAY), (), ()),
    ("近一年的进出口", "近一年", (D(2024, 11, 26), TODAY), (), ()),
    ("过去一年有哪些大项目", "过去一年", (D(2024, 11, 26), TODAY), (), ()),
    ("最近一年", "最近一年", (D(2024, 11, 26), TODAY), (), ()),
    ("近两年来的变化", "近两年来", (D(2023, 11, 27), TODAY), (), ()),
    ("本月的活动安排", "本月", (D(2025, 11, 1), TODAY), (), ()),
    ("这个月有什么展会", "这个月", (D(2025, 11, 1), TODAY), (), ()),
    ("上个月的CPI", "上个月", (D(2025, 10, 1), D(2025, 10, 31)), (), ()),
    ("上月新增就业", "上月", (D(2025, 10, 1), D(2025, 10, 31)), (), ()),
    ("昨天的常务会议", "昨天", (D(2025, 11, 25), D(2025, 11, 25)), (), ()),
    ("今天有什么新闻", "今天", (TODAY, TODAY), (), ()),
    # since: from that start to today
    ("2024年以来的投资", "2024年以来", (D(2024, 1, 1), TODAY), (), ()),
    ("自2024年以来新增多少企业", "自2024年以来", (D(2024, 1, 1), TODAY), (), ()),
    ("2024年至今引进了多少项目", "2024年至今", (D(2024, 1, 1), TODAY), (), ()),
    ("今年以来的增长", "今年以来", (D(2025, 1, 1), TODAY), (), ()),
    ("3月以来的降雨", "3月以来", (D(2025, 3, 1), TODAY), (), ()),
    ("12月以来", "12月以来", (D(2024, 12, 1), TODAY), (), ()),
    ("2024年3月以来", "2024年3月以来", (D(2024, 3, 1), TODAY), (), ()),
    ("今年3月以来", "今年3月以来", (D(2025, 3, 1), TODAY), (), ()),
    # a part of year with no year: the latest one that has begun
    ("前三季度的GDP", "前三季度", None, (2025,), ("前三季度",)),
    ("第四季度的计划", "第四季度", None, (2025,), ("四季度",)),
]

NOT_TIME = [
    "一年能生产多少",
    "年产120万件的项目在哪里",
    "三年行动计划有哪些内容",
    "十四五规划的目标是什么",
    "离火车站最近的酒店",
    "最近一次会议是什么时候",
    "如今年轻人就业怎么样",
    "过去年均增长多少",
    "将近三年时间建成了什么",
    "日本年产量多少",
    "有2000年历史的古城",
    "1990年代的工厂",
    "提前天数是多少",
    "项目建成以来效益如何",
    "定襄法兰公司主要生产什么产品？",
    "每月补贴多少钱",
    "12个月的工资",
    "",
    # a bare month, a day or a weekday names no year: the question does not say which
    "3月份的产量",
    "三月的活动",
    "十二月有什么安排",
    "11月8日签约了几个项目",
    "周三签约了几个项目",
    "星期五开工的是哪个项目",
]


@pytest.mark.parametrize(("question", "phrase", "published", "years", "periods"), CASES, ids=[c[0] for c in CASES])
def test_resolves_time_phrase(question, phrase, published, years, periods):
    assert resolve_time(question, TODAY) == TimeScope(phrase, published, years, periods)


@pytest.mark.parametrize("question", NOT_TIME)
def test_non_time_phrases_are_not_time(question):
    assert resolve_time(question, TODAY) is None


@pytest.mark.parametrize(
    ("question", "today", "published", "years"),
    [
        ("上个月的CPI", D(2025, 1, 10), (D(2024, 12, 1), D(2024, 12, 31)), ()),
        ("上个月的CPI", D(2024, 3, 5), (D(2024, 2, 1), D(2024, 2, 29)), ()),
        ("本周的会议", D(2025, 11, 24), (D(2025, 11, 24), D(2025, 11, 24)), ()),
        ("四季度的计划", D(2025, 6, 1), None, (2024,)),
        ("2026年以来的投资", D(2025, 11, 26), None, (2026,)),  # a future start is no span; the year remains
    ],
)
def test_depends_on_today(question, today, published, years):
    scope = resolve_time(question, today)
    assert scope is not None
    assert (scope.published, scope.years) == (published, years)


def _describe(question: str) -> str:
    scope = resolve_time(question, TODAY)
    assert scope is not None, question
    return scope.describe()


def test_describe_states_the_dates_used():
    assert _describe("今年以来的投资") == "按2025年1月1日至2025年11月26日发布的文章"
    assert _describe("2024年产值多少") == "指2024年"
    assert _describe("2024年上半年营收") == "指2024年上半年"
    assert _describe("2023年和2024年的产值") == "指2023年、2024年"
    assert _describe("昨天的会议") == "按2025年11月25日发布的文章"
    assert _describe("去年上半年的出口") == "指2024年上半年，按2024年1月1日至2025年11月26日发布的文章"


@pytest.mark.parametrize("today", [TODAY, D(2024, 2, 29), D(2025, 1, 1), D(2025, 12, 31), D(2025, 3, 3)])
def test_scopes_are_well_formed(today):
    """Every range is ordered and ends by today; describe() names its boundaries; every scope says something."""
    questions = [q for q, *_ in CASES] + ["近百年的变迁", "近999天", "近十二个月", "前天的新闻"]
    for question in questions:
        scope = resolve_time(question, today)
        assert scope is not None, question
        assert all(part and part in question for part in scope.phrase.split("、")), question
        assert scope.published is not None or scope.years, question
        assert set(scope.periods) <= {"上半年", "下半年", "一季度", "二季度", "三季度", "四季度", "前三季度"}
        note = scope.describe()
        for year in scope.years:
            assert f"{year}年" in note
        if scope.published is not None:
            start, end = scope.published
            assert start <= end <= today, question
            for d in (start, end):
                assert f"{d.year}年{d.month}月{d.day}日" in note, question


def test_recency_counts_days_back_from_today():
    scope = resolve_time("近三个月", TODAY)
    assert scope is not None and scope.published == (TODAY - timedelta(days=90), TODAY)
