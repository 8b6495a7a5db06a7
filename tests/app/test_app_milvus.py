"""Two real app processes on one Milvus store (a ``milvus-lite server`` process): one ingests,
the other answers the new article; the CLI and the Python route share the store too, with
no lock and no store service."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
from gradio_client import Client, handle_file

from tests.app.conftest import _free_port, start_app, stop_app
from tests.app.test_app_api import NEW_ARTICLE
from tests.conftest import ROOT

pytest.importorskip("pymilvus")


@pytest.fixture(scope="module")
def milvus_server(tmp_path_factory):
    """``milvus-lite server`` on a free port: what a Milvus server is to the store."""
    port = _free_port()
    data = tmp_path_factory.mktemp("milvus")
    command = [os.path.join(os.path.dirname(sys.executable), "milvus-lite"), "server", "--data-dir", str(data),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    with (data.parent / "milvus.log").open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}", timeout=2)
            break
        except httpx.HTTPError as exc:
            if "Connection refused" not in str(exc) and not isinstance(exc, httpx.ConnectError):
                break
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            pytest.fail("milvus-lite server did not start")
        time.sleep(0.5)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(15)


@pytest.fixture(scope="module")
def two_apps(tmp_path_factory, milvus_server):
    env = {"MILVUS_URI": milvus_server, "MILVUS_STORE": "shared_test"}
    writer = start_app(tmp_path_factory.mktemp("writer"), APP_AUTH="editor:pa55word", APP_API_WRITES="1", **env)
    reader = start_app(tmp_path_factory.mktemp("reader"), **env)
    yield writer, reader
    stop_app(writer)
    stop_app(reader)


def test_one_app_ingests_the_other_answers_within_five_seconds(two_apps, tmp_path):
    writer, reader = two_apps
    asker = Client(reader.url, verbose=False)
    question = "阳泉高新区氢能重卡项目总投资多少亿元？"
    assert asker.predict(question, api_name="/answer")["found"] is False
    page = tmp_path / "阳泉氢能.txt"
    page.write_text(NEW_ARTICLE, encoding="utf-8")
    editor = Client(writer.url, auth=("editor", "pa55word"), verbose=False)
    assert "已新增" in editor.predict([handle_file(str(page))], api_name="/ingest_files")
    stored = time.monotonic()
    while True:
        res = asker.predict(question, api_name="/answer")
        if res["found"] or time.monotonic() - stored > 5:
            break
        time.sleep(0.2)
    assert res["found"] and "36亿元" in res["text"], res
    assert time.monotonic() - stored <= 5
    assert res["citations"][0]["title"] == "阳泉高新区签约氢能重卡项目"
    assert "已删除" in editor.predict(str(writer.upload_dir / "阳泉氢能.txt"), api_name="/delete_source")
    assert asker.predict(question, api_name="/answer")["found"] is False  # the delete is seen at once


def test_the_sample_is_stored_once_and_both_apps_answer_it(two_apps):
    writer, reader = two_apps
    for client in (Client(writer.url, auth=("editor", "pa55word"), verbose=False), Client(reader.url, verbose=False)):
        res = client.predict("定襄法兰2024年产值多少？", api_name="/answer")
        assert res["found"] and "170亿元" in res["text"]
    listing = _cli(two_apps[0].env, "--list")
    assert listing.returncode == 0 and listing.stdout.count("000_3a8c5979ebe92109.txt") == 1, listing.stdout


def test_python_and_cli_share_the_store_while_the_apps_run(two_apps, tmp_path):
    env = two_apps[1].env
    code = "from assistant import answer\nprint(answer('定襄法兰2024年产值多少？').text)"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "170亿元" in out.stdout, out.stderr[-2000:]
    page = tmp_path / "cli.txt"
    page.write_text(NEW_ARTICLE.replace("阳泉", "晋中"), encoding="utf-8")
    assert _cli(env, page).returncode == 0
    res = Client(two_apps[1].url, verbose=False).predict("晋中高新区氢能重卡项目总投资多少亿元？", api_name="/answer")
    assert res["found"] and "36亿元" in res["text"]
    assert _cli(env, "--delete", page).returncode == 0


def _cli(env: dict, *args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", "-q", *map(str, args)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
