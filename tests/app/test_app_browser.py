"""The running app in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.app.test_app_api import XSS_ARTICLE
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM, reason="Debian chromium not installed")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser profile per test: the conversation the app keeps in the browser
    (localStorage) starts empty."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def choose_files(page, *paths) -> None:
    """The 知识库 upload button's file chooser, answered with ``paths`` (choosing imports them)."""
    with page.expect_file_chooser() as chooser:
        page.locator("#upload-files").click()
    chooser.value.set_files([str(p) for p in paths])


def _ask(page, question: str) -> None:
    page.get_by_placeholder("例如").fill(question)
    page.get_by_role("button", name="提问", exact=True).click()


def test_ask_and_see_highlighted_sentence(page, running_app, tmp_path):
    page.goto(running_app.url)
    _ask(page, "定襄法兰2024年产值多少？")
    mark = page.locator("#sources mark").first
    mark.wait_for(timeout=60_000)
    assert "170亿元" in mark.inner_text()
    assert "170亿元" in page.locator(".message-row").last.inner_text()
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
    assert (tmp_path / "chat.png").stat().st_size > 10_000
    page.locator("#sources details summary").first.click()  # open the whole article
    assert page.locator("#sources details[open] mark").count() >= 1


def test_example_question_is_one_click(page, running_app):
    page.goto(running_app.url)
    page.get_by_role("button", name="长治高新区获批了什么试点？").click()
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    assert "绿电产业园试点园区" in page.locator("#sources mark").first.inner_text()


def test_upload_shows_in_sources_table_and_xss_renders_as_text(page, running_app, tmp_path):
    page.goto(running_app.url)
    article = tmp_path / "网页安全测试.txt"
    article.write_text(XSS_ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="知识库").click()
    choose_files(page, article)
    page.locator("#ingest-results").get_by_text("网页安全测试.txt").wait_for(timeout=60_000)
    page.locator("#sources-table").get_by_text("网页安全测试.txt").first.wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "kb.png"), full_page=True)

    page.get_by_role("tab", name="问答").click()
    _ask(page, "测试园区新增企业多少家？")
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    sources_text = page.locator("#sources").inner_text()
    assert "<script>alert('xss')</script>" in sources_text  # shown as text ...
    assert page.locator("#sources script").count() == 0  # ... never as markup
    bubble = page.locator(".message-row").last.inner_text()
    assert "<script>alert('xss')</script>" in bubble and "&lt;" not in bubble
    assert page.locator("#sources img").count() == 0
    assert page.dialogs == []


def test_screenshot_path_is_documented():
    assert "docs/screenshot-chat.png" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert Path(ROOT / "docs" / "screenshot-chat.png").exists()


def test_english_toggle(page, running_app):
    page.goto(running_app.url)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("button", name="Ask", exact=True).wait_for(timeout=30_000)
    page.get_by_role("tab", name="Articles").wait_for(timeout=30_000)
    page.get_by_text("中文", exact=True).click()
    page.get_by_role("button", name="提问", exact=True).wait_for(timeout=30_000)


def test_direct_answer_is_bold_inside_the_highlight(page, running_app):
    page.goto(running_app.url)
    _ask(page, "定襄法兰2024年产值多少？")
    bold = page.locator("#sources mark b.answer").first
    bold.wait_for(timeout=60_000)
    assert bold.inner_text() == "170亿元"


def test_refusal_lists_related_articles_without_highlight(page, running_app):
    page.goto(running_app.url)
    _ask(page, "繁峙箱包产值多少？")  # the articles name 繁峙箱包 but give no figure for it
    page.locator("#sources .related-card").first.wait_for(timeout=60_000)
    assert page.locator("#sources mark").count() == 0
    assert "相关文章" in page.locator("#sources").inner_text()


def test_a_second_question_while_answering_is_never_lost(page, running_app):
    page.goto(running_app.url)
    box = page.get_by_placeholder("例如")
    box.fill("定襄法兰2024年产值多少？")
    box.press("Enter")
    # a person starts typing a few milliseconds later at the earliest: by then the question
    # was taken and the box locked (or already answered)
    page.wait_for_function(
        "document.querySelector('#question textarea').disabled || document.querySelectorAll('.message-row').length > 0"
    )
    box.fill("长治高新区获批了什么试点？")  # waits while the first answer is written (the box is disabled)
    box.press("Enter")
    page.locator(".message-row").nth(3).wait_for(timeout=90_000)
    rows = page.locator(".message-row").all_inner_texts()
    text = "\n".join(rows)
    assert "定襄法兰2024年产值多少？" in text and "长治高新区获批了什么试点？" in text
    assert "170亿元" in text and "绿电产业园试点园区" in text


def test_reload_shows_sources_added_from_another_process(page, running_app, tmp_path):
    from tests.app.test_app_api import NEW_ARTICLE, cli

    page.goto(running_app.url)
    page.get_by_role("tab", name="知识库").click()
    article = tmp_path / "另一进程导入.txt"
    article.write_text(NEW_ARTICLE.replace("阳泉", "朔州"), encoding="utf-8")
    assert cli(running_app, article).returncode == 0
    page.reload()
    page.get_by_role("tab", name="知识库").click()
    page.locator("#sources-table").get_by_text("另一进程导入.txt").first.wait_for(timeout=30_000)
    assert cli(running_app, "--delete", article).returncode == 0


def test_entity_tab_lists_entities_and_shows_cited_facts(page, running_app):
    page.goto(running_app.url)
    page.get_by_role("tab", name="实体").click()
    cell = page.locator("#entity-table").get_by_text("定襄法兰专业镇", exact=True).first
    cell.wait_for(timeout=30_000)
    cell.click()
    page.locator("#entity-detail mark").first.wait_for(timeout=30_000)
    assert "170亿元" in page.locator("#entity-detail").inner_text()
    assert "170亿元" in page.locator("#entity-facts").inner_text()
