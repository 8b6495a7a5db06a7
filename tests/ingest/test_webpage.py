"""Web pages copied as plain text come apart into one clean article each.

The fixtures are regional news/government pages as a browser copies them: header menus,
breadcrumb, the info line under the title (date, 来源, 作者, 浏览次数), share/print/mood
widgets, related news, readers' comments and the copyright footer, with half-width
punctuation in the body and the reporter in parentheses after the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest import Article, normalize_line, parse_file, parse_text

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Expected:
    title: str
    date: str
    byline: str
    paragraphs: int
    first: str  # the first body paragraph starts with this
    last: str  # the last body paragraph ends with this


PAGES = {
    # the user's page: domain/date/来源 line with 我来说两句, mood widgets, 相关评论, comments, "（李明）"
    "web_wutai_comments.txt": Expected(
        "五台县签约镁基新材料深加工项目", "2019-11-09", "李明", 4, "11月8日,五台县与", "总投资超过40亿元。"
    ),
    # 发布时间：… 来源：… 作者：…, "当前位置：" breadcrumb, short paragraphs with two ">"
    "web_changzhi_portal.txt": Expected(
        "长治高新区：绿电园区引来链上企业", "2025-06-03", "张三", 5, "今年以来，长治高新区", "达到60%以上。"
    ),
    # 时间:… 浏览次数:…, half-width body, "(记者 … 通讯员 …)" closing the last paragraph
    "web_dingxiang_gov.txt": Expected(
        "定襄法兰专业镇上半年产值同比增长8.2%",
        "2023-07-26",
        "记者 郭强 通讯员 闫文",
        4,
        "今年以来,定襄县",
        "绿色化转型.",
    ),
    # today's date in the header, a title over 30 characters, "（通讯员 … …）" on its own line
    "web_daixian_news.txt": Expected(
        "代县雁门王酒业10万吨有机黄酒生产项目一期工程在代县经济技术开发区竣工投产",
        "2024-04-12",
        "通讯员 王五 赵六",
        5,
        "4月11日,代县雁门王酒业",
        "市场主体达到189家。",
    ),
}

FURNITURE = [
    "来源",
    "我来说两句",
    "相关评论",
    "心情",
    "高兴 感动",
    "0人",
    "分享到",
    "打印",
    "关闭窗口",
    "上一篇",
    "下一篇",
    "责任编辑",
    "网友评论",
    "点击排行",
    "相关新闻",
    "相关阅读",
    "相关链接",
    "扫一扫",
    "首页",
    "位置",
    "浏览次数",
    "发布时间",
    "www.",
    "Copyright",
    "ICP",
    "联系我们",
    "主办",
    "新闻网",
    "人民政府门户网站",
    "文明上网",
    "支持!",
    "星期",
]


def _parse(name: str) -> list[Article]:
    return parse_text((FIXTURES / name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_one_clean_article(name):
    expected = PAGES[name]
    [article] = _parse(name)
    body = [p for p in article.paragraphs if p.kind == "body"]
    assert article.title == expected.title
    assert article.date == expected.date
    assert article.byline == expected.byline
    assert [p.kind for p in article.paragraphs] == ["body"] * expected.paragraphs
    assert body[0].text.startswith(expected.first)
    assert body[-1].text.endswith(expected.last)
    for word in FURNITURE:
        assert word not in article.text, word
        assert word not in article.title, word
    assert expected.date not in article.text  # the info line is not in the body
    assert not article.captions and not article.kicker


@pytest.mark.parametrize("name", sorted(PAGES))
def test_paragraph_characters_are_verbatim(name):
    """Half-width , ; : ( ) " stay as typed; only a closing "(记者 …)" leaves a paragraph."""
    lines = [normalize_line(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines()]
    [article] = _parse(name)
    for paragraph in article.paragraphs:
        assert any(line.startswith(paragraph.text) for line in lines), paragraph.text
    for sentence in article.sentences():
        assert not re.fullmatch(r"[（(].{0,20}[）)]", sentence), sentence  # no "(记者 …)" sentence


def test_half_width_quotes_and_marks_kept():
    [article] = _parse("web_wutai_comments.txt")
    assert (
        '签约仪式上,五台县委书记表示:"五台县将以最优的服务、最好的环境,全力保障项目早日落地、早日见效。"'
        in article.text
    )
    [gov] = _parse("web_dingxiang_gov.txt")
    assert '坚持"链长制"推进' in gov.text and "(其中3家为法兰锻造企业)。" in gov.text
    # ";" ends a sentence wherever it is typed
    assert any(gov.text[s:e].endswith("同比增长8.2%;") for s, e in gov.paragraphs[0].sentences)


def test_short_half_width_line_is_body_not_a_subheading():
    [article] = _parse("web_daixian_news.txt")
    kinds = {p.text: p.kind for p in article.paragraphs}
    assert kinds["据悉,二期工程计划年底开工"] == "body"


def test_half_width_full_stop_ends_the_paragraph_on_a_printed_page():
    """Without a web signal the column-break repair runs; a paragraph ending in "." after CJK
    is finished and must not swallow the next one."""
    text = (
        "示范区新签项目\n\n科学导报讯 3月1日,示范区新签约项目12个;总投资85亿元.\n\n"
        "签约企业涵盖新材料,新能源等领域。\n\n张三\n"
    )
    [article] = parse_text(text)
    assert [p.text for p in article.paragraphs] == [
        "科学导报讯3月1日,示范区新签约项目12个;总投资85亿元.",
        "签约企业涵盖新材料,新能源等领域。",
    ]
    assert article.title == "示范区新签项目" and article.byline == "张三" and article.lead == "科学导报讯"


def test_paragraphs_with_two_greater_than_signs_are_text():
    [article] = _parse("web_changzhi_portal.txt")
    assert "园区在招商中设定了明确的门槛：亩均投资>300万元且亩均税收>15万元的项目优先供地。" in article.text
    assert "1—5月，园区规上工业增加值同比增长12.6%，增速>全市>全省平均水平。" in article.text
    printed = (
        "园区筛选重点企业\n\n科学导报讯 园区对企业分类施策。\n\n"
        "A>B且C>D的企业纳入重点名单。\n\n增速>5%>去年同期。\n\n李茹\n"
    )
    [article] = parse_text(printed)
    assert [p.text for p in article.paragraphs][1:] == ["A>B且C>D的企业纳入重点名单。", "增速>5%>去年同期。"]


@pytest.mark.parametrize(
    "crumb",
    [
        "首页 > 新闻中心 > 本地新闻",
        "首页>县域>忻州",
        "当前位置：首页 > 新闻中心 > 本地新闻",
        "您的位置: 首页 > 政务公开 > 部门动态",
        "您现在的位置：首页 » 新闻 » 正文",
    ],
)
def test_real_breadcrumbs_are_dropped(crumb):
    [article] = parse_text(f"{crumb}\n\n园区新签项目\n\n园区今年新签约项目12个，总投资85亿元。\n")
    assert article.title == "园区新签项目"
    assert [p.text for p in article.paragraphs] == ["园区今年新签约项目12个，总投资85亿元。"]


@pytest.mark.parametrize(
    ("info", "date", "byline"),
    [
        ("2019-11-09 12:25:00 来源:忻州新闻网", "2019-11-09", ""),
        ("www.xinzhou.org 2019-11-09 12:25:00 来源:忻州新闻网 我来说两句", "2019-11-09", ""),
        ("发布时间：2025年06月03日 10:15 来源：山西日报 作者：张三", "2025-06-03", "张三"),
        ("时间:2023-07-26 浏览次数:123", "2023-07-26", ""),
        (
            "来源：山西日报 | 发布时间：2025-06-03 | 作者：张三 李四 | 浏览量：1024 | 【字体：大 中 小】【打印】",
            "2025-06-03",
            "张三 李四",
        ),
        ("2024-04-12 09:30 来源: 黄河新闻网 记者: 刘洋 编辑: 王敏", "2024-04-12", "记者 刘洋"),
        ("作者：本站 发布日期：2022/05/18 阅读次数：56", "2022-05-18", ""),
    ],
)
def test_info_line_gives_date_and_author_and_stays_out_of_the_body(info, date, byline):
    page = f"园区新签项目\n{info}\n园区今年新签约项目12个,总投资85亿元。\n项目涵盖新材料等领域。\n"
    [article] = parse_text(page)
    assert (article.title, article.date, article.byline) == ("园区新签项目", date, byline)
    assert [p.text for p in article.paragraphs] == ["园区今年新签约项目12个,总投资85亿元。", "项目涵盖新材料等领域。"]


@pytest.mark.parametrize(
    ("closing", "byline"),
    [
        ("（李明）", "李明"),
        ("(记者 张三)", "记者 张三"),
        ("（记者 张三）", "记者 张三"),
        ("（通讯员 王五 赵六）", "通讯员 王五 赵六"),
        ("（本报记者 刘洋 通讯员 王五）", "本报记者 刘洋 通讯员 王五"),
    ],
)
@pytest.mark.parametrize("own_line", [True, False])
def test_reporter_in_trailing_parentheses_is_the_byline(closing, byline, own_line):
    last = "项目涵盖新材料等领域。"
    page = f"园区新签项目\n\n园区今年新签约项目12个，总投资85亿元。\n\n{last}" + ("\n\n" if own_line else "") + closing
    [article] = parse_text(page)
    assert article.byline == byline
    assert article.paragraphs[-1].text == last


@pytest.mark.parametrize("closing", ["（完）", "（二期工程）", "（十一月）"])
def test_parentheses_without_a_reporter_are_no_byline(closing):
    page = f"园区新签项目\n\n园区今年新签约项目12个，总投资85亿元。\n\n项目涵盖新材料等领域。{closing}\n"
    [article] = parse_text(page)
    assert article.byline == ""
    assert article.paragraphs[-1].text.endswith(closing)


def test_info_line_author_beats_trailing_parentheses_and_lead_beats_them_too():
    page = "园区新签项目\n2025-06-03 来源：晋中日报 作者：张三\n园区今年新签约项目12个。\n（李明）\n"
    assert parse_text(page)[0].byline == "张三"
    page = "园区新签项目\n\n本报讯（记者 刘洋）园区今年新签约项目12个。\n\n（李明）\n"
    assert parse_text(page)[0].byline == "记者 刘洋"


def test_widget_words_are_never_the_byline():
    for widget in ("相关评论", "网友评论", "点击排行", "相关新闻", "心情"):
        [article] = parse_text(f"园区新签项目\n\n园区今年新签约项目12个，总投资85亿元。\n\n{widget}\n")
        assert article.byline == "", widget
        assert widget not in article.text


@pytest.mark.parametrize(
    "widget",
    [
        "心情",
        "高兴 感动 同情 愤怒 搞笑 难过",
        "0人 0人 0人 0人 0人 0人",
        "分享到：",
        "分享到:",
        "打印本页",
        "关闭窗口",
        "【打印本页】 【关闭窗口】",
        "上一篇 下一篇",
        "上一篇：园区召开推进会",
        "责任编辑",
        "[责任编辑:王敏]",
        "网友评论",
        "我来说两句",
        "点击排行",
        "相关新闻",
        "【字体：大 中 小】",
        "扫一扫在手机打开当前页",
        "关于我们 | 联系我们 | 网站地图",
    ],
)
def test_each_widget_line_is_furniture_on_its_own(widget):
    page = f"园区新签项目\n\n园区今年新签约项目12个，总投资85亿元。\n\n{widget}\n\n项目涵盖新材料等领域。\n"
    [article] = parse_text(page)
    assert [p.text for p in article.paragraphs] == ["园区今年新签约项目12个，总投资85亿元。", "项目涵盖新材料等领域。"]
    assert article.byline == ""


def test_page_date_in_the_header_does_not_win_over_the_info_line():
    [article] = _parse("web_daixian_news.txt")
    assert article.date == "2024-04-12"  # the header says 2024年4月15日 星期一


def test_two_copied_pages_in_one_file_are_two_articles():
    text = "\n".join((FIXTURES / name).read_text(encoding="utf-8") for name in sorted(PAGES))
    articles = parse_text(text)
    assert [(a.title, a.date, a.byline) for a in articles] == [
        (PAGES[name].title, PAGES[name].date, PAGES[name].byline) for name in sorted(PAGES)
    ]


def test_fixture_through_parse_file(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes((FIXTURES / "web_wutai_comments.txt").read_text(encoding="utf-8").encode("gb18030"))
    [article] = parse_file(path).articles
    assert article.title == PAGES["web_wutai_comments.txt"].title and article.date == "2019-11-09"
