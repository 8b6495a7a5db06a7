"""Shared fixtures: the seed page, a real m3e-small model (one per session), stores in tmp."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from docs_store import DocsStore, EmbeddingModel, load_embedding_model
from ingest import parse_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "000_3a8c5979ebe92109.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", help="run slow tests (scale, full evaluations)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: pass --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


class HashEmbeddings(Embeddings):
    """Tiny deterministic embedder (hashed character bigrams) for tests of store logic that
    does not depend on semantics. ``fail_after`` makes the n-th call raise, to test rollback."""

    def __init__(self, dim: int = 64, fail_after: int | None = None, error: type[BaseException] = RuntimeError):
        self.dim, self.fail_after, self.error, self.calls = dim, fail_after, error, 0

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for i in range(len(text) - 1):
            h = int(hashlib.md5(text[i : i + 2].encode()).hexdigest()[:8], 16)
            vec[h % self.dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise self.error("embedding failed on purpose")
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@pytest.fixture
def hash_embedding() -> EmbeddingModel:
    return EmbeddingModel(HashEmbeddings(), "hash-test")


BACKENDS = ("local", "milvus")
"""Tests that touch the store run on both: the local folder and Milvus (milvus-lite)."""


def open_backend(directory: Path, embedding: EmbeddingModel, backend: str = "local", **kwargs) -> DocsStore:
    """A store in ``directory`` on ``backend`` (``milvus``: a milvus-lite file inside it)."""
    if backend == "local":
        return DocsStore(directory, embedding=embedding, **kwargs)
    from docs_store._milvus import MilvusConnection

    uri = str(directory / "milvus.db")
    connection = MilvusConnection(uri, dim=len(embedding.embeddings.embed_query("维度")))
    return DocsStore(directory, embedding=embedding, milvus=connection, backend=f"milvus {uri}#news", **kwargs)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store(tmp_path, hash_embedding, backend):
    with open_backend(tmp_path / "store", hash_embedding, backend) as s:
        yield s


@pytest.fixture(scope="session")
def m3e() -> EmbeddingModel:
    return load_embedding_model()


@pytest.fixture(scope="session")
def seed_parsed():
    return parse_file(SEED)


@pytest.fixture(scope="session")
def seed_articles(seed_parsed):
    return list(seed_parsed.articles)


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory, m3e, seed_parsed):
    """A real store (m3e-small) holding the sample articles, built once per session."""
    directory = tmp_path_factory.mktemp("seed_store")
    with DocsStore(directory, embedding=m3e) as s:
        s.ingest(seed_parsed)
    return directory


@pytest.fixture(scope="session")
def seed_store(seed_store_dir, m3e):
    with DocsStore(seed_store_dir, embedding=m3e) as s:
        yield s


@contextmanager
def page_store(folder: Path, embedding: EmbeddingModel, pages: dict[str, str]) -> Iterator[DocsStore]:
    """A real store in ``folder`` holding text pages written there (file name → page text)."""
    with DocsStore(folder / "store", embedding=embedding) as store:
        for name, text in pages.items():
            (folder / name).write_text(text, encoding="utf-8")
            store.ingest(parse_file(folder / name))
        yield store


def copy_seed(tmp_path: Path, name: str = "page.txt") -> Path:
    target = tmp_path / name
    shutil.copy(SEED, target)
    return target
