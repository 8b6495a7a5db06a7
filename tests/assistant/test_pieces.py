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
        ("兴县开发区跟谁签了约", "partners", ""),
        ("兴县和哪家公司签约了？", "partners", ""),  # a place signs no facts: the sentences answer
    ],
)
def test_entity_questions_are_recognised(question, form, kind):
    asked = parse(question)
    assert asked is not None and asked.form == form and asked.kind == kind


@pytest.mark.parametrize(
    "question", ["长治高新区的四大主导产业是什么？", "谁在签约仪式上讲话？", "定襄法兰2024年产值多少？"]
)
def test_other_questions_stay_with_sentences(question):
    assert parse(question) is None


def test_hits_type_is_the_store_hit():
    assert Hit.__name__ == "Hit"


@pytest.mark.parametrize("question", ["阳曲工业园区招商大会上哪些企业负责人发言？", "哪些园区企业获得了补贴资金？"])
def test_a_kind_word_inside_a_longer_request_is_not_an_entity_list(question):
    assert parse(question) is None


def test_list_questions_keep_their_region_without_a_suffix():
    asked = parse("忻州的专业镇有哪些？")
    assert asked is not None and (asked.form, asked.kind, asked.region) == ("list", "town", "忻州")


def test_names_shortened_or_described_by_the_user_still_agree(seed_store):
    project = _candidate(seed_store, "代县雁门王酒业10万吨有机黄酒生产项目")
    assert disagreement(analyze("代县雁门王酒业有机黄酒生产项目规模多少万吨？"), project) is None
    signed = _candidate(seed_store, "年产120万件新能源汽车铝合金零部件项目签约仪式")
    assert disagreement(analyze("兴县签约项目年产多少万件新能源汽车铝合金零部件？"), signed) is None
    platform = _candidate(seed_store, "实现50余家重点企业能耗实时监测")  # says 园区, under a 长治高新区 headline
    assert disagreement(analyze("长治高新区实现了多少家重点企业能耗实时监测？"), platform) is None


def test_a_day_question_wants_a_day():
    day = analyze("阳曲工业园区招商大会哪天举办？")
    assert day.satisfied_by("记者王波3月14日，招商大会成功举办。")
    assert not day.satisfied_by("将锚定2025年工作部署。")
    span = answer_span(day, "记者王波3月14日，山西转型综改示范区2025年招商大会成功举办。")
    assert span is not None and span == (4, 9)
    assert analyze("稳卓公司成立于哪一年？").satisfied_by("公司成立于2019年。")


def test_the_scorer_reads_a_bounded_number_of_sentences(seed_store):
    from assistant._answerability import TOP_HIT_EXTRA, reading_order

    question = analyze("忻州专业镇一共扶起来多少家市场主体？")
    found = candidates(question, seed_store.search(question.text, k=8), seed_store.idf(question.terms))
    order = reading_order(found, 3)
    assert len(order) == len(set(order)) <= 3 + TOP_HIT_EXTRA < len(found)


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("第7号产业园签约的项目总投资多少？", [(7, "号")]),
        ("第七号产业园", [(7, "号")]),
        ("二期项目和第十二届博览会", [(2, "期"), (12, "届")]),
        ("1号线和2号线", [(1, "号线"), (2, "号线")]),
        ("3月5号开工，共举办5次，2024年", []),  # a day, a count and a year are not labels
        ("十二月二十五号", []),
    ],
)
def test_numbered_names(text, labels):
    from assistant._question import labels_in

    assert [(label.number, label.unit) for label in labels_in(text)] == labels


def test_a_sentence_about_another_numbered_park_never_answers(seed_store):
    output = _candidate(seed_store, "2024年产值突破了170亿元")
    assert disagreement(analyze("第3号产业园2024年产值多少？"), output) is None  # no park numbered here


@pytest.mark.parametrize(
    ("question", "formal"),
    [
        ("那个项目一年能生产多少件？", "项目年产多少件？"),
        ("稳卓汽车部件的老板叫什么？", "稳卓汽车部件的董事长叫什么？"),
        ("金川鸿泰在五台投了多少钱？", "金川鸿泰在五台总投资多少钱？"),
        ("忻州专业镇带动了多少人上岗？", "忻州专业镇带动了多少人就业？"),
        ("长治高新区拿到了啥试点？", "长治高新区获得什么试点？"),
        ("钱塘新区的产值多少？", "钱塘新区的产值多少？"),  # a place name is left alone
        ("推动工业转型的项目有哪些？", "推动工业转型的项目有哪些？"),  # 推动 + 工业 is not 动工
        ("钱学森图书馆在哪？", "钱学森图书馆在哪？"),
        ("去年审批了多少项目？", "去年审批了多少项目？"),
        ("这是哪个部门批下来的？", "这是哪个部门批下来的？"),  # the approver, not 获批
        ("定襄搞法兰的那个镇产值多少？", "定襄法兰的镇产值多少？"),
        ("专业镇的扶持钱怎么拨？", "专业镇的扶持资金怎么拨？"),
    ],
)
def test_everyday_words_are_searched_in_reporters_words(question, formal):
    from assistant._wording import reporters_words

    assert reporters_words(question) == formal


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("代州黄酒的产值有多少？", "钱"),
        ("总投资是多少？", "钱"),
        ("投资了多少个项目？", "个"),
        ("有多少家企业？", "家"),
        ("营收增长了多少？", ""),  # a growth, a rate or a count is not an amount of money
        ("利润率是多少？", "%"),  # a rate is a percentage
        ("忻州市2024年GDP增速是多少？", "%"),
        ("投资项目有多少？", ""),
        ("阳曲招商会来了多少企业家？", "人"),  # people, not items
        ("有多少家企业？", "家"),
    ],
)
def test_an_amount_of_money_is_expected_where_one_is_asked(question, unit):
    assert analyze(question).unit == unit


def test_numbered_names_are_rewritten_in_place():
    from assistant._question import label_digits

    assert label_digits("二期和十二期") == "2期和12期"
    assert label_digits("第七号和十七号") == "第7号和17号"


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("忻州去年给专业镇发了多少专项资金？", ("专业镇",)),  # a time and 给 split names
        ("今年建德市产值多少？", ("建德市",)),  # a place that starts with 建 stays whole
        ("省里首批绿电产业园试点落在了哪个园区？", ("首批绿电产业园",)),  # 省里 is no part of a name
        ("福建省里有哪些园区？", ("福建省",)),
    ],
)
def test_names_in_questions(question, names):
    assert analyze(question).names == names


def test_length_groups_split_only_where_padding_costs_more():
    from assistant._scorer import _length_groups

    assert _length_groups([40, 42, 45]) == [slice(0, 3)]
    assert _length_groups([20, 22, 190]) == [slice(0, 2), slice(2, 3)]


def test_scoring_in_length_groups_gives_the_same_logits():
    import numpy as np

    from assistant._scorer import AnswerScorer

    scorer = AnswerScorer()
    contexts = [
        "定襄法兰作为省级专业镇标杆，2024年产值突破了170亿元。",
        "长治",
        "忻州市专业镇主导产业产值突破310亿元，带动就业近3万人，培育市场主体超2300户，"
        "从定襄法兰以创新资源集聚带动专业镇做大做强，到河曲海红果用“红火经济”开拓县域发展新赛道。" * 2,
    ]
    together = scorer._infer(scorer._encode("定襄法兰2024年产值多少？", contexts), range(len(contexts)))
    assert np.allclose(scorer.score("定襄法兰2024年产值多少？", contexts), together, atol=0.05)


def test_the_scorer_is_safe_from_many_threads():
    """Eight askers at once (the app's queue runs several): the tokenizer's shared padding
    state once gave one thread another's unpadded batch ("setting an array element with a
    sequence") under 20 users during an import."""
    import threading

    from assistant._scorer import AnswerScorer

    scorer = AnswerScorer()
    scorer.warm()
    contexts = ["长治", "定襄法兰作为省级专业镇标杆，2024年产值突破了170亿元。" * 4, "兴县经开区签约"] * 2
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            for _ in range(20):
                scorer.score("定襄法兰2024年产值多少？", contexts)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("写阳曲工业园区招商大会的那篇报道作者是谁？", "author"),
        ("这篇文章是谁写的？", "author"),
        ("这篇报道是哪天发布的？", "date"),
        ("阳曲工业园区招商大会那篇新闻是哪家媒体报道的？", "outlet"),
        ("报道中记者在现场看到了什么？", None),  # about the news, not the byline
        ("新闻中记者采访了谁？", None),
        ("这篇报道里项目资金来源是什么？", None),
        ("报道中哪家单位中标了？", None),
        ("据报道，新规什么时候发布？", None),
        ("记者在现场看到了什么？", None),
    ],
)
def test_questions_about_the_article_itself(question, field):
    from assistant._about import asked_field

    assert asked_field(question) == field


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("在2011中国中小城市投资潜力测评排名中", ["2011"]),
        ("2023世界制造业大会上签约", ["2023"]),
        ("2024年度十佳园区", ["2024"]),
        ("占地2000平方米", []),
        ("培育2000余家企业", []),
        ("投资2000以上", []),
        ("每吨1950美元", []),
    ],
)
def test_years_in_article_text_include_years_glued_to_names_but_not_counts(text, years):
    from assistant._agreement import TEXT_YEAR_RE

    assert TEXT_YEAR_RE.findall(text) == years


def test_descriptions_and_pointers():
    from assistant._followup import resolve_followup
    from assistant._question import described_names
    from assistant._types import Turn

    assert described_names("兴县跟安徽那家车企零件公司哪天签的约？") == {"车企零件公司"}
    assert described_names("请介绍那个园区里的稳卓公司去年产值") == frozenset()  # 稳卓公司 is a name
    assert resolve_followup("那家企业一年能生产多少？", []).unresolved == "企业"
    assert resolve_followup("这个项目是定襄法兰专业镇的吗？", []).unresolved == ""  # it names its subject
    turns = [Turn("兴县经济技术开发区和谁签约了？", "安徽稳卓汽车部件有限公司")]
    assert resolve_followup("该开发区今年签了几个项目？", turns).query == "兴县经济技术开发区今年签了几个项目？"
