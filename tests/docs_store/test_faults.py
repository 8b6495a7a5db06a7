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
from tests.conftest import ROOT, SEED, SHARED_DATA, HashEmbeddings

CRUD = SHARED_DATA / "crud_news" / "articles.jsonl.gz"
INGEST = """
import sys
from docs_store import DocsStore, EmbeddingModel, load_paths
from ingest import Limits
from tests.conftest import HashEmbeddings
store = DocsStore(sys.argv[1], embedding=EmbeddingModel(HashEmbeddings(), "hash-test"))
summary = load_paths(store, sys.argv[2:], Limits(), lambda e: None)
store.prepare_search()
print("exit", 1 if summary.counts.get("failed") else 0)
"""


def run(directory, *paths, kill_at=0, log=None):
    env = {**os.environ, "NEWS_ASSISTANT_KILL_AT": str(kill_at)}
    if log:
        env["NEWS_ASSISTANT_KILL_LOG"] = str(log)
    return subprocess.run(
        [sys.executable, "-c", INGEST, str(directory), *map(str, paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def consistent(directory) -> tuple[set[str], int]:
    with DocsStore(directory, embedding=EmbeddingModel(HashEmbeddings(), "hash-test")) as store:
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


@pytest.fixture(scope="module")
def finished(tmp_path_factory, bulk):
    """The store a clean, uninterrupted run makes, and the steps that run goes through."""
    directory = tmp_path_factory.mktemp("clean") / "store"
    log = directory.parent / "steps.log"
    out = run(directory, SEED, bulk, log=log)
    assert out.returncode == 0, out.stderr
    return consistent(directory), log.read_text().splitlines()


@pytest.mark.skipif(not CRUD.exists(), reason="shared crud_news data not available")
@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.55, 0.8, 0.97])
def test_killed_at_a_step_then_rerun_ends_like_a_clean_run(tmp_path, bulk, finished, fraction):
    (clean_ids, clean_articles), steps = finished
    step = max(1, int(len(steps) * fraction))
    directory = tmp_path / "store"
    killed = run(directory, SEED, bulk, kill_at=step)
    assert killed.returncode == -9, f"not killed at step {step} ({steps[step - 1]}): {killed.stderr[-500:]}"
    consistent(directory)  # opens, recovers, Chroma == catalogue, no half article
    again = run(directory, SEED, bulk)
    assert again.returncode == 0, again.stderr
    assert consistent(directory) == (clean_ids, clean_articles)


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
