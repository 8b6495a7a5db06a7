"""Kill a real ingest process (SIGKILL) at chosen steps of the write protocol, then reopen.

``NEWS_ASSISTANT_KILL_AT=n`` makes the n-th checkpoint of the protocol (embedding a batch,
journal written, each Chroma batch, catalogue written, committed, BM25 cached) kill the
process. After every kill: the store opens, Chroma and the catalogue hold the same ids,
no article is half there, and running the same command again completes the job.
``bench/fault_injection.py`` walks every step (docs/reliability.md); the test walks a few.
"""

from __future__ import annotations

import gzip
import itertools
import os
import subprocess
import sys

import pytest

from docs_store import DocsStore, EmbeddingModel
from tests.conftest import ROOT, SEED, SHARED_DATA, HashEmbeddings, open_backend

CRUD = SHARED_DATA / "crud_news" / "articles.jsonl.gz"
INGEST = """
import sys
from pathlib import Path
from docs_store import EmbeddingModel, load_paths
from ingest import Limits
from tests.conftest import HashEmbeddings, open_backend
store = open_backend(Path(sys.argv[1]), EmbeddingModel(HashEmbeddings(), "hash-test"), sys.argv[2])
summary = load_paths(store, sys.argv[3:], Limits(), lambda e: None)
store.prepare_search()
print("exit", 1 if summary.counts.get("failed") else 0)
"""


def run(directory, *paths, kill_at=0, log=None, backend="local"):
    env = {**os.environ, "NEWS_ASSISTANT_KILL_AT": str(kill_at)}
    if log:
        env["NEWS_ASSISTANT_KILL_LOG"] = str(log)
    return subprocess.run(
        [sys.executable, "-c", INGEST, str(directory), backend, *map(str, paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def consistent(directory, backend="local") -> tuple[set[str], int]:
    with open_backend(directory, EmbeddingModel(HashEmbeddings(), "hash-test"), backend) as store:
        ids = store.chunk_ids()
        assert store.vector_ids() == ids
        for article in store.articles():  # no half article: every chunk of every stored article is there
            from ingest import chunk_article

            assert {c.id for c in chunk_article(article)} <= ids
        assert store.search("专业镇 产值", k=3, mode="bm25") or not ids
        # dense too: this process opened the store before the other one wrote to it, and a
        # Chroma client left cached by the last open would read a stale index
        assert store.search("专业镇 产值", k=3, mode="dense") or not ids
        return ids, len(store.articles())


@pytest.fixture(scope="module")
def bulk(tmp_path_factory):
    path = tmp_path_factory.mktemp("bulk") / "news.jsonl"
    with gzip.open(CRUD, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, 700))
    return path


def _clean_run(tmp_path_factory, bulk, backend):
    """The store a clean, uninterrupted run makes, and the steps that run goes through."""
    directory = tmp_path_factory.mktemp("clean") / "store"
    log = directory.parent / "steps.log"
    out = run(directory, SEED, bulk, log=log, backend=backend)
    assert out.returncode == 0, out.stderr
    return consistent(directory, backend), log.read_text().splitlines()


@pytest.fixture(scope="module")
def finished(tmp_path_factory, bulk):
    return _clean_run(tmp_path_factory, bulk, "local")


@pytest.fixture(scope="module")
def finished_milvus(tmp_path_factory, bulk):
    return _clean_run(tmp_path_factory, bulk, "milvus")


@pytest.mark.skipif(not CRUD.exists(), reason="shared crud_news data not available")
@pytest.mark.parametrize(
    ("backend", "fraction"),
    [("local", 0.05), ("local", 0.3), ("local", 0.55), ("local", 0.8), ("local", 0.97),
     ("milvus", 0.45), ("milvus", 0.95),
     pytest.param("milvus", 0.1, marks=pytest.mark.slow), pytest.param("milvus", 0.75, marks=pytest.mark.slow)],
)  # fmt: skip
def test_killed_at_a_step_then_rerun_ends_like_a_clean_run(tmp_path, bulk, request, backend, fraction):
    (clean_ids, clean_articles), steps = request.getfixturevalue(
        "finished" if backend == "local" else "finished_milvus"
    )
    step = max(1, int(len(steps) * fraction))
    directory = tmp_path / "store"
    killed = run(directory, SEED, bulk, kill_at=step, backend=backend)
    assert killed.returncode == -9, f"not killed at step {step} ({steps[step - 1]}): {killed.stderr[-500:]}"
    consistent(directory, backend)  # opens, recovers, vectors == catalogue, no half article
    again = run(directory, SEED, bulk, backend=backend)
    assert again.returncode == 0, again.stderr
    assert consistent(directory, backend) == (clean_ids, clean_articles)


@pytest.mark.skipif(not CRUD.exists(), reason="shared crud_news data not available")
def test_resumed_bulk_import_skips_what_was_committed(tmp_path, bulk, finished):
    _, steps = finished
    batches = [i for i, s in enumerate(steps, start=1) if s.endswith("catalogue committed")]
    directory = tmp_path / "store"
    assert run(directory, bulk, kill_at=batches[1] + 1).returncode == -9  # two batches committed
    from docs_store import read_sources

    (partial,) = read_sources(directory)
    assert partial.status == "partial" and partial.articles > 0
    log = tmp_path / "resume.log"
    assert run(directory, bulk, log=log).returncode == 0
    embedded_again = sum(1 for line in log.read_text().splitlines() if line.endswith("embedded a batch"))
    embedded_clean = sum(1 for s in steps if s.endswith("embedded a batch"))
    assert embedded_again < embedded_clean  # committed articles were not embedded twice
    (done,) = read_sources(directory)
    assert done.status == "complete"


def test_a_store_reopened_after_another_process_wrote_to_it_searches_the_new_vectors(tmp_path, m3e):
    """A Python session opens the store, closes it, the CLI writes, the session opens it
    again: Chroma's per-process cache must not serve the index as it was at the first open
    (it did: "Error creating hnsw segment reader: Nothing found on disk")."""
    directory = tmp_path / "store"
    env = {**os.environ, "DOCS_STORE_DIR": str(directory), "HF_HUB_OFFLINE": "1"}
    cli = [sys.executable, "-m", "ingest", "-q", str(SEED)]
    killed = subprocess.run(cli, cwd=ROOT, env={**env, "NEWS_ASSISTANT_KILL_AT": "1"}, capture_output=True)
    assert killed.returncode == -9  # the collection exists, no vector yet
    with DocsStore(directory, embedding=m3e) as store:
        assert store.vector_ids() == set()
    assert subprocess.run(cli, cwd=ROOT, env=env, capture_output=True).returncode == 0
    with DocsStore(directory, embedding=m3e) as store:
        assert store.search("专业镇 产值", k=3, mode="dense")
