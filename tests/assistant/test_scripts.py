"""Traditional and Simplified script, full-width and ASCII digits match each other in search,
in the reader and in its vetoes; quotes stay verbatim in the page's own script."""

from __future__ import annotations

import pytest

from assistant import Assistant
from docs_store import Settings, tokenize
from ingest import fold
from tests.conftest import page_store

PAGE = """連云港：東海縣簽約6個重點項目

連云港日報訊 11月8日，在上海產業合作懇談會上，東海縣集中簽約6個重點項目，總投資１７億元。

據介紹，此次簽約項目涵蓋硅材料、高端裝備製造等領域，其中江蘇晶瑞半導體材料項目總投資8億元，預計2025年投產。

在2011中國中小城市投資潛力測評排名中，東海縣位列第33位。
"""


@pytest.fixture(scope="module")
def traditional_store(tmp_path_factory, m3e):
    with page_store(tmp_path_factory.mktemp("traditional"), m3e, {"donghai.txt": PAGE}) as store:
        yield store


def test_fold_keeps_length_and_offsets():
    text = "總投資１７億元，東海縣位列第33位"
    assert fold(text) == "总投资17亿元，东海县位列第33位" and len(fold(text)) == len(text)
    assert tokenize("總投資") == tokenize("总投资")


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_simplified_questions_find_a_traditional_page(traditional_store, mode):
    hits = traditional_store.search("东海县在上海签约项目总投资", k=3, mode=mode)
    assert hits and "總投資" in hits[0].chunk.text
    assert any("上海產業合作懇談會" in h.chunk.text for h in hits)


def test_simplified_question_gets_a_verbatim_traditional_quote(traditional_store):
    res = Assistant(traditional_store, Settings()).answer("东海县在上海签约的6个项目总投资多少？")
    assert res.found, res.text
    c = res.citations[0]
    assert "總投資１７億元" in c.quote  # the page's own script and digits
    assert c.answer == "１７億元"
    article = traditional_store.article(c.article_id)
    assert article.text[c.start : c.end] == c.quote
    assert article.text[c.answer_start : c.answer_end] == "１７億元"


def test_vetoes_read_folded_text(traditional_store):
    """Another year in Traditional script is still another year: 2025年投產 is not 2024."""
    res = Assistant(traditional_store, Settings()).answer("江苏晶瑞半导体材料项目2024年投产了吗？")
    assert not res.found
