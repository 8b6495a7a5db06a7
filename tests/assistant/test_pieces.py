"""The deterministic parts of answering, on the sample page: direct answers, quotes, vetoes,
question kinds and time, entity questions. (The answer scorer is exercised in test_answer.)"""

from __future__ import annotations

import pytest

from assistant._agreement import disagreement, years_in
from assistant._candidates import candidates
from assistant._compose import quote_of
from assistant._entity_answers import parse
from assistant._question import analyze
from assistant._span import answer_span
from docs_store import Hit


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        (
            "定襄法兰2024年产值多少？",
            "定襄法兰作为省级专业镇标杆，2024年产值突破了170亿元，“定襄锻造产业集群”成功入选",
            "170亿元",
        ),
        (
            "忻州专业镇带动了多少人就业？",
            "忻州市专业镇主导产业产值突破310亿元，带动就业近3万人，培育市场主体超2300户。",
            "近3万人",
        ),
        (
            "兴县的项目哪天签的约？",
            "科学导报讯 3月18日，兴县经济技术开发区与安徽稳卓汽车部件有限公司共同举办了签约仪式。",
            "3月18日",
        ),
        ("稳卓公司的董事长叫什么？", "安徽稳卓汽车部件有限公司董事长周伦强对此表示：“兴县不仅资源丰富。”", "周伦强"),
        (
            "兴县和哪家公司签约了？",
            "兴县经济技术开发区与安徽稳卓汽车部件有限公司共同举办了签约仪式。",
            "安徽稳卓汽车部件有限公司",
        ),
        ("光伏装机容量有多少兆瓦？", "已建成分布式光伏装机容量40兆瓦，年内将再建成50兆瓦；", "40兆瓦"),
    ],
)
def test_direct_answer_span(question, sentence, span):
    found = answer_span(analyze(question), sentence)
    assert found is not None and sentence[found[0] : found[1]] == span


def test_no_direct_answer_for_other_questions():
    assert answer_span(analyze("长治高新区为什么要建绿电园区？"), "形成了对绿电的迫切需求和良好消纳；") is None
    assert answer_span(analyze("有哪些专业镇？"), "定襄法兰专业镇、代州黄酒专业镇") is None


@pytest.mark.parametrize(
    ("question", "kind", "is_list"),
    [
        ("定襄法兰一年能产多少钱的货？", "number", False),
        ("那家公司的老板叫啥？", "person", False),
        ("签约仪式是什么时候办的？", "date", False),
        ("那个项目落在哪里？", "place", False),
        ("长治高新区有哪几大主导产业？", "other", True),
    ],
)
def test_question_kinds(question, kind, is_list):
    asked = analyze(question)
    assert (asked.kind, asked.is_list) == (kind, is_list)


def _candidate(seed_store, needle: str):
    hits = seed_store.search(needle, k=8)
    question = analyze(needle)
    for c in candidates(question, hits, seed_store.idf(question.terms)):
        if needle in c.sentence:
            return c
    raise AssertionError(needle)


def test_a_sentence_about_another_year_or_place_never_answers(seed_store):
    output = _candidate(seed_store, "2024年产值突破了170亿元")
    article_years = years_in(seed_store.article(output.chunk.article_id).text)
    wrong_year = disagreement(analyze("定襄法兰2025年产值多少？"), output, article_years)
    assert wrong_year is not None and wrong_year.asked == "2025年" and wrong_year.reported == "2024年"
    assert disagreement(analyze("定襄法兰2024年产值多少？"), output, article_years) is None
    yuanping = _candidate(seed_store, "专业镇各主体全年总产值突破了26亿元")
    other_place = disagreement(analyze("宁武县的专业镇总产值多少？"), yuanping, article_years)
    assert other_place is not None and other_place.reported == "原平市"
    half_year = disagreement(analyze("定襄法兰上半年产值多少？"), output, article_years)
    assert half_year is not None and half_year.asked == "上半年"


def test_quotes_start_at_the_claim_and_close_their_quotation(seed_store):
    lead = _candidate(seed_store, "从省能源局传来喜讯")
    quote = quote_of(lead.chunk, lead.start, lead.end)
    text = seed_store.article(lead.chunk.article_id).text
    assert text[quote.start : quote.end].startswith("日前，从省能源局")
    speech = _candidate(seed_store, "此次签约项目是兴县与安徽稳卓汽车部件有限公司强强联合")
    quote = quote_of(speech.chunk, speech.start, speech.end)
    quoted = text_of(seed_store, quote)
    assert quoted.count("“") == quoted.count("”") and quoted.endswith("”")


def text_of(store, quote) -> str:
    return store.article(quote.chunk.article_id).text[quote.start : quote.end]


def test_a_long_sentence_is_cut_to_the_clauses_around_the_answer(seed_store):
    c = _candidate(seed_store, "总目标下的八项核心任务")
    assert len(c.sentence) > 150
    span = answer_span(analyze("阳曲园区服务中心解读了几项核心任务？"), c.sentence)
    assert span is not None and c.sentence[span[0] : span[1]] == "八项"
    quote = quote_of(c.chunk, c.start, c.end, (c.start + span[0], c.start + span[1]))
    quoted = text_of(seed_store, quote)
    assert "八项核心任务" in quoted and len(quoted) < 150 and quoted in c.sentence


@pytest.mark.parametrize(
    ("question", "form", "kind"),
    [
        ("忻州有哪些专业镇？", "list", "town"),
        ("哪些项目总投资超过10亿元？", "threshold", "project"),
        ("哪个项目总投资最大？", "maximum", "project"),
        ("介绍一下长治高新区", "summary", ""),
        ("最近有哪些关于兴县的报道？", "news", ""),
    ],
)
def test_entity_questions_are_recognised(question, form, kind):
    asked = parse(question)
    assert asked is not None and asked.form == form and asked.kind == kind


@pytest.mark.parametrize(
    "question", ["长治高新区的四大主导产业是什么？", "兴县和哪家公司签约了？", "定襄法兰2024年产值多少？"]
)
def test_other_questions_stay_with_sentences(question):
    assert parse(question) is None


def test_hits_type_is_the_store_hit():
    assert Hit.__name__ == "Hit"
