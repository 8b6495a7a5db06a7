"""The running app driven through gradio_client: ask, upload, ask again, delete, bad uploads."""

from __future__ import annotations

import httpx
import pytest
from gradio_client import Client, handle_file

NEW_ARTICLE = (
    "阳泉高新区签约氢能重卡项目\n\n"
    "科学导报讯 4 月 2 日，阳泉高新区与山西氢途科技有限公司签约年产 2000 辆氢能重卡项目，总投资 36 亿元。\n\n"
    "项目建成后预计年产值 60 亿元。\n\n"
    "张明\n"
)
XSS_ARTICLE = (
    "测试园区网页安全新闻\n\n"
    "科学导报讯 测试园区发布公告<script>alert('xss')</script>称，园区新增企业<img src=x onerror=alert(1)> 17 家。\n\n"
    "李华\n"
)


@pytest.fixture(scope="module")
def client(running_app):
    return Client(running_app.url, verbose=False)


def _ingest(client, path) -> str:
    lines, _table, _choices = client.predict([handle_file(str(path))], api_name="/ingest_files")
    return lines


def test_answer_api_returns_text_found_and_citations(client):
    res = client.predict("定襄法兰2024年产值多少？", api_name="/answer")
    assert res["found"] is True and "170亿元" in res["text"]
    quote = res["citations"][0]["quote"]
    assert "170亿元" in quote and res["citations"][0]["title"].startswith("忻州")
    assert {"start", "end", "paragraph", "source", "byline", "date"} <= set(res["citations"][0])


def test_answer_api_with_history(client):
    history = [["兴县和哪家公司签约了？", "安徽稳卓汽车部件有限公司[1]"]]
    res = client.predict("这家公司的董事长是谁？", history, api_name="/answer")
    assert res["found"] and "周伦强" in res["text"]


def test_upload_ask_delete_roundtrip(client, tmp_path, running_app):
    page = tmp_path / "阳泉氢能.txt"
    page.write_text(NEW_ARTICLE, encoding="utf-8")
    assert "已新增" in _ingest(client, page)
    assert "未变化" in _ingest(client, page)  # idempotent re-upload
    res = client.predict("阳泉高新区氢能重卡项目总投资多少亿元？", api_name="/answer")
    assert res["found"] and "36亿元" in res["text"]
    stored = next(p for p in running_app.upload_dir.iterdir() if p.name == "阳泉氢能.txt")
    message, _table, _choices = client.predict(str(stored), api_name="/delete_source")
    assert "已删除" in message
    res = client.predict("阳泉高新区氢能重卡项目总投资多少亿元？", api_name="/answer")
    assert res["found"] is False and "36" not in res["text"]


def test_corrected_upload_replaces_old_version(client, tmp_path):
    page = tmp_path / "更正稿.txt"
    page.write_text(NEW_ARTICLE.replace("阳泉", "晋城"), encoding="utf-8")
    assert "已新增" in _ingest(client, page)
    page.write_text(NEW_ARTICLE.replace("阳泉", "晋城").replace("36 亿元", "38 亿元"), encoding="utf-8")
    assert "已替换" in _ingest(client, page)
    res = client.predict("晋城高新区氢能重卡项目总投资多少亿元？", api_name="/answer")
    assert "38亿元" in res["text"] and "36亿元" not in res["text"]


def test_bad_uploads_get_clear_messages_and_app_keeps_serving(client, tmp_path, running_app):
    big = tmp_path / "big.txt"
    big.write_text("园区" * 400_000, encoding="utf-8")  # 2.4 MB > APP_MAX_UPLOAD_MB=1
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ\x90\x00" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    lines = client.predict(
        [handle_file(str(big)), handle_file(str(exe)), handle_file(str(empty))], api_name="/ingest_files"
    )[0]
    assert "big.txt：文件太大" in lines
    assert "tool.exe：不支持的文件类型" in lines
    assert "empty.txt：文件为空" in lines
    assert running_app.alive()
    assert client.predict("定襄法兰2024年产值多少？", api_name="/answer")["found"]


def test_path_traversal_name_stays_in_upload_folder(client, running_app, tmp_path):
    upload = httpx.post(
        running_app.url + "gradio_api/upload",
        files={"files": ("../../../../escape_test.txt", NEW_ARTICLE.encode(), "text/plain")},
        timeout=30,
    )
    assert upload.status_code == 200
    server_path = upload.json()[0]
    payload = {"path": server_path, "orig_name": "../../../../escape_test.txt", "meta": {"_type": "gradio.FileData"}}
    lines = client.predict([payload], api_name="/ingest_files")[0]
    assert "escape_test.txt" in lines and ("已新增" in lines or "未变化" in lines)
    saved = running_app.upload_dir / "escape_test.txt"
    assert saved.is_file()
    for parent in list(running_app.upload_dir.parents)[:4]:
        assert not (parent / "escape_test.txt").exists()
    assert running_app.alive()


def test_xss_article_is_stored_and_answered_as_text(client, tmp_path):
    page = tmp_path / "xss.html.txt"
    page.write_text(XSS_ARTICLE, encoding="utf-8")
    assert "已新增" in _ingest(client, page)
    res = client.predict("测试园区新增企业多少家？", api_name="/answer")
    assert res["found"] and "17家" in res["text"]
    assert "<script>" in res["citations"][0]["text"]  # stored verbatim; escaping is the renderer's job


def test_bad_question_is_an_error_not_a_crash(client, running_app):
    res = client.predict("   ", api_name="/answer")
    assert res["found"] is False and "empty" in res["error"]
    assert running_app.alive()
