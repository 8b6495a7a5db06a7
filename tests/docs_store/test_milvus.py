"""The Milvus backend's own guarantees (the shared ones run in test_store, test_faults and
test_entity_index on both backends): moving a store both ways, refusing to hide a local
store, and recovering the journals a killed writer left behind."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

from docs_store import Settings, SettingsError, StoreError, open_store, read_sources
from ingest import chunk_article, parse_file
from tests.conftest import ROOT, SEED, open_backend

pytest.importorskip("pymilvus")


def _cli(env: dict, *args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", "-q", *map(str, args)], env={**os.environ, **env},
                          cwd=ROOT, capture_output=True, text=True, timeout=600)  # fmt: skip


def test_migrate_moves_the_whole_store_both_ways(tmp_path, m3e):
    local = {"DOCS_STORE_DIR": str(tmp_path / "store"), "HF_HUB_OFFLINE": "1"}
    milvus = {**local, "MILVUS_URI": str(tmp_path / "milvus" / "m.db")}
    assert _cli(local, SEED).returncode == 0
    with open_store(Settings(store_dir=tmp_path / "store"), embedding=m3e) as store:
        before = (store.chunk_ids(), [h.chunk.id for h in store.search("定襄法兰2024年产值", k=3)])
    refused = _cli(milvus, "--list")
    assert refused.returncode == 2 and "--migrate" in refused.stderr  # never hides the local articles
    opened = _cli(milvus, SEED)
    assert opened.returncode == 2 and "--migrate" in opened.stderr  # never hides the local articles
    moved = _cli(milvus, "--migrate")
    assert moved.returncode == 0 and f"moved {len(before[0])} chunks from local to milvus" in moved.stdout
    assert "000_3a8c5979ebe92109.txt" in _cli(milvus, "--list").stdout
    settings = Settings(store_dir=tmp_path / "store", milvus_uri=milvus["MILVUS_URI"])
    with open_store(settings, embedding=m3e) as store:
        assert store.chunk_ids() == store.vector_ids() == before[0]
        assert [h.chunk.id for h in store.search("定襄法兰2024年产值", k=3)] == before[1]
        assert {e.name for e in store.catalog.entity_summaries(kind="town", region="忻州")} >= {"定襄法兰专业镇"}
        assert store.catalog.meta("entities_version") == store.extractor_version  # not re-extracted at each open
    stale = _cli(local, "--delete", SEED)
    assert stale.returncode == 2 and "--migrate" in stale.stderr  # the old folder says where it went
    back = _cli(local, "--migrate")
    assert back.returncode == 0 and "to local" in back.stdout, back.stderr
    with open_store(Settings(store_dir=tmp_path / "store"), embedding=m3e) as store:
        assert store.chunk_ids() == before[0]
        assert [h.chunk.id for h in store.search("定襄法兰2024年产值", k=3)] == before[1]
    assert _cli(milvus, "--list").returncode == 2  # and the Milvus store says where it went


def test_settings_name_one_backend(tmp_path):
    with pytest.raises(SettingsError, match="not both"):
        Settings(milvus_uri="http://127.0.0.1:19530", chroma_host="127.0.0.1")
    with pytest.raises(SettingsError, match="MILVUS_STORE"):
        Settings.from_env({"MILVUS_STORE": "news-2"})
    assert read_sources(Settings(store_dir=tmp_path, milvus_uri=str(tmp_path / "none.db"))) == []


def test_a_dead_writers_journals_are_recovered_by_the_next_open(tmp_path, hash_embedding, seed_parsed):
    """What SIGKILL mid-write leaves, from another process: chunk rows whose article row was
    never written (invisible), a new article row without its source's commit, both journals."""
    directory = tmp_path / "s"
    with open_backend(directory, hash_embedding, "milvus") as store:
        store.ingest(seed_parsed)
        before = (store.chunk_ids(), store.vector_ids(), [(s.source, s.articles) for s in store.sources()])
        other = parse_file(SEED)
        article = other.articles[0]
        stray = [c.id.replace(article.id, "deadbeef") for c in chunk_article(article)][:2]
        m = store._milvus
        assert m is not None
        rows = [{"id": cid, "article_id": "deadbeef", "source": "x", "paragraph": 0, "start": 0, "date": 0,
                 "text": "孤儿", "sentences": "[]", "section": "", "words": "t00", "dense": [0.1] * 64}
                for cid in stray]  # fmt: skip
        m.call("upsert", m.chunks, rows)
        dead = f"{socket.gethostname()}:{_dead_pid()}:0000"
        value = json.dumps({"add": stray, "remove": [], "writer": dead, "at": 0})
        m.call("upsert", m.meta, [{"key": f"pending:{dead}", "doc": {"value": value}, "stamp": 0, "v": [0.0, 0.0]}])
        assert stray[0] not in store.chunk_ids()  # invisible already: no article row
    with open_backend(directory, hash_embedding, "milvus") as store:
        assert (store.chunk_ids(), store.vector_ids(), [(s.source, s.articles) for s in store.sources()]) == before
        assert store.catalog.meta_keys("pending:") == {}  # type: ignore[attr-defined]


def test_a_writer_killed_between_the_two_phases_is_rolled_forward(tmp_path, hash_embedding, seed_parsed):
    directory = tmp_path / "s"
    with open_backend(directory, hash_embedding, "milvus") as store:
        store.ingest(seed_parsed)
        m = store._milvus
        assert m is not None
        dead = f"{socket.gethostname()}:{_dead_pid()}:0001"
        record = {"phase": "commit", "forget": [], "forget_sources": [seed_parsed.source],
                  "sources": {seed_parsed.source: None}, "meta": {}, "writer": dead, "at": 0}  # fmt: skip
        m.call("upsert", m.meta, [{"key": f"txn:{dead}", "doc": {"value": json.dumps(record)}, "stamp": 0,
                                   "v": [0.0, 0.0]}])  # fmt: skip
    with open_backend(directory, hash_embedding, "milvus") as store:  # the delete it had begun is finished
        assert store.sources() == [] and store.chunk_ids() == set() and store.search("定襄法兰") == []


def test_vectors_and_bm25_live_in_milvus(tmp_path, hash_embedding, seed_parsed):
    with open_backend(tmp_path / "s", hash_embedding, "milvus") as store:
        store.ingest(seed_parsed)
        assert not (tmp_path / "s" / "catalog.sqlite3").exists() and not (tmp_path / "s" / "chroma").exists()
        hits = store.search("兴县经济技术开发区签约", k=3, mode="bm25")
        assert hits and "兴县" in hits[0].chunk.text
        vectors = store._vectors.vectors([hits[0].chunk.id])
        assert np.asarray(vectors[hits[0].chunk.id]).shape == (64,)
        idf = store.idf(["兴县", "没有这个词"])
        assert idf["兴县"] < idf["没有这个词"]


def test_a_store_moved_away_is_refused_with_the_way_back(tmp_path, hash_embedding):
    with open_backend(tmp_path / "s", hash_embedding, "milvus") as store:
        store.catalog.set_meta("vectors", "local /somewhere")
    with pytest.raises(StoreError, match="--migrate"):
        open_backend(tmp_path / "s", hash_embedding, "milvus")


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_big_delete_stopped_after_its_commit_is_finished_by_a_sweep(tmp_path, hash_embedding, seed_parsed,
                                                                      monkeypatch):  # fmt: skip
    """A delete of many chunks journals its source, not every id; stopped between the commit
    and the removal of the chunk rows, the recovery sweeps the rows no article holds."""
    import docs_store._store

    monkeypatch.setattr(docs_store._store, "SWEEP_OVER", 0)
    with open_backend(tmp_path / "s", hash_embedding, "milvus") as store:
        store.ingest(seed_parsed)
        vectors = store._vectors
        real_delete = vectors.delete

        def interrupted(ids, on_batch=lambda: None):
            vectors.delete = real_delete  # type: ignore[method-assign]
            raise KeyboardInterrupt

        vectors.delete = interrupted  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            store.delete_source(seed_parsed.source)
        assert store.sources() == [] and store.vector_ids() == set() == store.chunk_ids()
