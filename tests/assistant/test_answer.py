"""Answers on the sample articles, with the real model: figures, lists, follow-ups, refusals."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from assistant import Assistant, normalize_history
from assistant._numbers import numbers_in
from ingest import NewsAssistantError, parse_file


@pytest.fixture(scope="module")
def bot(seed_store):
    return Assistant(seed_store)


def _check_invariants(res, store):
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", res.text)]
    assert sorted(set(markers)) == [c.number for c in res.citations]
    quotes = "\n".join(c.quote for c in res.citations)
    for number in numbers_in(res.text):
        assert number in quotes, f"{number} is not in a cited quote"
    for c in res.citations:
        article = store.article(c.article_id)
        assert article.text[c.start : c.end] == c.quote
        assert c.quote in c.text
        assert c.title == article.title and c.source == article.source


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("定襄法兰2024年产值多少？", "170亿元"),
        ("忻州市专业镇主导产业产值突破多少？", "310亿元"),
        ("代州黄酒全年产值多少？", "5亿元"),
        ("长治高新区已建成分布式光伏装机容量多少兆瓦？", "40兆瓦"),
        ("五寨县建成高效节水灌溉农田多少万亩？", "11.3万亩"),
        ("兴县签约项目年产多少万件新能源汽车铝合金零部件？", "120万件"),
    ],
)
def test_numeric_answer_quotes_the_exact_figure(bot, seed_store, question, figure):
    res = bot.answer(question)
    assert res.found and res.mode == "extractive"
    assert figure in res.text
    assert any(figure in c.quote for c in res.citations)
    _check_invariants(res, seed_store)


def test_citation_points_at_article_paragraph_and_sentence(bot, seed_store):
    res = bot.answer("定襄法兰2024年产值多少？")
    c = res.citations[0]
    assert c.title == "忻州：孕育“镇”兴力量 赋能高质量发展" and c.byline == "畅雪"
    article = seed_store.article(c.article_id)
    paragraph = article.paragraphs[c.paragraph]
    assert paragraph.start <= c.start < c.end <= paragraph.end
    assert (c.start, c.end) in paragraph.sentences


def test_list_question_returns_the_list(bot, seed_store):
    res = bot.answer("长治高新区的四大主导产业是什么？")
    assert res.found and "电子信息、高端装备、新材料、生物医药" in res.text
    _check_invariants(res, seed_store)


def test_pilot_question(bot):
    res = bot.answer("长治高新区获批了什么试点？")
    assert res.found and "绿电产业园试点园区" in res.citations[0].quote


@pytest.mark.parametrize(
    ("question", "partner"),
    [
        ("兴县开发区跟谁签了约", "安徽稳卓汽车部件有限公司"),  # a short form of 兴县经济技术开发区
        ("兴县经济技术开发区与哪家企业签约？", "安徽稳卓汽车部件有限公司"),
        ("安徽稳卓汽车部件有限公司和谁签约了", "兴县经济技术开发区"),
        ("跟兴县经开区签约的是哪家公司？", "安徽稳卓汽车部件有限公司"),  # another suffix, the same park
        ("兴县开发区跟哪家公司签了合作协议？", "安徽稳卓汽车部件有限公司"),
    ],
)
def test_who_signed_with_an_entity_comes_from_its_signing_facts(bot, seed_store, question, partner):
    res = bot.answer(question)
    assert res.found and partner in res.text and "乔云" not in res.text  # not the official who spoke
    assert "年产120万件新能源汽车铝合金零部件项目" in res.text and "3月18日" in res.text
    assert partner in res.citations[0].quote and "签约" in res.citations[0].quote
    _check_invariants(res, seed_store)


def test_a_polite_opening_or_a_time_phrase_is_not_part_of_the_name(bot, seed_store):
    from datetime import date

    from assistant._entity_answers import _without_time, parse
    from assistant._time import TimeScope

    res = bot.answer("请问兴县开发区跟谁签了约？")
    assert res.found and "安徽稳卓汽车部件有限公司" in res.text and "乔云" not in res.text
    _check_invariants(res, seed_store)
    asked = parse("今年兴县开发区跟谁签了约")
    assert asked is not None and asked.form == "partners"
    this_year = TimeScope("今年", (date(2025, 1, 1), date(2025, 6, 30)), (2025,), ())
    assert _without_time(asked.name, this_year) == "兴县开发区"
    assert _without_time(parse("兴县开发区今年和哪些企业签约").name, this_year) == "兴县开发区"
    for polite in (
        "请问，跟兴县经开区签约的是哪家公司",
        "想问一下跟兴县经开区签约的是谁",
        "请告诉我兴县经开区跟谁签了约",
    ):
        assert parse(polite).name == "兴县经开区"


def test_a_short_name_that_fits_two_entities_finds_neither(tmp_path, store):
    from assistant._entity_answers import _resolve

    page = tmp_path / "parks.txt"
    page.write_text(
        "园区新闻\n\n3月18日，兴县经济技术开发区与甲乙汽车部件有限公司签约。"
        "4月2日，兴县高新技术开发区与丙丁新材料有限公司签约。\n",
        encoding="utf-8",
    )
    store.ingest(parse_file(page))
    assert _resolve(store, "兴县经济技术开发区").name == "兴县经济技术开发区"
    assert _resolve(store, "兴县高新开发区").name == "兴县高新技术开发区"
    assert _resolve(store, "兴县开发区") is None  # two parks fit: no guess
    assert _resolve(store, "绍兴县开发区") is None  # not the same opening


def test_company_followup(bot, seed_store):
    first = bot.answer("兴县和哪家公司签约了？")
    assert first.found and "安徽稳卓汽车部件有限公司" in first.text
    second = bot.answer("这家公司的董事长是谁？", history=[("兴县和哪家公司签约了？", first.text)])
    assert second.query.startswith("安徽稳卓汽车部件有限公司")
    assert second.found and "周伦强" in second.text
    _check_invariants(second, seed_store)


def test_a_name_before_the_pronoun_is_the_company_asked_about(bot, seed_store):
    """After an answer that names 府谷县金川鸿泰镁合金有限公司, "稳卓那家公司" still means 稳卓."""
    first = bot.answer("忻州有哪些专业镇？")
    assert "金川鸿泰" in first.text
    res = bot.answer("稳卓那家公司老板叫啥？", history=[("忻州有哪些专业镇？", first.text)])
    assert "金川鸿泰" not in res.query
    assert res.found and "周伦强" in res.text
    _check_invariants(res, seed_store)


def test_followup_with_gradio_messages_and_pronoun(bot):
    history = [
        {"role": "user", "content": [{"type": "text", "text": "长治高新区获批了什么试点？"}]},
        {"role": "assistant", "content": [{"type": "text", "text": bot.answer("长治高新区获批了什么试点？").text}]},
    ]
    res = bot.answer("它的四大主导产业是什么？", history=history)
    assert "长治高新区" in res.query and "生物医药" in res.text
    res = bot.answer("那里的分布式光伏年内将再建成多少兆瓦？", history=history)
    assert res.found and "50兆瓦" in res.text


def test_more_please_gives_new_sentences(bot):
    first = bot.answer("兴县和哪家公司签约了？")
    more = bot.answer("还有呢", history=[("兴县和哪家公司签约了？", first.text)])
    assert more.found
    assert {c.quote for c in more.citations}.isdisjoint({c.quote for c in first.citations})


@pytest.mark.parametrize(
    "question",
    [
        "太原市2024年的GDP是多少？",
        "兴县项目总投资额是多少亿元？",
        "北京冬奥会中国队获得多少枚金牌？",
        "定襄法兰2023年的出口额是多少美元？",
    ],
)
def test_off_corpus_questions_are_refused(bot, question):
    res = bot.answer(question)
    assert res.found is False and res.mode == "refusal"
    assert "没有找到" in res.text
    assert numbers_in(res.text) == []
    assert "[" not in res.text and res.citations == ()
    assert len(res.related) <= 3  # the nearest articles, for reference: titles, no quotes
    assert len({r.article_id for r in res.related}) == len(res.related)
    assert res.reason == "not found"


@pytest.mark.parametrize(
    ("question", "related"),
    [
        ("兴县项目总投资额是多少亿元？", True),  # names 兴县: its article is offered
        ("定襄法兰2023年的出口额是多少美元？", True),  # opens with 定襄法兰
        ("太原市2024年的GDP是多少？", False),  # no article is about 太原市
        ("北京冬奥会中国队获得多少枚金牌？", False),
    ],
)
def test_related_articles_share_the_questions_subject(bot, question, related):
    res = bot.answer(question)
    assert bool(res.related) is related
    assert ("相关文章" in res.text) is related


def test_a_refusal_says_why_and_suggests_what_the_articles_answer(bot):
    recent = bot.answer("最近定襄法兰产值多少？")  # the sample page names no date
    assert recent.reason == "undated" and "未注明发布日期" in recent.text and "发布的文章中没有找到" in recent.text
    assert recent.suggestions == ("定襄法兰产值多少？",)
    assert bot.answer(recent.suggestions[0]).found
    other_year = bot.answer("定襄法兰2025年产值多少？")
    assert other_year.reason == "near miss" and "定襄法兰2024年产值多少？" in other_year.suggestions
    for suggestion in other_year.suggestions:
        assert bot.answer(suggestion).found  # a suggestion is never another refusal
    assert numbers_in(bot.answer("繁峙箱包产值多少？").text) == []  # suggestions stay out of the text


def test_history_forms_are_equivalent():
    pair = [("兴县和哪家公司签约了？", "安徽稳卓汽车部件有限公司[1]")]
    messages = [
        {"role": "user", "content": "兴县和哪家公司签约了？"},
        {"role": "assistant", "content": "安徽稳卓汽车部件有限公司[1]"},
    ]
    parts = [
        {"role": "user", "content": [{"type": "text", "text": "兴县和哪家公司签约了？"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "安徽稳卓汽车部件有限公司[1]"}]},
    ]
    objects = [SimpleNamespace(role=m["role"], content=m["content"]) for m in messages]
    expected = normalize_history(pair)
    assert expected[0].question == "兴县和哪家公司签约了？"
    for form in (messages, parts, objects):
        assert normalize_history(form) == expected
    assert normalize_history(None) == []
    with pytest.raises(NewsAssistantError, match="history item not understood"):
        normalize_history([42])


@pytest.mark.parametrize("question", ["", "   ", "问" * 501])
def test_bad_questions_get_clear_errors(bot, question):
    with pytest.raises(NewsAssistantError, match="question is"):
        bot.answer(question)


def test_plain_text_copy_has_references(bot):
    res = bot.answer("定襄法兰2024年产值多少？")
    plain = res.plain_text()
    assert plain.startswith(res.text) and "[1] 《忻州：孕育“镇”兴力量 赋能高质量发展》" in plain


def test_number_matching_respects_digits_and_magnitude():
    from assistant._numbers import number_in, unsupported_numbers

    assert number_in("170亿", "产值突破了170亿元")
    assert not number_in("17", "产值突破了170亿元")
    assert not number_in("170万", "产值突破了170亿元")
    assert not number_in("1.5", "增长1.58倍")
    assert numbers_in("分三期进行，五户企业，第28个") == ["三", "五", "28"]
    assert (
        unsupported_numbers("新增5户，共34户[1]", ["新认定复核国家级高新技术企业34户", "新增5户市级企业技术中心"]) == []
    )


def test_history_with_html_bubbles_and_split_replies():
    history = [
        {"role": "user", "content": "兴县和哪家公司签约了？"},
        {"role": "assistant", "content": "兴县与安徽稳卓汽车部件有限公司签约&lt;b&gt;[1]"},
        {"role": "assistant", "content": [{"type": "text", "text": "<span class='notice'>⚠️ 提示</span>"}]},
    ]
    [turn] = normalize_history(history)
    assert turn.answer == "兴县与安徽稳卓汽车部件有限公司签约<b>[1]\n⚠️ 提示"


def test_figures_from_another_place_never_answer(tmp_path, m3e, seed_parsed):
    """The worst bug: a distractor article states "项目总投资额约5.8亿元" for some other place;
    asked about 兴县's project (whose article gives no investment figure) the assistant must
    refuse, not quote the other article's figure."""
    from docs_store import DocsStore
    from ingest import parse_file

    other = tmp_path / "other.txt"
    other.write_text(
        "城市综合管廊项目开工\n\n科学导报讯 某市城市综合管廊项目日前开工。项目总投资额约5.8亿元，建设内容包括综合管廊主体结构。\n\n张三\n",
        encoding="utf-8",
    )
    with DocsStore(tmp_path / "s", embedding=m3e) as store:
        store.ingest(seed_parsed)
        store.ingest(parse_file(other))
        bot = Assistant(store)
        res = bot.answer("兴县项目总投资额是多少亿元？")
        assert res.found is False and "5.8" not in res.text
        assert bot.answer("城市综合管廊项目总投资额是多少亿元？").found  # the same words do answer for the right place


def test_a_numbered_park_is_not_answered_from_its_neighbour(tmp_path, m3e):
    """Thirty near-identical articles differ only in the park's number: asked about 第7号, the
    answer must be 第7号's figure (8亿元), never 第6号's (7亿元); asked about a number that no
    article has, the assistant refuses and says which numbers it does know."""
    from docs_store import DocsStore
    from ingest import parse_file

    paths = []
    for i in range(1, 11):
        path = tmp_path / f"park{i}.txt"
        path.write_text(
            f"第{i}号产业园签约\n\n科学导报讯 第{i}号产业园日前签约新材料项目，总投资{i + 1}亿元，预计带动就业{i + 99}人。\n",
            encoding="utf-8",
        )
        paths.append(path)
    with DocsStore(tmp_path / "s", embedding=m3e) as store:
        for path in paths:
            store.ingest(parse_file(path))
        bot = Assistant(store)
        res = bot.answer("第7号产业园签约的项目总投资多少？")
        assert res.found and "8亿元" in res.text and "第6号" not in res.text
        assert "第七号" not in res.text
        assert bot.answer("第七号产业园签约的项目总投资多少？").text.startswith("8亿元")
        assert not bot.answer("第12号产业园签约的项目总投资多少？").found


THREE_PROJECTS = (
    "阳曲工业园区签约三个项目\n\n科学导报讯 3月，阳曲工业园区签约了新能源电池项目，总投资5亿元。\n\n"
    "4月，阳曲工业园区又签约了生物医药产业园项目，总投资3亿元。\n\n"
    "此外，阳曲工业园区还签约了智能装备制造项目，建成后年产值可达10亿元。\n\n"
    "园区负责人表示，将全力做好服务保障。\n"
)


def test_a_list_question_collects_every_item_in_article_order(tmp_path, m3e):
    """Three paragraphs each add a project: the answer quotes all three, one marker each, in
    the order the article prints them, and not the closing remark."""
    from docs_store import DocsStore
    from ingest import parse_file

    path = tmp_path / "projects.txt"
    path.write_text(THREE_PROJECTS, encoding="utf-8")
    with DocsStore(tmp_path / "s", embedding=m3e) as store:
        store.ingest(parse_file(path))
        res = Assistant(store).answer("阳曲工业园区签约了哪些项目？")
        assert res.found and len(res.citations) == 3
        assert [c.paragraph for c in res.citations] == sorted(c.paragraph for c in res.citations)
        for project in ("新能源电池", "生物医药产业园", "智能装备制造"):
            assert project in res.text
        assert "服务保障" not in res.text
        assert [f"[{i}]" in res.text for i in (1, 2, 3)] == [True, True, True]
        _check_invariants(res, store)


def test_a_figure_is_held_to_the_year_it_is_reported_for(bot):
    """ "2024年，…由2022年的143家增加到189家，全年黄酒产值超过5亿元": the 产值 is 2024's; asked
    for 2022's 产值 the assistant must not quote 5亿元 (nor 143家) as 2022's."""
    res = bot.answer("代州黄酒2022年的黄酒产值有多少？")
    assert res.found is False and "5亿元" not in res.text.split("：")[0] and "2024年" in res.text
    assert bot.answer("代州黄酒2024年的黄酒产值有多少？").text.startswith("超过5亿元")


def test_a_company_question_is_answered_with_a_company(bot):
    res = bot.answer("跟兴县经开区签约的是哪家公司？")
    assert not res.found or "安徽稳卓汽车部件有限公司" in res.text


def test_a_phase_and_an_undated_figure_are_not_quoted_for_another(tmp_path, m3e):
    """Under the headline "二期项目开工" a sentence about 一期 is still about 一期; and on a page
    with no date and no year, a figure cannot be quoted as 2024's."""
    from docs_store import DocsStore
    from ingest import parse_file

    page = tmp_path / "phase.txt"
    page.write_text(
        "华宇新材料二期项目开工\n\n科学导报讯 华宇新材料一期项目年产值5亿元，带动就业300人。"
        "二期项目总投资20亿元，主要生产高性能纤维。\n",
        encoding="utf-8",
    )
    with DocsStore(tmp_path / "s", embedding=m3e) as store:
        store.ingest(parse_file(page))
        bot = Assistant(store)
        assert "5亿元" not in bot.answer("华宇新材料二期项目年产值多少？").text.split("：")[0]
        assert bot.answer("华宇新材料一期项目年产值多少？").text.startswith("5亿元")
        undated = bot.answer("华宇新材料2024年一期项目年产值多少？")
        assert undated.found is False


def test_he_in_a_follow_up_is_the_person_just_named(bot):
    res = bot.answer("他另外还担任什么职务？", history=[("兴县的县委书记是谁？", "乔云")])
    assert res.query.startswith("乔云")
    assert not res.found or "吕梁市政协副主席" in res.text


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("写阳曲工业园区招商大会的那篇报道作者是谁？", "王波"),
        ("阳曲工业园区招商大会那篇新闻是哪家媒体报道的？", "科学导报"),
    ],
)
def test_questions_about_the_article_itself_are_answered_from_its_byline(seed_store, question, value):
    res = Assistant(seed_store).answer(question)
    assert res.found and value in res.text, res.text
    c = res.citations[0]
    assert value in c.quote and seed_store.article(c.article_id).text[c.start : c.end] == c.quote


def test_the_article_of_the_conversation_answers_this_article(seed_store):
    history = [("阳曲工业园区招商大会有多少人参会？", "50余名商业代表和企业家受邀参会。[1]")]
    res = Assistant(seed_store).answer("这篇文章的作者是谁？", history=history)
    assert res.found and "王波" in res.text
    undated = Assistant(seed_store).answer("这篇报道是哪天发布的？", history=history)
    assert not undated.found and "未注明日期" in undated.text


def test_an_unnamed_pointer_is_asked_back_not_answered(seed_store):
    """README's "那家企业一年能生产多少？" with no company named once answered with a town's
    170亿元: now the assistant asks which one, and quotes no figure."""
    res = Assistant(seed_store).answer("那家企业一年能生产多少？")
    assert not res.found and "哪家企业" in res.text and not res.citations
    assert not re.search(r"\d", res.text.replace("××", ""))
    named = Assistant(seed_store).answer(
        "那家企业一年能生产多少？", history=[("兴县和哪家公司签约了？", "安徽稳卓汽车部件有限公司")]
    )
    assert "安徽稳卓汽车部件有限公司" in named.query


def test_a_description_is_not_vetoed_as_another_name(seed_store):
    """ "安徽那家车企零件公司" describes 安徽稳卓汽车部件有限公司 in the user's words: the sentence
    naming the company is not "another company"; a different company's name still is."""
    import dataclasses

    from assistant._question import analyze, described_names

    bot = Assistant(seed_store)
    described = "兴县跟安徽那家车企零件公司哪天签的约？"
    assert described_names(described) == frozenset({"车企零件公司"})
    hits = seed_store.search("兴县 安徽 汽车部件 签约", k=4)

    def vetoes(question: str, text: str) -> list:
        asked = dataclasses.replace(analyze(text), described=described_names(question))
        return [j.disagreement for j in bot.judged(asked, hits) if "稳卓" in j.candidate.sentence]

    formal = "兴县跟安徽车企零件公司哪天签的约？"  # what the wording rewrite leaves (pointers dropped)
    kept = vetoes(described, formal)
    assert kept and all(d is None for d in kept)
    assert any(d is not None for d in vetoes(formal, formal))  # unmarked, it was "another company"
    other = "兴县跟安徽华宇汽车部件有限公司哪天签的约？"
    assert any(d is not None and "安徽稳卓汽车部件有限公司" in d.reported for d in vetoes(other, other))


def test_a_single_fact_answer_quotes_the_clause_not_the_whole_speech(seed_store):
    """A "who" question whose sentence is a 215-character account quotes the clauses around
    the one that answers, within 150 characters (markers not counted), verbatim."""
    res = Assistant(seed_store).answer("会上谁给大家讲了综改区的核心任务？")
    assert res.found and "负责同志" in res.text
    assert len(re.sub(r"\[\d+\]", "", res.text)) <= 150
    c = res.citations[0]
    assert seed_store.article(c.article_id).text[c.start : c.end] == c.quote


def test_a_list_question_names_every_town_of_the_region_with_citations(bot):
    res = bot.answer("忻州有哪些专业镇？")
    assert res.found and len(res.citations) >= 5
    for town in ("代州黄酒专业镇", "定襄法兰专业镇", "神池特色食品专业镇", "五台镁基新材料专业镇", "“特色杂粮”专业镇"):
        assert town in res.text
    store = bot.store
    for c in res.citations:  # each item cited to a sentence, verbatim
        assert store.article(c.article_id).text[c.start : c.end] == c.quote
    assert bot.answer("吕梁有哪些开发区？").found  # 兴县经济技术开发区 lies in 吕梁市 by the gazetteer


def test_a_pasted_control_character_is_a_space(bot):
    res = bot.answer("定襄法兰\x0b2024年产值多少？")
    assert res.found and "170亿元" in res.text


def test_a_kept_answer_round_trips_and_bad_kept_data_is_dropped(bot):
    from app import load_conversation, save_conversation
    from assistant import Answer

    res = bot.answer("定襄法兰2024年产值多少？")
    assert Answer.from_dict(res.to_dict() | {"score": res.score}) == res
    kept = save_conversation([("q", res)])
    broken = [{"q": "x", "a": {"text": None, "found": True, "citations": [{"number": "<b>"}]}}, {"q": "y"}, "junk"]
    assert load_conversation(broken + kept) == [("q", res)]
