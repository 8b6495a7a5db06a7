"""What a newcomer sees around the answer (issue #16), in a real app process and a real
headless Chromium, at desktop and phone width: the Python route while the app serves,
history that survives a reload, exports, sources people can cite, refusals that explain,
the knowledge-base and entity tabs, both languages, and a clean shutdown.

Screenshots go to ``SCREENSHOT_DIR`` when it is set (``make screenshots`` → ``docs/``).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.conftest import start_app, stop_app
from tests.app.test_app_browser import ARGS, CHROMIUM, choose_files
from tests.conftest import ROOT

SHOTS = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
browser_only = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM, reason="Debian chromium not installed")]


def shot(page, name: str, tmp_path: Path, full_page: bool = False) -> None:
    page.screenshot(path=str((SHOTS or tmp_path) / name), full_page=full_page)


def python_route(app, code: str) -> subprocess.CompletedProcess:
    """``code`` in a second Python process on the store the app holds."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=app.env, cwd=ROOT, timeout=300
    )


# ---------------------------------------------------------------- Python while serving


def test_python_route_works_while_the_app_serves(running_app):
    from gradio_client import Client

    code = """
import json
from assistant import answer, entities, entity
res = answer("定襄法兰2024年产值多少？")
towns = [e.name for e in entities(kind="town")]
found = entity("定襄法兰")
print(json.dumps({"answer": res.to_dict(), "towns": towns, "entity": found.name, "none": entity("没有这个") is None}))
"""
    run = python_route(running_app, code)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "StoreBusy" not in run.stderr
    got = json.loads(run.stdout.strip().splitlines()[-1])
    served = Client(running_app.url, verbose=False).predict("定襄法兰2024年产值多少？", api_name="/answer")
    assert got["answer"]["text"] == served["text"] and got["answer"]["found"] is True
    assert got["answer"]["citations"] == served["citations"]  # the same answer, the app's own
    assert "定襄法兰专业镇" in got["towns"] and got["entity"] == "定襄法兰专业镇" and got["none"]
    listed = subprocess.run(
        [sys.executable, "-m", "ingest", "--list"], capture_output=True, text=True, env=running_app.env, cwd=ROOT
    )
    assert listed.returncode == 0 and "000_3a8c5979ebe92109.txt" in listed.stdout


def test_python_route_errors_are_the_same_one_line_errors(running_app):
    run = python_route(running_app, "from assistant import answer\nanswer('   ')")
    assert run.returncode != 0 and "question is empty" in run.stderr
    assert "StoreBusy" not in run.stderr


# ---------------------------------------------------------------- clean shutdown


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_stopping_the_app_leaves_no_lock_or_socket(tmp_path, stop):
    app = start_app(tmp_path)
    try:
        assert (app.store_dir / ".lock").exists() and (app.store_dir / ".service.sock").exists()
        app.process.send_signal(stop)
        app.process.wait(30)  # a bound on hanging (the app gives Gradio 10 s, then stops itself), not a speed target
    finally:
        if app.process.poll() is None:
            stop_app(app)
    assert not (app.store_dir / ".lock").exists()
    assert not (app.store_dir / ".service.sock").exists()
    log = app.log.read_text()
    assert "DEBUG bm25s" not in log and "Traceback" not in log
    # the store opens again at once, in this process
    run = subprocess.run(
        [sys.executable, "-c", "from assistant import answer; print(answer('定襄法兰2024年产值多少？').found)"],
        capture_output=True, text=True, env=app.env, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert run.stdout.strip().endswith("True"), run.stderr[-1500:]


# ---------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def new_page(browser, viewport: dict, locale: str = "zh-CN"):
    context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True)
    return context.new_page()


def ask(page, question: str, turn: int) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.locator(f"#sources #turn-{turn}").wait_for(timeout=90_000)
    page.locator(".message-row").nth(2 * turn - 1).wait_for(timeout=30_000)


def bubble(page, turn: int) -> str:
    return page.locator(".message-row").nth(2 * turn - 1).inner_text()


@pytest.mark.browser
def test_sources_people_can_cite_and_markers_that_jump(browser, running_app, tmp_path):
    page = new_page(browser, DESKTOP)
    page.goto(running_app.url)
    ask(page, "定襄法兰2024年产值多少？", 1)
    card = page.locator("#sources .cite-card").first
    meta = card.locator(".cite-meta").inner_text()
    assert "科学导报" in meta and "未注明日期" in meta and "畅雪" in meta and "第6段" in meta
    assert "000_3a8c5979ebe92109" not in page.locator("#sources").inner_text()  # no hashed file name
    assert "（指2024年）" in bubble(page, 1)  # the dates the answer is about, in the answer itself
    for question, turn in (("长治高新区获批了什么试点？", 2), ("长治高新区的四大主导产业是什么？", 3)):
        ask(page, question, turn)
    first = page.locator(".message-row").nth(1).locator("a.cite-link").first  # turn 1's [1], now folded away
    assert first.inner_text() == "[1]"
    assert not page.locator("#cite-1-1").is_visible()
    first.click()
    page.wait_for_function("document.querySelector('#turn-1').open === true")
    target = page.locator("#cite-1-1")
    target.wait_for(state="visible")
    page.wait_for_timeout(800)  # smooth scroll
    assert target.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= -5 && r.top < innerHeight; }")
    shot(page, "screenshot-chat.png", tmp_path)


def test_one_card_per_quoted_sentence():
    from app import citation_card, merged
    from assistant import Citation

    base = dict(quote="某句。", text="某句。", title="标题", byline="记者", date="", source="a.txt", paragraph=0,
                start=0, end=3, article_id="x", chunk_id="x:0:0", outlet="科学导报")  # fmt: skip
    cited = (
        Citation(number=1, **base),
        Citation(number=2, **{**base, "start": 5, "end": 8}),
        Citation(number=3, **base),
    )
    groups = merged(cited)
    assert [[c.number for c in g] for g in groups] == [[1, 3], [2]]

    class NoStore:
        def article(self, article_id):
            from ingest import NewsAssistantError

            raise NewsAssistantError("gone")

    html = citation_card(groups[0], NoStore(), "evidence", 4)  # type: ignore[arg-type]
    assert "[1][3] 标题" in html and "id='cite-4-1'" in html and "id='cite-4-3'" in html
    assert "科学导报 · 未注明日期 · 记者 · 第1段" in html


@pytest.mark.browser
def test_history_survives_a_reload_and_exports_with_references(browser, running_app, tmp_path):
    page = new_page(browser, DESKTOP)
    page.goto(running_app.url)
    ask(page, "定襄法兰2024年产值多少？", 1)
    ask(page, "兴县和哪家公司签约了？", 2)
    page.reload()
    page.locator("#sources #turn-2").wait_for(timeout=30_000)
    assert page.locator(".message-row").count() == 4
    assert "170亿元" in bubble(page, 1) and "安徽稳卓" in bubble(page, 2)
    with page.expect_download() as got:
        page.locator("#export-md").click()
    markdown = Path(got.value.path()).read_text(encoding="utf-8")
    assert markdown.count("## ") == 2 and "问：定襄法兰2024年产值多少？" in markdown
    assert "《忻州：孕育“镇”兴力量 赋能高质量发展》（科学导报，未注明日期，畅雪，第6段）" in markdown
    assert "“定襄法兰作为省级专业镇标杆，2024年产值突破了170亿元" in markdown
    with page.expect_download() as got:
        page.locator("#export-docx").click()
    from docx import Document

    doc = Document(io.BytesIO(Path(got.value.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "问：兴县和哪家公司签约了？" in text and "科学导报，未注明日期" in text and "第" in text
    page.locator("#chat-tools").get_by_role("button", name="清空对话").click()
    page.wait_for_function("document.querySelectorAll('.message-row').length === 0")
    page.reload()
    page.wait_for_timeout(3000)
    assert page.locator(".message-row").count() == 0  # cleared stays cleared


@pytest.mark.browser
def test_refusals_explain_and_suggest(browser, running_app, tmp_path):
    page = new_page(browser, DESKTOP)
    page.goto(running_app.url)
    ask(page, "最近定襄法兰产值多少？", 1)
    said = bubble(page, 1)
    assert "未注明发布日期" in said and "2026年" in said  # why, and the dates searched
    assert "可以这样问：“定襄法兰产值多少？”" in said
    ask(page, "中国足球队的教练是谁？", 2)
    assert "没有找到" in bubble(page, 2)
    assert page.locator("#turn-2 .related-card").count() == 0  # nothing unrelated offered
    ask(page, "繁峙箱包产值多少？", 3)
    assert page.locator("#turn-3 .related-card").count() >= 1  # the article that names it
    ask(page, "定襄法兰2025年产值多少？", 4)
    assert "文章报道的是2024年" in bubble(page, 4) and "定襄法兰2024年产值多少？" in bubble(page, 4)
    shot(page, "screenshot-refusal.png", tmp_path)


@pytest.mark.browser
def test_phone_shows_the_answer_and_its_first_source_on_the_first_screen(browser, running_app, tmp_path):
    page = new_page(browser, PHONE)
    page.goto(running_app.url)
    example = page.get_by_role("button", name="长治高新区获批了什么试点？")
    example.wait_for()
    ask(page, "定襄法兰2024年产值多少？", 1)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    answer = page.locator(".message-row").nth(1).bounding_box()
    card = page.locator("#sources .cite-card").first.bounding_box()
    assert answer and answer["y"] + answer["height"] <= PHONE["height"]
    assert card and card["y"] + 60 <= PHONE["height"]  # its headline and meta line, at least
    assert not example.is_visible()  # examples folded away
    shot(page, "screenshot-phone.png", tmp_path)


@pytest.mark.browser
def test_knowledge_base_words_rows_and_messages(browser, running_app, tmp_path):
    page = new_page(browser, DESKTOP)
    page.goto(running_app.url)
    page.get_by_role("tab", name="知识库").click()
    upload = page.locator("#upload-files")
    upload.wait_for()
    body = page.locator("body").inner_text()
    assert "Drop File" not in body and "Click to Upload" not in body and "选择文章并导入" in body
    assert "片段" not in body and "BM25" not in body
    page.get_by_role("button", name="删除", exact=True).click()
    page.locator("#kb-message").get_by_text("请先选择一个来源").wait_for(timeout=10_000)
    page.locator("#sources-table [data-testid^='cell-']").filter(
        has_text="000_3a8c5979ebe92109.txt"
    ).first.click()  # a row chooses it
    page.get_by_role("button", name="删除", exact=True).click()
    page.get_by_text("确定要删除").wait_for(timeout=10_000)
    assert "科学导报" in page.get_by_text("确定要删除").inner_text()  # named as a person names it
    page.get_by_role("button", name="取消", exact=True).click()
    assert page.locator("#sources-table").locator("input:not([type=file]), textarea").count() == 0
    bad = tmp_path / "tool.exe"
    bad.write_bytes(b"MZ\x90\x00" * 50)
    good = tmp_path / "浏览器导入.txt"
    good.write_text("晋中园区新闻\n\n科学导报讯 晋中园区新增企业 9 家。\n\n李华\n", encoding="utf-8")
    choose_files(page, bad, good)
    results = page.locator("#ingest-results")
    results.get_by_text("【已新增】 浏览器导入.txt").wait_for(timeout=90_000)
    lines = results.inner_text()
    assert "【失败】 tool.exe：不支持的文件类型" in lines and "unsupported" not in lines
    assert "【已新增】 浏览器导入.txt" in lines
    assert all(ord(ch) < 0x1F000 for ch in page.locator("body").inner_text())  # no emoji anywhere
    page.locator("#sources-table").get_by_text("晋中园区新闻").first.wait_for(timeout=30_000)
    shot(page, "screenshot-articles.png", tmp_path, full_page=True)
    page.locator("#sources-table [data-testid^='cell-']").filter(has_text="浏览器导入.txt").first.click()
    page.get_by_role("button", name="删除", exact=True).click()
    page.get_by_role("button", name="确认删除").click()
    page.locator("#kb-message").get_by_text("已删除").wait_for(timeout=30_000)


@pytest.mark.browser
def test_entity_tab_numbers_as_written_dates_and_no_editing(browser, running_app, tmp_path):
    page = new_page(browser, DESKTOP)
    page.goto(running_app.url)
    page.get_by_role("tab", name="实体").click()
    table = page.locator("#entity-table")
    cell = table.get_by_text("定襄法兰专业镇", exact=True).first
    cell.wait_for(timeout=30_000)
    assert "—" not in table.inner_text() and "未注明日期" in table.inner_text()
    cell.click()
    page.locator("#entity-detail mark").first.wait_for(timeout=30_000)
    assert table.locator("input:not([type=file]), textarea").count() == 0  # a click selects, never edits
    facts = page.locator("#entity-facts").inner_text()
    assert "170亿元" in facts and "17000000000" not in facts
    detail = page.locator("#entity-detail").inner_text()
    quotes = [line for line in detail.splitlines() if "定襄法兰作为省级专业镇标杆" in line]
    assert len(set(quotes)) == len(quotes)  # one card per sentence
    shot(page, "screenshot-entities.png", tmp_path, full_page=True)
    page.locator("#entity-region textarea, #entity-region input").first.fill("忻州")  # 专业镇 + 忻州
    page.locator("#entity-kind input").click()
    page.get_by_role("option", name="专业镇/镇").click()
    page.wait_for_function(
        "() => { const t = document.querySelector('#entity-table').innerText;"
        " return t.includes('代州黄酒专业镇') && !t.includes('长治高新区'); }"
    )
    towns = table.inner_text()
    assert "定襄法兰专业镇" in towns and "神池特色食品专业镇" in towns and "忻州市" in towns  # the chain shows


@pytest.mark.browser
def test_english_switch_is_complete(browser, running_app, tmp_path):
    page = new_page(browser, DESKTOP, locale="en-US")
    page.goto(running_app.url)
    ask(page, "定襄法兰2024年产值多少？", 1)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("button", name="Ask", exact=True).wait_for(timeout=30_000)
    page.locator("#sources").get_by_text("Sources", exact=True).wait_for(timeout=30_000)
    sources = page.locator("#sources").inner_text()
    assert "paragraph 6" in sources and "undated" in sources and "出处" not in sources
    body = page.locator("body").inner_text()
    for english in ("Example questions", "Export .md", "Settings", "Copy the answer with its sources"):
        assert english in body, english
    ask(page, "最近定襄法兰产值多少？", 2)  # asked with the page in English
    assert "The stored articles are undated" in bubble(page, 2) and "Try asking" in bubble(page, 2)
    page.get_by_role("tab", name="Articles").click()
    kb = page.locator("body").inner_text()
    assert "Choose articles to add" in kb and "Imported" in kb and "导入时间" not in kb
    page.get_by_role("tab", name="Entities").click()
    page.locator("#entity-table").get_by_text("Key figures").wait_for(timeout=30_000)
    assert "Town" in page.locator("#entity-table").inner_text()
    page.get_by_role("tab", name="Ask").click()
    page.get_by_text("中文", exact=True).click()
    page.get_by_role("button", name="提问", exact=True).wait_for(timeout=30_000)
