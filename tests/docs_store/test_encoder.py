"""The default encoder: OpenVINO export of the verified m3e-small weights, cached and checked."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from docs_store import DocsStore, StoreError, load_embedding_model
from ingest import parse_file
from tests.conftest import ROOT, SEED

TEXTS = [
    "定襄法兰作为省级专业镇标杆，2024年产值突破了170亿元。",
    "长治高新区正式获批成为山西省首批绿电产业园试点园区。",
    "那家汽车零部件企业的老板叫什么？",
    "短",
]


def test_openvino_vectors_match_torch(m3e):
    torch_model = load_embedding_model(backend="torch")
    ours = m3e.embed_documents(TEXTS)
    reference = torch_model.embed_documents(TEXTS)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() > 0.999, cosine
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    query = np.asarray(m3e.embeddings.embed_query(TEXTS[2]))
    assert float(query @ reference[2]) > 0.999
    assert m3e.model_id.startswith("m3e-small@78fbbe22d9bc+openvino@")
    assert torch_model.model_id == "m3e-small@78fbbe22d9bc"


def test_a_damaged_export_is_rebuilt(tmp_path):
    first = load_embedding_model(cache_dir=tmp_path)
    weights = first.embeddings.exported.xml.with_suffix(".bin")
    data = bytearray(weights.read_bytes())
    data[1000] ^= 0xFF
    weights.write_bytes(bytes(data))
    second = load_embedding_model(cache_dir=tmp_path)
    assert second.model_id == first.model_id  # rebuilt from the verified weights, same bytes
    assert second.embed_documents(TEXTS[:1]).shape == (1, 512)


def test_store_refuses_vectors_of_another_encoder_and_rebuild_fixes_it(tmp_path, m3e):
    directory = tmp_path / "store"
    torch_model = load_embedding_model(backend="torch")
    with DocsStore(directory, embedding=torch_model) as store:
        store.ingest(parse_file(SEED))
        chunks = len(store)
    with pytest.raises(StoreError, match=r"holds vectors of 'm3e-small@78fbbe22d9bc'.*--rebuild"):
        DocsStore(directory, embedding=m3e)
    env = {**os.environ, "DOCS_STORE_DIR": str(directory), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "ingest", "-q", "--rebuild"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert f"re-embedded {chunks} chunks with {m3e.model_id}" in out.stdout
    with DocsStore(directory, embedding=m3e) as store:
        assert store.model_id == m3e.model_id
        assert store.vector_ids() == store.chunk_ids()
        hits = store.search("定襄法兰2024年产值多少？", k=3, mode="dense")
        assert any("170亿元" in h.chunk.text for h in hits)
