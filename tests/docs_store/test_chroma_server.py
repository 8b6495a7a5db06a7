"""The scale-out path: vectors in a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docs_store import Settings, StoreError, open_store
from ingest import parse_file
from tests.conftest import copy_seed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma CLI is installed with chromadb"
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma_server")
    proc = subprocess.Popen(
        [chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import chromadb

    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("chroma run did not start")
            time.sleep(0.5)
    yield port
    proc.terminate()
    proc.wait(10)


def test_store_through_chroma_server(chroma_server, tmp_path, hash_embedding):
    settings = Settings(store_dir=tmp_path / "store", chroma_host="127.0.0.1", chroma_port=chroma_server)
    page = copy_seed(tmp_path)
    with open_store(settings, embedding=hash_embedding) as store:
        report = store.ingest(parse_file(page))
        assert report.status == "added"
        assert store.chunk_ids() == store.vector_ids()
        assert "兴县" in store.search("兴县经济技术开发区签约", k=1)[0].chunk.title
        # a second process-style client on the same server and store sees the same data
        with open_store(settings, embedding=hash_embedding) as second:
            assert second.vector_ids() == store.chunk_ids()
        store.delete_source(str(page))
        assert store.vector_ids() == set() == store.chunk_ids()


def test_unreachable_server_is_a_clear_error(tmp_path, hash_embedding):
    settings = Settings(store_dir=tmp_path / "s", chroma_host="127.0.0.1", chroma_port=_free_port())
    with pytest.raises(StoreError, match="cannot reach Chroma server at 127.0.0.1"):
        open_store(settings, embedding=hash_embedding)
