"""Web pages copied as plain text come apart into one clean article each.

The fixtures are regional news/government pages as a browser copies them: header menus,
breadcrumb, the info line under the title (date, 来源, 作者, 浏览次数), share/print/mood
widgets, related news, readers' comments and the copyright footer, with half-width
punctuation in the body and the reporter in parentheses after the text — and reposts as
users save them: a Traditional-script copy on a forum mirror (ad-slot labels, a repost
disclaimer, a render-time footer), a page whose only date is the footer's, and a page
copied from the reporter down, with no title line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest import Article, lead_length, normalize_line, parse_file, parse_text

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Expected:
    title: str
    date: str
    byline: str
    paragraphs: int
    first: str  # the first body paragraph starts with this
    last: str  # the last body paragraph ends with this
    separable: bool = True  # a title over a dated info line: the page still comes apart when pasted after another


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
    # Traditional repost on a Discuz mirror: "新聞> …" breadcrumb, ad-slot labels, 【連網】 and a leading
    # "(…全媒體記者 … 通訊員 …)", a disclaimer, mood widget, a reply with its own "發表於" line, render-time
    # footer. The post line's date is the date; the footer's 2024-11-19 is not.
    "web_lianyungang_traditional.txt": Expected(
        "連云港開發區前10月規上工業產值增長12.3%",
        "2024-11-18",
        "全媒體記者 王文 通訊員 李四",
        6,
        "今年1至10月，連雲港經濟技術開發區",
        "力爭全年規上工業產值增長12%以上。",
    ),
    # no date but the footer's render time and copyright years; a site name above the title, 【新华网】 tag
    "web_undated_repost.txt": Expected(
        "东海县在沪签约6个项目 总投资17亿元",
        "",
        "",
        6,
        "11月8日，在上海产业合作恳谈会上，总投资17亿元的6个项目签约",
        "推动项目早落地、早开工、早见效。",
        separable=False,
    ),
    # copied from the reporter down: no title line, "(记者 … 通讯员 … …)近日，…", the date at the bottom
    "web_no_title_byline.txt": Expected(
        "近日，连云港市赣榆区海洋经济产业园传来好消息：总投资12亿元…",
        "2024-11-18",
        "记者 朱萍 通讯员 魏爱华 段慧明",
        5,
        "近日，连云港市赣榆区",
        "海洋经济总产值突破500亿元。",
        separable=False,
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
    # portal chrome of reposts, in either script
    "广告",
    "廣告",
    "GMT",
    "Processed",
    "Powered",
    "Discuz",
    "©",
    "版权",
    "版權",
    "声明",
    "聲明",
    "删除",
    "刪除",
    "心情",
    "评论",
    "評論",
    "参与",
    "參與",
    "发表于",
    "發表於",
    "点赞",
    "點讚",
    "【",
    "】",
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "新聞>",
    "連網",
    "上一篇",
    "相關新聞",
    "网络",
    "網絡",
]
_LEADING_CREDIT = re.compile(r"^(?:【[^】]*】\s*)?(?:[（(][^）)]*[）)])?")
"""What a first paragraph may lose at its start: a source tag and a reporter in parentheses."""


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
    if expected.date:
        assert expected.date not in article.text  # the info line is not in the body
    assert not article.captions and not article.kicker


@pytest.mark.parametrize("name", sorted(PAGES))
def test_paragraph_characters_are_verbatim(name):
    """Half-width , ; : ( ) " stay as typed; only a closing "(记者 …)" and an opening "【連網】 (…記者 …)"
    leave a paragraph."""
    lines = [normalize_line(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines()]
    [article] = _parse(name)
    for paragraph in article.paragraphs:
        assert any(_LEADING_CREDIT.sub("", line).startswith(paragraph.text) for line in lines), paragraph.text
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
    names = [name for name in sorted(PAGES) if PAGES[name].separable]
    text = "\n".join((FIXTURES / name).read_text(encoding="utf-8") for name in names)
    articles = parse_text(text)
    assert [(a.title, a.date, a.byline) for a in articles] == [
        (PAGES[name].title, PAGES[name].date, PAGES[name].byline) for name in names
    ]


def test_fixture_through_parse_file(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes((FIXTURES / "web_wutai_comments.txt").read_text(encoding="utf-8").encode("gb18030"))
    [article] = parse_file(path).articles
    assert article.title == PAGES["web_wutai_comments.txt"].title and article.date == "2019-11-09"


# ---------------------------------------------------------------- reposts as users save them

_PAGE = "园区新签项目\n园区今年新签约项目12个，总投资85亿元。\n项目涵盖新材料等领域。\n"
_BODY = ["园区今年新签约项目12个，总投资85亿元。", "项目涵盖新材料等领域。"]

CHROME_SHAPES = [
    # forum footers: render time, engine, copyright years — never text, never the date
    "GMT+8, 2024-11-19 13:43 , Processed in 0.05 second(s), 20 queries .",
    "GMT+8, 2024-11-19 13:43",
    "Powered by Discuz! X3.4",
    "© 2001-2024 连网 版权所有",
    "© 2001-2024 連網 版權所有",
    "Copyright 2003-2024",
    "Copyright 2003-2024 东海资讯网 All Rights Reserved",
    # ad-slot labels
    "列表頭部廣告一條",
    "列表头部广告一条",
    "广告位",
    "廣告位",
    "列表底部广告",
    "列表底部廣告",
    "文章页右侧广告",
    "文章頁右側廣告",
    # breadcrumbs from any section, ">" or "»"
    "新聞> 連云港新聞",
    "新闻> 连云港新闻",
    "首页 > 新闻 > 本地",
    "首頁 » 新聞 » 本地",
    "连网 › 新闻 › 查看内容",
    # repost disclaimers
    "文中内容、图片均来源于网络,如有版权问题请联系本站删除!",
    "文中內容、圖片均來源於網絡,如有版權問題請聯繫本站刪除!",
    "免责声明：本文仅代表作者个人观点，与本站无关。",
    "免責聲明：本文僅代表作者個人觀點，與本站無關。",
    "本文来源于网络，如有侵权请联系删除。",
    "本文來源於網絡，如有侵權請聯繫刪除。",
    # mood and comment widgets
    "您看完此篇文章的心情：",
    "您看完此篇文章的心情:",
    "震惊 愤怒 感动 无聊 鸡蛋 鲜花",
    "震驚 憤怒 感動 無聊 雞蛋 鮮花",
    "发表评论",
    "發表評論",
    "已有0人参与",
    "已有0人參與",
    "网友评论 已有0人参与",
    # a source tag on its own line
    "【連網】",
    "【新华网】",
]


@pytest.mark.parametrize("where", ["above the title", "under the title", "after the text"])
@pytest.mark.parametrize("chrome", CHROME_SHAPES)
def test_portal_chrome_is_never_text_title_or_date(chrome, where):
    title, first, last = _PAGE.splitlines()
    lines = {
        "above the title": [chrome, title, first, last],
        "under the title": [title, chrome, first, last],
        "after the text": [title, first, last, chrome],
    }[where]
    [article] = parse_text("\n".join(lines) + "\n")
    assert [p.text for p in article.paragraphs] == _BODY
    assert (article.title, article.date, article.byline) == ("园区新签项目", "", "")


def test_chrome_between_paragraphs_stays_out_of_the_text():
    """Ad labels and source tags sit between paragraphs too; they do not end the article."""
    for chrome in ("文章頁右側廣告", "广告位", "【連網】"):
        [article] = parse_text(f"园区新签项目\n{_BODY[0]}\n{chrome}\n{_BODY[1]}\n")
        assert [p.text for p in article.paragraphs] == _BODY, chrome


def test_text_that_merely_looks_like_chrome_stays():
    """Headlines and sentences about ads, copyright or growth are text: the chrome rules go by shape."""
    page = (
        "户外广告整治\n"
        "全市整治违规户外广告1200处，广告产业营业收入同比增长8%。\n"
        "增速>全市>全省平均水平\n"
        "平台发现侵权内容后，将依法处理。\n"
    )
    [article] = parse_text(page)
    assert article.title == "户外广告整治"
    assert [p.text for p in article.paragraphs] == [
        "全市整治违规户外广告1200处，广告产业营业收入同比增长8%。",
        "增速>全市>全省平均水平",
        "平台发现侵权内容后，将依法处理。",
    ]


@pytest.mark.parametrize(
    ("opening", "byline"),
    [
        ("(记者 朱萍 通讯员 魏爱华 段慧明)", "记者 朱萍 通讯员 魏爱华 段慧明"),
        ("（记者 朱萍 通讯员 魏爱华）", "记者 朱萍 通讯员 魏爱华"),
        ("（本报记者 刘洋）", "本报记者 刘洋"),
        ("（实习生 王敏 记者 刘洋）", "实习生 王敏 记者 刘洋"),
        ("(连云港日报全媒体记者 王文 通讯员 李四)", "全媒体记者 王文 通讯员 李四"),
        ("【連網】 (連云港日報全媒體記者 王文 通訊員 李四)", "全媒體記者 王文 通訊員 李四"),
        ("【新华网】（记者 朱萍）", "记者 朱萍"),
        ("（本報記者 王文 實習生 趙敏）", "本報記者 王文 實習生 趙敏"),
        ("【連網】", ""),
    ],
)
@pytest.mark.parametrize("titled", [True, False])
def test_leading_reporter_and_source_tag_leave_the_first_paragraph(opening, byline, titled):
    first = "近日，东海县新签约项目12个，总投资85亿元。"
    page = ("东海县新签项目\n" if titled else "") + f"{opening}{first}\n项目涵盖新材料等领域。\n"
    [article] = parse_text(page)
    assert article.byline == byline
    assert [p.text for p in article.paragraphs] == [first, "项目涵盖新材料等领域。"]
    assert article.title == ("东海县新签项目" if titled else "近日，东海县新签约项目12个，总投资85亿元")


@pytest.mark.parametrize(
    "credit",
    [
        "【連網】 (連云港日報全媒體記者 王文 通訊員 李四)",
        "(记者 朱萍 通讯员 魏爱华 段慧明)",
        "本报记者 朱萍 通讯员 魏爱华",
        "連云港日報全媒體記者 王文",
        "记者 张三",
    ],
)
def test_reporter_line_without_a_title_is_the_byline_not_the_title(credit):
    [article] = parse_text(f"{credit}\n近日，东海县新签约项目12个，总投资85亿元。\n项目涵盖新材料等领域。\n")
    assert article.title == "近日，东海县新签约项目12个，总投资85亿元"
    assert article.byline and article.byline in credit.replace("連云港日報", "").replace("连云港日报", "")
    assert [p.text for p in article.paragraphs] == [
        "近日，东海县新签约项目12个，总投资85亿元。",
        "项目涵盖新材料等领域。",
    ]


def test_title_fallback_of_a_titleless_page_skips_reporter_and_tag():
    """With no title line the title is the body's first sentence (clipped at 30) — after the reporter and
    the source tag left it, so it is never "(记者 朱萍 …" or "【連網】…"."""
    [article] = _parse("web_no_title_byline.txt")
    assert not article.title.startswith(("(", "（", "【")) and "朱萍" not in article.title
    assert article.paragraphs[0].text.startswith(article.title.rstrip("…"))
    [only_credit] = parse_text("（记者 朱萍）\n近日，东海县新签约项目12个。\n")
    assert (only_credit.title, only_credit.byline) == ("近日，东海县新签约项目12个", "记者 朱萍")


def test_parentheses_opening_a_paragraph_without_a_reporter_stay():
    for opening in ("（二期工程）", "（完）", "(十一月)"):
        [article] = parse_text(f"园区新签项目\n{opening}园区今年新签约项目12个。\n")
        assert article.paragraphs[0].text == f"{opening}园区今年新签约项目12个。"
        assert article.byline == ""


def test_info_line_reporter_beats_the_leading_one():
    page = "园区新签项目\n2025-06-03 来源：晋中日报 作者：张三\n（记者 李明）园区今年新签约项目12个。\n"
    [article] = parse_text(page)
    assert article.byline == "张三" and article.paragraphs[0].text == "园区今年新签约项目12个。"


@pytest.mark.parametrize(
    ("info", "date"),
    [
        ("發布時間：2024-11-18", "2024-11-18"),
        ("發布時間：2024年11月18日 09:30 來源：連云港日報", "2024-11-18"),
        ("2024-11-18 09:30 来源：连云港日报", "2024-11-18"),
        ("發表於 2024-11-18 08:12", "2024-11-18"),
        ("發表於 2024-11-18 08:12 | 只看該作者 | 倒序瀏覽 | 閱讀模式", "2024-11-18"),
        ("admin 發表於 2024-11-18 08:12", "2024-11-18"),
        ("2024-11-18 08:12| 發布者: admin| 查看: 326| 評論: 0|來自: 連網", "2024-11-18"),
    ],
)
@pytest.mark.parametrize("where", ["under the title", "above the title", "after the first paragraph"])
def test_info_line_in_the_first_lines_gives_the_date(info, date, where):
    title, first, last = _PAGE.splitlines()
    lines = {
        "under the title": [title, info, first, last],
        "above the title": [info, title, first, last],
        "after the first paragraph": [title, first, info, last],
    }[where]
    footer = "Powered by Discuz! X3.4\nGMT+8, 2024-11-19 13:43 , Processed in 0.05 second(s), 20 queries ."
    [article] = parse_text("\n".join(lines) + "\n" + footer + "\n")
    assert (article.title, article.date) == ("园区新签项目", date)
    assert [p.text for p in article.paragraphs] == _BODY


def test_footer_render_time_and_copyright_years_are_never_the_date():
    [article] = _parse("web_undated_repost.txt")
    assert article.date == ""
    [article] = _parse("web_lianyungang_traditional.txt")
    assert article.date == "2024-11-18"  # the post line; the footer rendered the page on 2024-11-19


def test_reply_in_the_tail_with_its_own_post_line_is_not_an_article():
    [article] = _parse("web_lianyungang_traditional.txt")
    assert "點讚" not in article.text and "連云港人" not in article.text


def test_undated_repost_keeps_its_figures_and_drops_its_source_tag():
    [article] = _parse("web_undated_repost.txt")
    assert article.paragraphs[0].text.startswith("11月8日，在上海产业合作恳谈会上，总投资17亿元的6个项目签约")
    assert "在2011中国中小城市投资潜力测评排名中，东海县位列第33位" in article.text
    assert "新华网" not in article.text and "东海资讯网" not in article.title


def test_traditional_lead_and_reporter():
    text = "本報訊（記者 王文）東海縣今年新簽約項目12個。"
    [article] = parse_text(f"東海縣新簽項目\n{text}\n")
    assert (article.lead, article.byline) == ("本報訊", "記者 王文")
    assert article.paragraphs[0].text == text  # a lead keeps its reporter, as in Simplified
    assert lead_length(text) == len("本報訊（記者 王文）")
