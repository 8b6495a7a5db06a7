"""Users' words → reporters' words, before a question is searched and scored.

People ask "一年能生产多少", "老板叫什么", "花了多少钱", "带动多少人上岗"; the articles say 年产,
董事长, 总投资, 就业. The answer scorer was trained on questions worded like their passages,
and the words index only finds what is written, so a few everyday phrasings of the figures
and roles this domain reports are rewritten into the words news reports use. Pointing words
("那个镇", "那家企业") and the filler verb 搞 ("定襄搞法兰的") carry nothing a sentence could
match, so they go. The table is small on purpose: each row is a phrasing any
regional-economy reader would map the same way (none names a place, company or figure), and
the user's own question is what the answer shows.
"""

from __future__ import annotations

import re

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), formal)
    for pattern, formal in (
        (r"一年(?:能|可以|可|能够)?(?:生产|产出|产)", "年产"),
        (r"每年(?:能|可以|可|能够)?(?:生产|产出)", "年产"),
        (r"(?:上岗|有活干|找到工作|端上饭碗)", "就业"),
        (r"老板|老总|掌门人|当家人", "董事长"),
        (r"花了?多少钱|砸了?多少钱|投了?多少钱|投入了?多少钱|总共投了?多少钱?", "总投资多少钱"),
        (r"(?:挣|赚)了多少钱?|(?:挣|赚)多少钱", "营收多少钱"),
        (r"交了?多少税", "税收多少"),
        (r"占了?多大(?:地方|地|面积)?|占地多大", "占地面积多少"),
        (r"上马了?", "实施"),
        (r"攒下了?|攒了", "储备"),
        (r"拿到了?|拿下了?|捧回了?|(?<![看做办找听见拿])得到了?", "获得"),
        (r"上榜|评上了?|选上了?", "入选"),
        (r"开销|花销", "成本"),
        (r"盯着|盯住", "监测"),
        (r"扶起来|扶持起来|培养出", "培育"),
        (r"厂子|厂家", "企业"),
        (r"头一批|第一批", "首批"),
        (r"(?<![推带劳电运启发驱变联互流])动工", "开工"),
        (r"(扶持|补贴|奖励|专项|建设|发展|启动)钱", r"\1资金"),
        (r"(?<![哪])(?:那个|那家|那篇|那些|那边|那部|这个|这边)(?=[\u4e00-\u9fff])", ""),
        (r"搞(?=[\u4e00-\u9fff]{1,4}的)", ""),
        (r"啥", "什么"),
        (r"咋", "怎么"),
    )
)


def reporters_words(question: str) -> str:
    """``question`` with everyday phrasings of reported figures and roles in the words news
    uses ("一年能生产多少" → "年产多少"); unchanged when it has none."""
    for pattern, formal in _REWRITES:
        question = pattern.sub(formal, question)
    return question
