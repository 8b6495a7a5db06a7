"""A process killed (SIGKILL) in the middle of an ingest leaves a consistent store.

The kill lands wherever it lands — embedding, Chroma writes, catalogue commit — so each
run may hit a different point; whatever it hits, reopening must show Chroma and the
catalogue holding the same chunk ids, and the store must be exactly as before the killed
ingest or exactly as after it (never half of it).
"""

from __future__ import annotations

import gzip
import itertools
import signal
import subprocess
import sys
import time

import pytest

from docs_store import DocsStore
from ingest import parse_file
from tests.conftest import ROOT, SEED, SHARED_DATA

CRUD = SHARED_DATA / "crud_news" / "articles.jsonl.gz"

INGEST = """
import sys
from docs_store import DocsStore, EmbeddingModel
from ingest import parse_file
from tests.conftest import HashEmbeddings
store = DocsStore(sys.argv[1], embedding=EmbeddingModel(HashEmbeddings(), "hash-test"))
parsed = parse_file(sys.argv[2], max_bytes=1 << 30)
print("writing", flush=True)
store.ingest(parsed)
print("done", flush=True)
"""


@pytest.mark.skipif(not CRUD.exists(), reason="shared crud_news data not available")
@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0])
def test_sigkill_during_ingest_leaves_store_consistent(tmp_path, hash_embedding, delay):
    bulk = tmp_path / "bulk.jsonl"
    with gzip.open(CRUD, "rt", encoding="utf-8") as src, bulk.open("w", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, 1500))
    directory = tmp_path / "store"
    with DocsStore(directory, embedding=hash_embedding) as store:
        store.ingest(parse_file(SEED))
        before = store.chunk_ids()

    proc = subprocess.Popen(
        [sys.executable, "-c", INGEST, str(directory), str(bulk)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    proc.stdout.close()

    with DocsStore(directory, embedding=hash_embedding) as store:
        after = store.chunk_ids()
        assert store.vector_ids() == after
        complete = {s.source for s in store.sources()} == {str(SEED.resolve()), str(bulk.resolve())}
        if complete:
            assert before < after
        else:
            assert after == before
