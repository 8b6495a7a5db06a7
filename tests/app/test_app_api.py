"""The running app driven through gradio_client and plain HTTP: answers, entities, and the
write API that is off unless APP_API_WRITES (which needs a login) turns it on."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from gradio_client import Client, handle_file

from tests.conftest import ROOT

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


@pytest.fixture(scope="module")
def editor(writable_app):
    return Client(writable_app.url, auth=("editor", "pa55word"), verbose=False)


def cli(app, *args):
    return subprocess.run(
        [sys.executable, "-m", "ingest", "-q", *map(str, args)],
        capture_output=True,
        text=True,
        env={**app.env, "HF_HUB_OFFLINE": "1"},
        cwd=ROOT,
        timeout=300,
    )


def test_answer_api_returns_text_found_and_citations(client):
    res = client.predict("定襄法兰2024年产值多少？", api_name="/answer")
    assert res["found"] is True and "170亿元" in res["text"]
    first = res["citations"][0]
    assert "170亿元" in first["quote"] and first["title"].startswith("忻州")
    assert {"start", "end", "paragraph", "source", "byline", "date", "answer_start", "answer_end"} <= set(first)


def test_answer_api_starts_with_the_direct_answer_and_gives_its_offsets(client):
    res = client.predict("定襄法兰2024年产值多少？", api_name="/answer")
    assert res["text"].startswith("170亿元。")
    first = res["citations"][0]
    offset = first["answer_start"] - first["start"]
    assert first["quote"][offset : first["answer_end"] - first["start"]] == "170亿元"


def test_answer_api_lists_every_item(running_app, client, tmp_path):
    from tests.assistant.test_answer import THREE_PROJECTS

    page = tmp_path / "阳曲三个项目.txt"
    page.write_text(THREE_PROJECTS, encoding="utf-8")
    assert cli(running_app, page).returncode == 0
    try:
        res = client.predict("阳曲工业园区签约了哪些项目？", api_name="/answer")
        assert res["found"] and len(res["citations"]) == 3
        assert all(p in res["text"] for p in ("新能源电池", "生物医药产业园", "智能装备制造"))
    finally:
        assert cli(running_app, "--delete", page).returncode == 0


def test_answer_api_with_history(client):
    history = [["兴县和哪家公司签约了？", "安徽稳卓汽车部件有限公司[1]"]]
    res = client.predict("这家公司的董事长是谁？", history, api_name="/answer")
    assert res["found"] and "周伦强" in res["text"]


def test_history_of_the_wrong_type_is_a_clear_error(client):
    res = client.predict("定襄法兰产值多少？", "not a list", api_name="/answer")
    assert res["found"] is False and "history" in res["error"]


def test_entities_api(client):
    towns = client.predict("town", "", "", api_name="/entities")
    assert any(e["name"] == "定襄法兰专业镇" for e in towns)
    town = client.predict("定襄法兰", api_name="/entity")
    assert town["kind"] == "town" and "定襄法兰" in town["aliases"]
    fact = next(f for f in town["facts"] if f["attribute"] == "产值")
    assert fact["value"] == "170亿元" and fact["number"] == 1.7e10 and "170亿元" in fact["citation"]["quote"]
    assert client.predict("没有这个实体", api_name="/entity") is None


def test_write_endpoints_are_not_public_by_default(client, running_app, tmp_path):
    for name in ("/delete_source", "/ingest_files", "/reingest"):
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own types for an unknown endpoint
            client.predict("000_3a8c5979ebe92109.txt", api_name=name)
    for name in ("delete_source", "ingest_files", "reingest"):
        response = httpx.post(f"{running_app.url}gradio_api/call/{name}", json={"data": ["x"]}, timeout=10)
        assert response.status_code != 200, response.text  # no such endpoint (gradio answers 500 or 404)
    assert client.predict("定襄法兰2024年产值多少？", api_name="/answer")["found"]  # nothing was deleted


def test_cli_writes_through_the_running_app(running_app, client, tmp_path):
    page = tmp_path / "阳泉氢能.txt"
    page.write_text(NEW_ARTICLE, encoding="utf-8")
    listed = cli(running_app, "--list")
    assert listed.returncode == 0 and "000_3a8c5979ebe92109.txt" in listed.stdout  # read-only: no waiting
    added = cli(running_app, page)
    assert added.returncode == 0, added.stderr
    assert "sending the request" in added.stderr and "added: 阳泉氢能.txt" in added.stdout
    res = client.predict("阳泉高新区氢能重卡项目总投资多少亿元？", api_name="/answer")
    assert res["found"] and "36亿元" in res["text"]
    bad = tmp_path / "empty.txt"
    bad.write_text("\n")
    failed = cli(running_app, bad)
    assert failed.returncode == 1 and "failed: empty.txt: empty" in failed.stderr
    deleted = cli(running_app, "--delete", page)
    assert deleted.returncode == 0 and "chunks removed" in deleted.stdout
    assert client.predict("阳泉高新区氢能重卡项目总投资多少亿元？", api_name="/answer")["found"] is False


def test_write_api_needs_login(writable_app):
    with pytest.raises(Exception, match="credentials were not provided"):
        Client(writable_app.url, verbose=False).predict("x.txt", api_name="/delete_source")


def test_upload_ask_delete_roundtrip(editor, writable_app, tmp_path):
    page = tmp_path / "阳泉氢能.txt"
    page.write_text(NEW_ARTICLE, encoding="utf-8")
    assert "已新增" in editor.predict([handle_file(str(page))], api_name="/ingest_files")
    assert "未变化" in editor.predict([handle_file(str(page))], api_name="/ingest_files")  # idempotent
    stored = writable_app.upload_dir / "阳泉氢能.txt"
    assert stored.is_file()  # uploads live inside the store
    res = editor.predict("阳泉高新区氢能重卡项目总投资多少亿元？", api_name="/answer")
    assert res["found"] and "36亿元" in res["text"]
    assert "请指定" in editor.predict("", api_name="/delete_source")  # no default source, ever
    assert "已删除" in editor.predict(str(stored), api_name="/delete_source")
    assert not stored.exists()  # the upload went with its source
    res = editor.predict("阳泉高新区氢能重卡项目总投资多少亿元？", api_name="/answer")
    assert res["found"] is False and "36" not in res["text"]


def test_corrected_upload_replaces_old_version(editor, tmp_path):
    page = tmp_path / "更正稿.txt"
    page.write_text(NEW_ARTICLE.replace("阳泉", "晋城"), encoding="utf-8")
    assert "已新增" in editor.predict([handle_file(str(page))], api_name="/ingest_files")
    page.write_text(NEW_ARTICLE.replace("阳泉", "晋城").replace("36 亿元", "38 亿元"), encoding="utf-8")
    assert "已替换" in editor.predict([handle_file(str(page))], api_name="/ingest_files")
    res = editor.predict("晋城高新区氢能重卡项目总投资多少亿元？", api_name="/answer")
    assert "38亿元" in res["text"] and "36亿元" not in res["text"]


def test_bad_uploads_get_clear_messages_and_leave_nothing(editor, writable_app, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("园区" * 400_000, encoding="utf-8")  # 2.4 MB > APP_MAX_UPLOAD_MB=1
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ\x90\x00" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    lines = editor.predict(
        [handle_file(str(big)), handle_file(str(exe)), handle_file(str(empty))], api_name="/ingest_files"
    )
    assert "big.txt：文件太大" in lines
    assert "tool.exe：不支持的文件类型" in lines
    assert "empty.txt：文件为空" in lines
    assert not (writable_app.upload_dir / "empty.txt").exists()  # a failed ingest keeps no copy
    assert [p.name for p in writable_app.upload_dir.glob(".*.part*")] == []
    assert editor.predict("定襄法兰2024年产值多少？", api_name="/answer")["found"]


def test_path_traversal_name_stays_in_upload_folder(writable_app, tmp_path):
    cookies = httpx.post(
        writable_app.url + "login", data={"username": "editor", "password": "pa55word"}, timeout=30
    ).cookies
    upload = httpx.post(
        writable_app.url + "gradio_api/upload",
        files={"files": ("../../../../escape_test.txt", NEW_ARTICLE.encode(), "text/plain")},
        cookies=cookies,
        timeout=30,
    )
    assert upload.status_code == 200, upload.text
    payload = {
        "path": upload.json()[0],
        "orig_name": "../../../../escape_test.txt",
        "meta": {"_type": "gradio.FileData"},
    }
    client = Client(writable_app.url, auth=("editor", "pa55word"), verbose=False)
    lines = client.predict([payload], api_name="/ingest_files")
    assert "escape_test.txt" in lines and ("已新增" in lines or "未变化" in lines)
    assert (writable_app.upload_dir / "escape_test.txt").is_file()
    for parent in list(writable_app.upload_dir.parents)[:4]:
        assert not (parent / "escape_test.txt").exists()


def test_xss_article_is_stored_and_answered_as_text(editor, tmp_path):
    page = tmp_path / "xss.html.txt"
    page.write_text(XSS_ARTICLE, encoding="utf-8")
    assert "已新增" in editor.predict([handle_file(str(page))], api_name="/ingest_files")
    res = editor.predict("测试园区新增企业多少家？", api_name="/answer")
    assert res["found"] and "17家" in res["text"]
    assert "<script>" in res["citations"][0]["text"]  # stored verbatim; escaping is the renderer's job


def test_bad_question_is_an_error_not_a_crash(client, running_app):
    res = client.predict("   ", api_name="/answer")
    assert res["found"] is False and "empty" in res["error"]
    assert running_app.alive()


def test_wrong_logins_are_slowed_down(writable_app):
    import time

    started = time.monotonic()
    for _ in range(3):
        response = httpx.post(writable_app.url + "login", data={"username": "editor", "password": "guess"}, timeout=30)
        assert response.status_code >= 400
    assert time.monotonic() - started >= 2.5  # each wrong login waits (APP_AUTH guessing is impractical)


def test_open_host_without_login_warns(tmp_path):
    from tests.app.conftest import start_app, stop_app

    app = start_app(tmp_path, APP_HOST="0.0.0.0")
    try:
        assert "WITHOUT a login" in app.log.read_text()
    finally:
        stop_app(app)
    assert os.environ.get("APP_HOST") != "0.0.0.0"


def test_write_api_reads_only_files_uploaded_to_the_app(editor, writable_app):
    outside = writable_app.store_dir.parent / "secret.txt"
    outside.write_text("机密文件\n\n科学导报讯 这是服务器上的另一个文件，总投资99亿元。\n", encoding="utf-8")
    lines = editor.predict([str(outside)], api_name="/ingest_files")
    assert "只能导入上传到本应用的文件" in lines
    assert editor.predict("这个文件的总投资是多少？", api_name="/answer")["found"] is False


def test_many_users_while_articles_are_imported(running_app, tmp_path):
    """The short version of ``python -m bench.load app``: five users, each with their own
    client, ask while the CLI imports a bulk file through the app; nothing fails, every
    answer about the sample page is found, and the new articles are answerable after."""
    import json
    import threading

    bulk = tmp_path / "批量新闻.jsonl"
    with bulk.open("w", encoding="utf-8") as fh:
        for i in range(30):
            text = f"科学导报讯 第{i + 1}号产业园日前签约新材料项目，总投资{i + 2}亿元，预计带动就业{i + 100}人。"
            fh.write(json.dumps({"id": f"load-{i}", "title": f"第{i + 1}号产业园签约", "text": text},
                                ensure_ascii=False) + "\n")  # fmt: skip
    failures: list[str] = []
    answered: list[bool] = []
    importing = threading.Event()

    def user() -> None:
        client = Client(running_app.url, verbose=False)
        asked = 0
        while importing.is_set() or asked < 3:
            try:
                res = client.predict("定襄法兰2024年产值多少？", api_name="/answer")
                answered.append(res["found"] and "170亿元" in res["text"])
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none may happen
                failures.append(repr(exc))
            asked += 1

    importing.set()
    users = [threading.Thread(target=user) for _ in range(5)]
    for thread in users:
        thread.start()
    try:
        imported = cli(running_app, bulk)
    finally:
        importing.clear()
        for thread in users:
            thread.join(timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert failures == [] and len(answered) >= 15 and all(answered)
    res = Client(running_app.url, verbose=False).predict("第7号产业园签约的项目总投资多少？", api_name="/answer")
    assert res["found"] and "8亿元" in res["text"]
    assert cli(running_app, "--delete", bulk).returncode == 0
