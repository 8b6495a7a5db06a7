"""Time phrases filter what is searched (publication dates) and what a figure must be about."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assistant import Assistant
from docs_store import DocsStore, Settings
from ingest import parse_file
from tests.conftest import page_store


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory, m3e):
    folder = tmp_path_factory.mktemp("dated")
    bulk = folder / "news.jsonl"
    records = [
        {"id": "a", "date": "2025-03-18", "title": "阳曲工业园区签约储能项目",
         "text": "3月18日，阳曲工业园区与山西华储能源有限公司签约年产5GWh储能电池项目，总投资30亿元。"},
        {"id": "b", "date": "2024-04-02", "title": "阳曲工业园区签约光伏组件项目",
         "text": "4月2日，阳曲工业园区与山西晶辉光伏有限公司签约年产2GW光伏组件项目，总投资12亿元。"},
        {"id": "c", "date": "2025-11-20", "title": "兴县铝镁新材料产业园开工",
         "text": "11月20日，兴县铝镁新材料产业园一期项目开工，总投资8亿元。"},
    ]  # fmt: skip
    bulk.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    with DocsStore(folder / "store", embedding=m3e) as store:
        store.ingest(parse_file(bulk))
        yield store


def bot(store, today: str) -> Assistant:
    return Assistant(store, Settings(today=date.fromisoformat(today)))


def test_this_year_searches_this_years_articles(dated_store):
    res = bot(dated_store, "2025-06-01").answer("阳曲工业园区今年签约的项目总投资多少？")
    assert res.found and "30亿元" in res.text and "12亿元" not in res.text
    assert "2025年1月1日" in res.scope and "2025年6月1日" in res.scope
    assert all(c.date.startswith("2025") for c in res.citations)


def test_last_year_finds_last_years_figure(dated_store):
    res = bot(dated_store, "2025-06-01").answer("阳曲工业园区去年签约的光伏项目总投资多少？")
    assert res.found and "12亿元" in res.text and "2024" in res.scope


def test_recent_news_about_an_entity_are_dated_and_cited(dated_store):
    res = bot(dated_store, "2025-11-26").answer("最近有哪些关于兴县的报道？")
    assert res.found and "兴县铝镁新材料产业园开工" in res.text
    assert "2025年10月27日" in res.scope
    assert res.citations and res.citations[0].date == "2025-11-20"


def test_nothing_in_the_period_is_an_honest_refusal(dated_store):
    res = bot(dated_store, "2027-01-10").answer("阳曲工业园区最近一个月签约了什么项目？")
    assert res.found is False and res.scope


def test_an_undated_page_answers_for_a_year_but_not_for_recent_news(seed_store):
    """The sample page bears no date. "去年" names a year (checked in the sentence), so the
    page may answer it; "最近一个月" asks for recent articles, which an undated page is not."""
    last_year = (date(2024, 1, 1), date(2025, 3, 31))
    assert seed_store.search("忻州专业镇带动就业", k=3, published=last_year) == []
    assert seed_store.search("忻州专业镇带动就业", k=3, published=last_year, undated=True)
    res = bot(seed_store, "2025-03-31").answer("忻州专业镇去年带动了多少人就业？")
    assert res.found and res.text.startswith("近3万人")
    wrong_year = bot(seed_store, "2026-03-31").answer("忻州专业镇去年带动了多少人就业？")
    assert wrong_year.found is False and "2024年" in wrong_year.text
    assert bot(seed_store, "2025-03-31").answer("最近一个月忻州专业镇带动了多少人就业？").found is False


UNDATED_PAGE = """东海县赴沪招商签约6个项目

11月8日，在上海产业合作恳谈会上，总投资17亿元的6个项目签约。

据了解，东海县近年来招商引资成效明显，在2011中国中小城市投资潜力测评排名中，东海县位列第33位。

今年，东海县将继续围绕硅材料产业链开展精准招商。
"""


@pytest.fixture(scope="module")
def undated_store(tmp_path_factory, m3e):
    with page_store(tmp_path_factory.mktemp("undated"), m3e, {"donghai.txt": UNDATED_PAGE}) as store:
        assert store.articles()[0].date == ""
        yield store


def test_a_month_and_day_names_no_year(undated_store):
    res = bot(undated_store, "2026-12-02").answer("11月8日东海县在上海签约了几个项目？")
    assert res.found and "6个" in res.text, res.text


def test_a_weekday_names_no_year(undated_store):
    res = bot(undated_store, "2026-12-02").answer("周六在上海产业合作恳谈会上签约的项目总投资多少？")
    assert res.found and "17亿元" in res.text and res.scope == "", res.text


def test_a_year_glued_to_a_name_counts_as_that_year(undated_store):
    res = bot(undated_store, "2026-12-02").answer("2011年投资潜力测评东海县排第几？")
    assert res.found and "第33位" in res.text, res.text
    other = bot(undated_store, "2026-12-02").answer("2012年投资潜力测评东海县排第几？")
    assert not other.found and "2011" in other.text


def test_this_year_on_an_undated_page_says_it_is_undated(undated_store):
    """The page says 今年 about 硅材料 but has no date: a question about 去年 cannot be
    checked, and the refusal says why instead of naming a year the page never states."""
    res = bot(undated_store, "2026-12-02").answer("东海县去年在上海产业合作恳谈会上签约的6个项目总投资多少？")
    assert not res.found
    assert "未注明日期" in res.text and "17亿元" in res.text


def test_an_undated_page_answers_a_question_without_a_year(undated_store):
    res = bot(undated_store, "2026-12-02").answer("东海县在上海恳谈会上签约的项目总投资多少？")
    assert res.found and res.text.startswith("17亿元"), res.text
