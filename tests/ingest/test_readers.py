"""Every supported format in, every kind of bad input out with a clear reason."""

from __future__ import annotations

import gzip
import json

import pytest

from ingest import IngestError, parse_file
from tests.conftest import SEED

PAGE = "长治高新区获批试点园区\n\n科学导报讯 日前，长治高新区正式获批成为山西省首批绿电产业园试点园区。\n\n试点分三期进行。\n\n李茹\n"


def _titles(path):
    return [a.title for a in parse_file(path).articles]


def test_gb18030_page(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    parsed = parse_file(path)
    assert len(parsed.articles) == 5
    assert "2024年产值突破了170亿元" in parsed.articles[0].text


def test_utf8_bom_page(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + PAGE.encode())
    [article] = parse_file(path).articles
    assert article.title == "长治高新区获批试点园区" and article.byline == "李茹"


def test_markdown_page(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(
        "# 长治高新区获批试点园区\n\n**科学导报讯** 日前，长治高新区正式获批成为试点园区。\n", encoding="utf-8"
    )
    [article] = parse_file(path).articles
    assert article.title == "长治高新区获批试点园区"
    assert article.paragraphs[0].text.startswith("科学导报讯 日前")


def test_html_page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>站点</title><script>var x=1;</script></head><body><nav>首页</nav>"
        "<h1>长治高新区获批试点园区</h1><p>科学导报讯 日前，长治高新区正式获批成为 2025 年试点园区。</p>"
        "<p>试点分三期进行。</p></body></html>",
        encoding="utf-8",
    )
    [article] = parse_file(path).articles
    assert article.title == "长治高新区获批试点园区"
    assert "获批成为2025年试点园区。" in article.text and "var x" not in article.text


def test_docx_page(tmp_path):
    import docx

    document = docx.Document()
    for line in PAGE.split("\n\n"):
        document.add_paragraph(line.strip())
    path = tmp_path / "page.docx"
    document.save(path)
    [article] = parse_file(path).articles
    assert article.title == "长治高新区获批试点园区" and article.byline == "李茹"


def test_pdf_page_text_layer(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "page.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "长治高新区获批试点园区")
    c.drawString(50, 770, "科学导报讯 日前，长治高新区正式获批成为山西省首批绿电产业园试点园区。")
    c.save()
    [article] = parse_file(path).articles
    assert article.title == "长治高新区获批试点园区"
    assert "首批绿电产业园试点园区。" in article.text


def test_jsonl_bulk_with_date_prefix(tmp_path):
    rows = [
        {"id": "a1", "text": "2023-08-11 15:10，正文：中新网8月10日电 某地新签项目 12 个。总投资 85 亿元。"},
        {"id": "a2", "text": "第二篇文章的正文。", "title": "第二篇", "date": "2023-08-12", "source": "人民网"},
    ]
    path = tmp_path / "bulk.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    first, second = parse_file(path).articles
    assert first.date == "2023-08-11" and first.ref == "a1"
    assert first.text.startswith("中新网8月10日电 某地新签项目12个。")
    assert first.title  # derived from the first sentence
    assert (second.title, second.date, second.origin) == ("第二篇", "2023-08-12", "人民网")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"  \n\n ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("bad.txt", b"\xff\xfe\xfa" * 10 + bytes(range(0x80, 0x100)) * 3, "undecodable"),
        ("page.exe", b"MZ\x90\x00", "unsupported type"),
        ("broken.jsonl", b'{"id": 1, "text": "ok"}\n{not json\n', "invalid"),
        ("fake.docx", b"not a zip file at all", "invalid"),
        ("fake.pdf", b"%PDF-1.4 garbage", "invalid"),
    ],
)
def test_bad_input_is_refused_with_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        parse_file(path)
    assert info.value.reason == reason
    assert name in str(info.value)


def test_too_large_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(PAGE * 100, encoding="utf-8")
    with pytest.raises(IngestError, match="too large"):
        parse_file(path, max_bytes=1000)


def test_undecodable_message_names_byte_and_offset(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("正常文字".encode() + b"\xff\xfe\xfa" * 10 + bytes(range(0x80, 0x100)) * 3)
    with pytest.raises(IngestError, match=r"byte 0xff at 12"):
        parse_file(path)
