"""The app with an LLM configured: a real app process, a scripted OpenAI-compatible server,
questions the extractive judge refuses (``ANSWER_THRESHOLD=0.999``), through the
``/answer`` API and in a real browser."""

from __future__ import annotations

import pytest
from gradio_client import Client

from tests.app.conftest import start_app, stop_app
from tests.app.test_app_browser import CHROMIUM, _ask, chromium, page  # noqa: F401 - fixtures
from tests.assistant.openai_server import OpenAICompatibleServer
from tests.assistant.test_llm import PARAPHRASE, number_of

PLANTED = "阳曲那次招商会请了多少商界人士？"


def _reply(messages: list[dict]) -> str:
    n = number_of(messages, "50余名")
    if "商界人士" in messages[-1]["content"]:
        return f"阳曲工业园区招商大会有500余名企业家参会[{n}]。"  # a planted figure
    return f"阳曲工业园区招商大会有50余名商业代表和企业家受邀参会[{n}]。"


@pytest.fixture(scope="module")
def llm_app(tmp_path_factory):
    with OpenAICompatibleServer(_reply) as server:
        app = start_app(tmp_path_factory.mktemp("llm_app"), LLM_BASE_URL=server.base_url, ANSWER_THRESHOLD="0.999")
        yield app
        stop_app(app)


def test_answer_api_uses_the_verified_llm_answer(llm_app):
    res = Client(llm_app.url, verbose=False).predict(PARAPHRASE, api_name="/answer")
    assert res["found"] and res["mode"] == "llm" and res["llm"] == "used"
    assert "50余名" in res["text"] and "50余名商业代表和企业家受邀参会" in res["citations"][0]["quote"]


def test_answer_api_refuses_an_unverified_llm_answer(llm_app):
    res = Client(llm_app.url, verbose=False).predict(PLANTED, api_name="/answer")
    assert not res["found"] and res["llm"] == "number" and "500" not in res["text"]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM, reason="Debian chromium not installed")
def test_chat_shows_the_llm_answer_its_path_and_its_source(page, llm_app):  # noqa: F811 - the fixture
    page.goto(llm_app.url)
    _ask(page, PARAPHRASE)
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    assert "50余名" in page.locator("#sources mark").first.inner_text()
    bubble = page.locator(".message-row").last.inner_text()
    assert "50余名" in bubble and "大模型根据原文作答" in bubble
