"""Questions about web pages saved the way users save them (tests/ingest/fixtures): a
Traditional-script repost, an undated repost, a page without a title line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant import Assistant
from docs_store import DocsStore, Settings
from ingest import parse_file

FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"
PAGES = ("web_lianyungang_traditional.txt", "web_undated_repost.txt", "web_no_title_byline.txt")


@pytest.fixture(scope="module")
def pages_store(tmp_path_factory, m3e):
    with DocsStore(tmp_path_factory.mktemp("pages") / "store", embedding=m3e) as store:
        for name in PAGES:
            store.ingest(parse_file(FIXTURES / name))
        yield store


def ask(store, question: str, history=None):
    return Assistant(store, Settings(today=date(2024, 12, 2))).answer(question, history)


def verbatim(store, res) -> None:
    for c in res.citations:
        assert store.article(c.article_id).text[c.start : c.end] == c.quote


@pytest.mark.parametrize(
    ("question", "quoted", "answer"),
    [
        ("连云港开发区区内医药龙头企业前10个月完成产值多少？", "完成產值386億元", "386億元"),
        ("连云港开发区新开工亿元以上产业项目有多少个？", "新開工億元以上產業項目37個", "37個"),
    ],
)
def test_traditional_repost_answers_simplified_questions_in_its_own_script(pages_store, question, quoted, answer):
    res = ask(pages_store, question)
    assert res.found and answer in res.text, res.text
    assert quoted in res.citations[0].quote
    verbatim(pages_store, res)


def test_traditional_repost_is_dated_by_its_post_line_and_bylined(pages_store):
    article = next(a for a in pages_store.articles() if "連云港開發區" in a.title)
    assert article.date == "2024-11-18" and "王文" in article.byline
    assert not any("Discuz" in p.text or "廣告" in p.text or "刪除" in p.text for p in article.paragraphs)


def test_undated_repost_answers_a_month_and_day_and_a_year_in_a_name(pages_store):
    res = ask(pages_store, "11月8日东海县在上海产业合作恳谈会上签约了几个项目？")
    assert res.found and "6个" in res.text, res.text
    res = ask(pages_store, "2011年投资潜力测评东海县排第几？")
    assert res.found and "第33位" in res.text, res.text
    verbatim(pages_store, res)


def test_undated_repost_never_takes_the_footer_render_time_as_its_date(pages_store):
    article = next(a for a in pages_store.articles() if "东海县在沪签约" in a.title)
    assert article.date == ""


def test_page_without_a_title_has_its_byline_and_answers(pages_store):
    article = next(a for a in pages_store.articles() if "朱萍" in a.byline)
    assert "记者" not in article.title and not article.title.startswith("(")
    res = ask(pages_store, "赣榆区海洋经济产业园投产的海洋生物科技项目总投资多少？")
    assert res.found and "12亿元" in res.text, res.text
    res = ask(pages_store, "写赣榆区海洋生物科技项目投产的那篇报道作者是谁？")
    assert res.found and "朱萍" in res.text, res.text
