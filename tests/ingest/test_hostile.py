"""Hostile and broken files: each is refused quickly with a specific reason, or gives a
sensible result — never a crash, a hang or a blown memory budget.

The same kinds, full size, are measured by ``python -m bench.nasty_files``.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import random
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from ingest import IngestError, Limits, chunk_article, iter_bulk_articles, parse_file, parse_text

MB = 1024 * 1024
SENTENCE = "晋中高新区今年新签约项目二十六个，总投资一百三十八亿元。"
PAGE = f"晋中高新区新签约项目\n\n{SENTENCE * 3}\n\n{SENTENCE}\n\n刘洋\n"


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _refused(path: Path, reason: str, *, limits: Limits | None = None) -> IngestError:
    with pytest.raises(IngestError) as info:
        parse_file(path, limits=limits)
    assert info.value.reason == reason, str(info.value)
    assert "\n" not in str(info.value)
    return info.value


def _docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs or ("晋中高新区新签约项目", SENTENCE * 3):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_member(docx_data: bytes, name: str, write) -> bytes:
    """``docx_data`` with member ``name`` replaced by what ``write(member_file)`` writes."""
    source = zipfile.ZipFile(io.BytesIO(docx_data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item))
        with target.open(name, "w", force_zip64=True) as member:
            write(member)
    return buffer.getvalue()


# ---------------------------------------------------------------- bytes and encodings


def test_random_bytes_are_binary(tmp_path):
    _refused(_write(tmp_path, "random.txt", random.Random(1).randbytes(64 * 1024)), "binary")


def test_random_bytes_without_nul_are_undecodable(tmp_path):
    rng = random.Random(2)
    data = bytes(rng.randrange(1, 256) for _ in range(16 * 1024))
    error = _refused(_write(tmp_path, "noise.txt", data), "undecodable")
    assert "byte 0x" in error.detail


def test_nul_bytes_deep_in_a_page_are_dropped(tmp_path):
    data = (PAGE * 300).encode() + b"\x00\x00\x00" + PAGE.encode()
    parsed = parse_file(_write(tmp_path, "nul.txt", data))
    assert parsed.articles
    assert all("\x00" not in a.text and "\x00" not in a.title for a in parsed.articles)


def test_a_few_bad_utf8_bytes_become_replacement_characters(tmp_path, caplog):
    body = (SENTENCE * 3).encode()
    data = PAGE.encode() + body[:40] + body[41:]  # one byte of a character cut out
    with caplog.at_level(logging.WARNING, logger="ingest"):
        parsed = parse_file(_write(tmp_path, "cut.txt", data))
    text = "\n".join(a.text for a in parsed.articles)
    assert text.count("\ufffd") == 1 and text.count("总投资一百三十八亿元。") == 7
    assert "invalid UTF-8" in caplog.text


def test_many_bad_utf8_bytes_are_undecodable(tmp_path):
    data = PAGE.encode() + b"\xff\xfe\xc3\x28\xa0\xa1" * 40
    _refused(_write(tmp_path, "bad.txt", data), "undecodable")


def test_lone_surrogates_in_json_become_replacement_characters(tmp_path):
    record = '{"id": "s1", "title": "\\ud800标题", "text": "正文里有孤立代理项\\udc00。第二句。"}\n'
    [article] = parse_file(_write(tmp_path, "surrogates.jsonl", record)).articles
    assert article.title == "\ufffd标题"
    assert article.text == "正文里有孤立代理项\ufffd。第二句。"
    article.text.encode("utf-8")  # storable
    assert chunk_article(article)


def test_gb18030_and_utf8_lines_in_one_file_are_both_read(tmp_path):
    lines = [SENTENCE.encode("gb18030") if i % 2 else SENTENCE.encode() for i in range(20)]
    data = "混合编码页面\n".encode("gb18030") + b"\n".join(lines)
    parsed = parse_file(_write(tmp_path, "mixed.txt", data))
    text = "\n".join(a.text for a in parsed.articles)
    assert text.count(SENTENCE) == 20


# ---------------------------------------------------------------- size and shape of text


def test_one_huge_line_is_split_into_paragraphs_at_sentence_ends(tmp_path):
    text = SENTENCE * 400  # ~11,600 characters on one line
    [article] = parse_file(_write(tmp_path, "one_line.txt", text)).articles
    assert len(article.paragraphs) > 5
    assert all(len(p.text) <= 2000 and p.text.endswith("。") for p in article.paragraphs)
    assert "".join(p.text for p in article.paragraphs) == text


def test_one_huge_line_without_sentence_end_is_hard_split(tmp_path):
    text = "产业园区建设进展顺利投资规模持续扩大" * 500  # 9,000 characters, no 。
    [article] = parse_file(_write(tmp_path, "no_stop.txt", text)).articles
    assert [len(p.text) for p in article.paragraphs] == [2000, 2000, 2000, 2000, 1000]


def test_smaller_paragraph_cap_from_limits(tmp_path):
    [article] = parse_file(_write(tmp_path, "page.txt", SENTENCE * 20), limits=Limits(max_paragraph_chars=100)).articles
    assert all(len(p.text) <= 100 for p in article.paragraphs)
    assert "".join(p.text for p in article.paragraphs) == SENTENCE * 20


def test_too_many_characters(tmp_path):
    error = _refused(_write(tmp_path, "long.txt", "a" * 5000), "too large", limits=Limits(max_chars=4000))
    assert error.detail == "5,000 characters > limit 4,000"


def test_100k_tiny_paragraphs_are_refused_before_layout(tmp_path):
    text = "\n\n".join(f"第{i}段。" for i in range(100_000))
    start = time.perf_counter()
    error = _refused(_write(tmp_path, "tiny.txt", text), "too large")
    assert error.detail == "100,000 lines > limit 20,000"
    assert time.perf_counter() - start < 2


def test_chunk_cap_for_a_page(tmp_path):
    text = "\n\n".join(f"第{i}段。" for i in range(300))
    error = _refused(_write(tmp_path, "many.txt", text), "too large", limits=Limits(max_chunks=200))
    assert "more than 200 chunks" in error.detail


def test_unfinished_lines_skip_column_repair_instead_of_taking_minutes(caplog):
    lines = [f"这是一个没有句号结尾的比较长的段落用于测试列断行修复的工作量第{i}段内容" for i in range(1500)]
    start = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="ingest"):
        [article] = parse_text("\n".join(lines))
    assert time.perf_counter() - start < 5
    assert "one paragraph per line" in caplog.text
    assert [p.text for p in article.paragraphs] == lines


# ---------------------------------------------------------------- HTML


def _nested(depth: int) -> str:
    return "<html><body><h1>标题</h1>" + "<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth + "</body></html>"


def test_html_nested_10000_levels_is_a_clear_error(tmp_path):
    error = _refused(_write(tmp_path, "deep.html", _nested(10_000)), "invalid")
    assert "nested more than 255 levels" in error.detail


def test_html_depth_limit(tmp_path):
    error = _refused(_write(tmp_path, "deep.html", _nested(80)), "invalid", limits=Limits(max_html_depth=50))
    assert "levels deep > limit 50" in error.detail


def test_html_nested_just_under_the_limit_parses(tmp_path):
    [article] = parse_file(_write(tmp_path, "deep.html", _nested(190))).articles
    assert article.text == SENTENCE


def test_html_size_limit(tmp_path):
    html = "<html><body>" + f"<p>{SENTENCE}</p>" * 20_000 + "</body></html>"
    error = _refused(_write(tmp_path, "big.html", html), "too large", limits=Limits(max_html_bytes=MB))
    assert "> limit 1 MB" in error.detail


def test_binary_html_is_refused(tmp_path):
    _refused(_write(tmp_path, "image.html", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256))), "binary")


# ---------------------------------------------------------------- PDF


def _pdf(path: Path, pages: list[str]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for text in pages:
        if text:
            c.setFont("STSong-Light", 12)
            c.drawString(50, 800, text)
        else:
            c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    return path


def test_pdf_without_text_layer_is_empty(tmp_path):
    error = _refused(_pdf(tmp_path / "scan.pdf", [""]), "empty")
    assert "no text layer" in error.detail


def test_zero_byte_pdf_is_empty(tmp_path):
    _refused(_write(tmp_path, "zero.pdf", b""), "empty")


def test_truncated_pdf_is_invalid(tmp_path):
    data = _pdf(tmp_path / "whole.pdf", [SENTENCE]).read_bytes()
    error = _refused(_write(tmp_path, "half.pdf", data[: len(data) // 2]), "invalid")
    assert error.detail.startswith("not a readable PDF")


def test_pdf_page_limit(tmp_path):
    path = _pdf(tmp_path / "pages.pdf", [SENTENCE, SENTENCE, SENTENCE])
    error = _refused(path, "too large", limits=Limits(max_pdf_pages=2))
    assert error.detail == "3 PDF pages > limit 2"


# ---------------------------------------------------------------- DOCX


def test_truncated_docx_is_invalid(tmp_path):
    data = _docx_bytes()
    _refused(_write(tmp_path, "half.docx", data[: len(data) // 2]), "invalid")


def test_docx_with_broken_xml_is_invalid(tmp_path):
    data = _with_member(_docx_bytes(), "word/document.xml", lambda m: m.write(b"<w:document><unclosed"))
    error = _refused(_write(tmp_path, "broken.docx", data), "invalid")
    assert error.detail.startswith("not a readable .docx file")


def test_zip_bomb_docx_is_refused_before_decompression(tmp_path):
    paragraph = f"<w:p><w:r><w:t>{SENTENCE}</w:t></w:r></w:p>".encode()
    block = paragraph * (MB // len(paragraph))

    def expand_to_100_mb(member):
        for _ in range(100):
            member.write(block)

    bomb = _write(tmp_path, "bomb.docx", _with_member(_docx_bytes(), "word/document.xml", expand_to_100_mb))
    assert bomb.stat().st_size < 2 * MB
    start = time.perf_counter()
    error = _refused(bomb, "too large")
    assert time.perf_counter() - start < 1
    assert str(error) == f"{bomb}: too large (word/document.xml expands to 100 MB > limit 64 MB)"


def test_zip_compression_ratio_limit(tmp_path):
    data = _with_member(_docx_bytes(), "word/media/zeros.bin", lambda m: m.write(b"\x00" * (2 * MB)))
    error = _refused(_write(tmp_path, "ratio.docx", data), "too large")
    assert "word/media/zeros.bin expands" in error.detail and "> limit 100×" in error.detail


def test_zip_total_and_member_count_limits(tmp_path):
    path = _write(tmp_path, "page.docx", _docx_bytes())
    total = _refused(path, "too large", limits=Limits(max_zip_total_bytes=10_000))
    assert "members expand to" in total.detail
    members = _refused(path, "too large", limits=Limits(max_zip_members=3))
    assert "zip members > limit 3" in members.detail


# ---------------------------------------------------------------- bulk files


def _jsonl(tmp_path: Path, name: str, rows: list[str]) -> Path:
    return _write(tmp_path, name, "\n".join(rows) + "\n")


def _row(i: int, text: str = SENTENCE) -> str:
    return json.dumps({"id": f"a{i}", "text": text}, ensure_ascii=False)


def test_broken_jsonl_line_is_named(tmp_path):
    path = _jsonl(tmp_path, "broken.jsonl", [_row(1), _row(2), '{"id": 3, "text": "unterminated', _row(4)])
    error = _refused(path, "invalid")
    assert error.detail.startswith("line 3: not JSON (Unterminated string")


def test_stream_yields_the_articles_before_a_bad_line(tmp_path):
    path = _jsonl(tmp_path, "broken.jsonl", [_row(1), _row(2), "[1, 2, 3]", _row(4)])
    articles = iter_bulk_articles(path)
    assert [next(articles).ref, next(articles).ref] == ["a1", "a2"]
    with pytest.raises(IngestError, match=r'line 3: needs a non-empty "text" field'):
        next(articles)


def test_stream_checks_the_file_at_once(tmp_path):
    with pytest.raises(IngestError, match="not found"):
        iter_bulk_articles(tmp_path / "missing.jsonl")
    with pytest.raises(IngestError, match="unsupported type"):
        iter_bulk_articles(_write(tmp_path, "page.txt", PAGE))


def test_deeply_nested_json_line(tmp_path):
    error = _refused(_jsonl(tmp_path, "deep.jsonl", ["[" * 100_000 + "]" * 100_000]), "invalid")
    assert error.detail == "line 1: not usable JSON (nested too deeply)"


def test_huge_record_is_an_error_for_its_line(tmp_path):
    path = _jsonl(tmp_path, "huge.jsonl", [_row(1), _row(2, SENTENCE * 200)])
    error = _refused(path, "too large", limits=Limits(max_chars=2000))
    assert error.detail.startswith("line 2: ")


def test_record_with_too_many_chunks_is_an_error_for_its_line(tmp_path):
    path = _jsonl(tmp_path, "chunky.jsonl", [_row(1), _row(2, "\n".join([SENTENCE] * 50))])
    error = _refused(path, "too large", limits=Limits(max_chunks=10))
    assert error.detail.startswith("line 2: more than 10 chunks")


def test_line_longer_than_the_byte_cap_is_refused_without_reading_it_whole(tmp_path):
    path = _write(tmp_path, "one_line.jsonl", b"x" * 50_000)
    error = _refused(path, "too large", limits=Limits(max_chars=1000))
    assert error.detail == "line 1: longer than 4,000 bytes"


def test_truncated_gzip_names_the_line(tmp_path):
    rows = "\n".join(_row(i, SENTENCE * 5) for i in range(2000)).encode()
    data = gzip.compress(rows)
    error = _refused(_write(tmp_path, "cut.jsonl.gz", data[: len(data) // 2]), "invalid")
    assert error.detail.startswith("line ") and "cannot read" in error.detail


def test_gzip_bomb_is_refused_early(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(b"\n" * (8 * MB))
    start = time.perf_counter()
    error = _refused(path, "too large")
    assert "gzip expands more than 100×" in error.detail
    assert time.perf_counter() - start < 2


def test_bulk_file_is_streamed_not_loaded(tmp_path):
    path = tmp_path / "bulk.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(4000):
            fh.write(_row(i, f"2023-07-26 10:00，正文：{SENTENCE * 20}") + "\n")
    assert path.stat().st_size > 6 * MB
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_bulk_articles(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 4000
    assert peak < MB  # one line and one article at a time


@pytest.mark.parametrize(
    ("header", "date", "text"),
    [
        ("2023-08-11 15:10，正文：", "2023-08-11", "中新网8月10日电"),
        ("2023-08-11 15:10:08，正文：", "2023-08-11", "中新网8月10日电"),
        ("23-07-26 05:23，正文：", "2023-07-26", "中新网8月10日电"),
        ("2023-07-27，正文：", "2023-07-27", "中新网8月10日电"),
        ("[2023/07/20  16:52]，正文：", "2023-07-20", "中新网8月10日电"),
        ("来源：央视网  |  2023年07月20日 08:57:43，正文：", "2023-07-20", "中新网8月10日电"),
        ("7-20 16:03，正文：", "", "中新网8月10日电"),  # no year: no guess
        ("，正文：", "", "中新网8月10日电"),
        ("2023-8-1 9:05 ", "2023-08-01", "中新网8月10日电"),
        ("23-02-30 05:23，正文：", "", "中新网8月10日电"),  # not a calendar date
    ],
)
def test_crud_headers_become_iso_dates(tmp_path, header, date, text):
    path = _jsonl(tmp_path, "crud.jsonl", [_row(1, header + text + " 某地新签项目12个。")])
    [article] = parse_file(path).articles
    assert article.date == date
    assert article.text.startswith(text)


def test_crud_header_reporter_becomes_byline(tmp_path):
    [article] = parse_file(
        _jsonl(tmp_path, "crud.jsonl", [_row(1, "记者：韩轩，正文：本报讯 某地新签项目。")])
    ).articles
    assert article.byline == "记者 韩轩" and article.text == "本报讯 某地新签项目。"


def test_record_date_field_is_normalised(tmp_path):
    row = json.dumps({"id": 1, "text": "正文。", "date": "2023/8/1"})
    [article] = parse_file(_jsonl(tmp_path, "dated.jsonl", [row])).articles
    assert article.date == "2023-08-01"


# ---------------------------------------------------------------- file names and kinds


def test_path_traversal_looking_name_is_just_a_name(tmp_path):
    [article] = parse_file(_write(tmp_path, "..\\..\\evil.txt", PAGE)).articles
    assert article.source == str((tmp_path / "..\\..\\evil.txt").resolve())


def test_control_characters_in_a_name_are_escaped_in_the_message(tmp_path):
    error = _refused(_write(tmp_path, "bad\nname\x1b[31m.txt", " "), "empty")
    assert "bad\\x0aname\\x1b[31m.txt: empty" in str(error)


def test_rtl_override_in_a_name_is_shown_escaped(tmp_path):
    error = _refused(_write(tmp_path, "invoice\u202etxt.exe.txt", ""), "empty")
    assert "invoice\\u202etxt.exe.txt" in str(error) and "\u202e" not in str(error)


def test_very_long_name_is_shortened_in_the_message(tmp_path):
    deep = tmp_path / ("长" * 80) / ("长" * 80)
    deep.mkdir(parents=True)
    error = _refused(_write(deep, "长" * 80 + ".txt", ""), "empty")
    assert len(str(error)) < 300 and "…" in str(error)


def test_fifo_is_not_a_file_and_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _refused(fifo, "not a file")


def test_limits_must_be_positive():
    with pytest.raises(ValueError, match="max_chars"):
        Limits(max_chars=0)


def test_bulk_files_have_their_own_size_limit(tmp_path):
    """An archive of a year's news is far larger than any page: it streams, so MAX_FILE_MB
    does not apply to it, MAX_BULK_MB does."""
    bulk = tmp_path / "archive.jsonl"
    record = {"id": "a1", "title": "园区签约新项目", "text": "科学导报讯 某园区日前签约新项目，总投资3亿元。" * 20}
    bulk.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    size = bulk.stat().st_size
    parsed = parse_file(bulk, limits=Limits(max_file_bytes=size // 2, max_bulk_bytes=size * 2))
    assert len(parsed.articles) == 1
    with pytest.raises(IngestError, match="MAX_BULK_MB"):
        parse_file(bulk, limits=Limits(max_file_bytes=size * 2, max_bulk_bytes=size // 2))
