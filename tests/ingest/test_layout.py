"""The seed page must come apart into its five articles with whole sentences."""

from __future__ import annotations

import re

from ingest import chunk_article, normalize_line, parse_text
from ingest._text import ends_sentence

TITLES = [
    "忻州：孕育“镇”兴力量 赋能高质量发展",
    "营商环境是招商引资核心竞争力",
    "长治高新区获批全省首批绿电产业园试点园区",
    "山西转型综改示范区阳曲工业园区招商大会成功举办",
    "兴县经济技术开发区与安徽稳卓汽车部件有限公司签约年产120万件新能源汽车铝合金零部件项目",
]


def test_five_articles_with_titles(seed_articles):
    assert [a.title for a in seed_articles] == TITLES


def test_bylines_kickers_leads(seed_articles):
    xinzhou, commentary, changzhi, yangqu, xingxian = seed_articles
    assert xinzhou.byline == "畅雪" and xinzhou.kicker == "创新驱动发展"
    assert commentary.byline == "王波" and commentary.kicker == "开发区评论"
    assert changzhi.byline == "李茹" and changzhi.lead == "科学导报讯"
    assert "王波" in yangqu.byline and yangqu.lead == "科学导报讯"
    assert xingxian.byline == "康东 晋峰"


def test_commentary_title_printed_after_body_is_not_body(seed_articles):
    commentary = seed_articles[1]
    assert commentary.paragraphs[0].text.startswith("项目为王，环境是金。")
    assert all(p.text != "营商环境是招商引资核心竞争力" for p in commentary.paragraphs)
    assert commentary.paragraphs[-1].text.endswith("干出新精彩。")


def test_layout_noise_removed(seed_articles):
    text = "\n".join(a.text for a in seed_articles)
    assert "kai fa qu" not in text
    assert "冯磊摄" not in text
    assert "生产车间\n" not in text
    assert any("1万吨法兰供应链智能制造生产车间" in c for c in seed_articles[0].captions)


BROKEN_JOINS = [
    (0, "通过实现财务、成本、能源与业务生产的一体化管理"),
    (3, "打造成为培育新质生产力、塑造发展新优势的先行区"),
    (3, "来自山西省创新创业服务中心"),
    (4, "铝镁精深加工领域"),
    (4, "期待稳卓汽车部件有限公司能够加速推进项目前期各项手续的办理"),
    (4, "营造更加良好的环境，全力保障企业在兴县的投资兴业与蓬勃发展"),
]


def test_column_breaks_repaired_into_whole_sentences(seed_articles):
    for index, fragment in BROKEN_JOINS:
        sentences = seed_articles[index].sentences()
        assert any(fragment in s for s in sentences), fragment
    for article in seed_articles:
        for p in article.paragraphs:
            if p.kind == "body":
                assert ends_sentence(p.text), p.text[-20:]


def test_displaced_paragraphs_go_back_to_their_article(seed_articles):
    yangqu, xingxian = seed_articles[3], seed_articles[4]
    assert yangqu.paragraphs[-2].text.startswith("同时，对阳曲工业园区的投资环境")
    assert yangqu.paragraphs[-1].text.startswith("下一步阳曲工业园区服务中心")
    assert not any("阳曲" in p.text for p in xingxian.paragraphs)
    quote = next(p.text for p in xingxian.paragraphs if p.text.startswith("吕梁市政协副主席"))
    assert quote.endswith("携手并进的美好愿景。”")


def test_numbers_normalised_and_text_otherwise_verbatim(seed_articles):
    text = seed_articles[0].text
    assert "2024年1月至12月，忻州市专业镇主导产业产值突破310亿元" in text
    assert "海红e镇" in text and "5G、物联网" in text
    assert not re.search(r"\d [\u4e00-\u9fff]|[\u4e00-\u9fff] \d", "\n".join(a.text for a in seed_articles))
    assert seed_articles[0].title == "忻州：孕育“镇”兴力量 赋能高质量发展"


def test_normalize_line_examples():
    assert normalize_line("2024 年") == "2024年"
    assert normalize_line("突破 310 亿元") == "突破310亿元"
    assert normalize_line("提升 5% 以上") == "提升5%以上"
    assert normalize_line("康东 晋峰") == "康东 晋峰"


def test_sentence_spans_are_article_offsets(seed_articles):
    for article in seed_articles:
        text = article.text
        for p in article.paragraphs:
            assert text[p.start : p.end] == p.text
            for s, e in p.sentences:
                assert p.start <= s < e <= p.end
    first = seed_articles[4].paragraphs[2]
    sentences = [seed_articles[4].text[s:e] for s, e in first.sentences]
    assert sentences[-1].endswith("美好愿景。”")


def test_chunks_carry_metadata_and_spans(seed_articles):
    for article in seed_articles:
        chunks = chunk_article(article, max_chars=120)
        assert chunks
        for c in chunks:
            assert c.id.startswith(f"{article.id}:{c.paragraph}:")
            assert article.text[c.start : c.start + len(c.text)] == c.text
            assert c.title == article.title and c.byline == article.byline
            assert len(c.text) <= 120 or len(c.sentences) == 1
            for s, e in c.sentences:
                assert c.start <= s < e <= c.start + len(c.text)
    sections = {c.section for c in chunk_article(seed_articles[0])}
    assert "政策赋能，优化供给，市场释放更大活力" in sections


def test_ids_are_deterministic(seed_articles):
    from tests.conftest import SEED

    again = parse_text(SEED.read_text(encoding="utf-8"), seed_articles[0].source)
    assert [a.id for a in again] == [a.id for a in seed_articles]


def test_plain_article_without_layout_noise():
    text = "示范区新签项目\n\n科学导报讯 3 月 1 日，示范区新签约项目 12 个，总投资 85 亿元。\n\n项目涵盖新材料等领域。\n\n张三"
    [article] = parse_text(text)
    assert article.title == "示范区新签项目"
    assert article.byline == "张三"
    assert "示范区新签约项目12个，总投资85亿元。" in article.text


def test_parsed_source_behaves_like_its_articles(seed_parsed):
    assert len(seed_parsed) == 5
    assert [a.title for a in seed_parsed] == TITLES
    assert seed_parsed[4].byline == "康东 晋峰"


def test_web_page_noise_dateline_and_reporter():
    text = (
        "首页 > 新闻中心 > 地方动态\n\n晋中高新区：半年新签约项目 26 个\n\n2025-07-02 10:15　来源：晋中日报\n\n"
        "本报讯（记者 刘洋）今年上半年，晋中高新区新签约项目 26 个，总投资 138.6 亿元。\n\n"
        "园区负责人介绍，下一步将持续开展产业链招商。\n\n责任编辑：王敏\n"
    )
    [article] = parse_text(text)
    assert article.title == "晋中高新区：半年新签约项目26个"
    assert article.date == "2025-07-02"
    assert article.byline == "记者 刘洋" and article.lead == "本报讯"
    assert [p.kind for p in article.paragraphs] == ["body", "body"]
    assert "责任编辑" not in article.text and "首页" not in article.text
