"""Third-party failures reach users as our own errors, each translated at its one boundary."""

from __future__ import annotations

import pytest

from docs_store import DocsStore, EmbeddingModel, Settings, SettingsError, StoreError, load_embedding_model
from ingest import parse_file
from tests.conftest import SEED, HashEmbeddings


def test_corrupt_catalogue_is_a_store_error_naming_the_file(tmp_path, hash_embedding):
    directory = tmp_path / "s"
    directory.mkdir()
    (directory / "catalog.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="catalog.sqlite3.*(not a database|file is not)"):
        DocsStore(directory, embedding=hash_embedding)


def test_chroma_failure_mid_write_is_a_store_error_and_nothing_is_kept(tmp_path, hash_embedding):
    with DocsStore(tmp_path / "s", embedding=hash_embedding) as store:
        store.ingest(parse_file(SEED))
    # same recorded model id, other dimension: Chroma refuses the 7-d vectors of a 64-d collection
    wrong = EmbeddingModel(HashEmbeddings(dim=7), "hash-test")
    with DocsStore(tmp_path / "s", embedding=wrong) as store:
        page = tmp_path / "second.txt"
        page.write_text(SEED.read_text(encoding="utf-8").replace("170 亿元", "171 亿元"), encoding="utf-8")
        before = store.chunk_ids()
        with pytest.raises(StoreError, match="cannot store .*second.txt"):
            store.ingest(parse_file(page))
        assert store.chunk_ids() == before == store.vector_ids()


def test_unloadable_embedding_model_is_a_store_error(tmp_path):
    missing = tmp_path / "no-such-model"
    missing.mkdir()
    model = load_embedding_model(str(missing))
    with pytest.raises(StoreError, match="cannot load embedding model"):
        model.embeddings.embed_query("定襄法兰")


def test_bad_setting_is_a_settings_error():
    with pytest.raises(SettingsError, match="TOP_K"):
        Settings.from_env({"TOP_K": "0"})
