"""Properties that must hold for any text: offsets are verbatim, spans nest, ids are unique
and deterministic, and the only exception is :class:`IngestError`."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import Article, IngestError, Limits, build_article, chunk_article, iter_bulk_articles, parse_text

# Characters the parsers care about, mixed with anything at all (surrogates and controls too).
_SPECIAL = list("。！？；…!?;”’）)》】\"'，、：:　 \t\r\n\x00\x0b\x85\u2028\ufeff\ufffd") + [
    "记者",
    "科学导报讯",
    "2024 年",
    "本报讯（记者 刘洋）",
    "图为",
    "责任编辑：",
    "首页 > ",
    "摄",
    "ke xue dao bao",
]
_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
_ANY = st.one_of(st.characters(), st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp"]))
_PIECES = st.one_of(st.sampled_from(_SPECIAL), _CJK, _ANY, st.sampled_from(["\n", "\n\n", "。\n"]))
_SHORT = st.lists(_PIECES, max_size=50).map("".join)
_LONG = st.lists(_PIECES, min_size=50, max_size=400).map("".join)
TEXT = st.one_of(_SHORT, _LONG, st.builds(lambda text, n: text * n, _LONG, st.integers(min_value=2, max_value=30)))
"""Short and longer texts, and long ones made by repeating one (long lines, many lines)."""
SETTINGS = settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_article(article: Article, max_paragraph_chars: int = 2000) -> None:
    text = article.text
    for index, p in enumerate(article.paragraphs):
        assert p.index == index
        assert text[p.start : p.end] == p.text
        assert p.text.strip() and len(p.text) <= max_paragraph_chars
        for s, e in p.sentences:
            assert p.start <= s < e <= p.end
            assert text[s:e].strip()
        assert list(p.sentences) == sorted(p.sentences)
    chunks = chunk_article(article)
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    assert [c.id for c in chunk_article(article)] == ids
    for c in chunks:
        assert c.id.startswith(f"{article.id}:{c.paragraph}:")
        assert text[c.start : c.start + len(c.text)] == c.text
        paragraph = article.paragraphs[c.paragraph]
        for s, e in c.sentences:
            assert paragraph.start <= s <= e <= paragraph.end
            assert c.start <= s and e <= c.start + len(c.text)
    assert article.date == "" or DATE.fullmatch(article.date)
    (article.title + text).encode("utf-8")  # storable: no lone surrogate survives


def _squeeze(text: str) -> str:
    """The text as stored, without whitespace: control characters dropped, lone surrogates
    as U+FFFD (what a split may change is only whitespace at the cuts)."""
    kept = (ch for ch in text if ch.isspace() or ord(ch) > 0x9F or 0x1F < ord(ch) < 0x7F)
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in kept if not ch.isspace())


@SETTINGS
@given(TEXT)
def test_parse_text_keeps_offsets_verbatim(text):
    try:
        articles = parse_text(text, "prop.txt")
    except IngestError:
        return
    for article in articles:
        check_article(article)
    again = parse_text(text, "prop.txt")
    assert [a.id for a in again] == [a.id for a in articles]


@SETTINGS
@given(TEXT, st.integers(min_value=1, max_value=60))
def test_parse_text_with_a_small_paragraph_cap(text, cap):
    try:
        articles = parse_text(text, "prop.txt", limits=Limits(max_paragraph_chars=cap))
    except IngestError:
        return
    for article in articles:
        check_article(article, max_paragraph_chars=cap)


@SETTINGS
@given(
    st.lists(st.tuples(TEXT, st.sampled_from(["body", "heading"])), max_size=8),
    st.integers(min_value=1, max_value=80),
    TEXT,
)
def test_build_article_splits_long_paragraphs_without_losing_text(paragraphs, cap, title):
    article = build_article("prop.txt", paragraphs, title=title, max_paragraph_chars=cap)
    check_article(article, max_paragraph_chars=cap)
    squeezed = "".join(_squeeze(text) for text, _ in paragraphs)
    assert "".join(_squeeze(p.text) for p in article.paragraphs) == squeezed
    again = build_article("prop.txt", paragraphs, title=title, max_paragraph_chars=cap)
    assert again.id == article.id and again == article


@settings(max_examples=40, deadline=None, database=None)
@given(
    st.lists(
        st.one_of(TEXT, st.builds(lambda h, t: h + t, st.sampled_from(["23-07-26 05:23，正文：", "，正文："]), TEXT)),
        min_size=1,
        max_size=4,
    )
)
def test_bulk_records_of_any_text(texts):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prop.jsonl"
        path.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate(texts)) + "\n", "utf-8")
        try:
            articles = list(iter_bulk_articles(path))
        except IngestError:
            return
    assert len({a.id for a in articles}) == len(articles)
    for article in articles:
        check_article(article)
