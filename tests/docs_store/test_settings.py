"""Settings come from the environment once, with documented defaults and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs_store import Settings, SettingsError


def test_defaults():
    s = Settings.from_env({})
    assert s.store_dir == Path("data/store") and s.embedding_model == "m3e-small"
    assert (s.app_host, s.app_port, s.app_auth) == ("127.0.0.1", 7860, None)
    assert s.chroma_host is None and s.llm_base_url is None and s.retrieval_mode == "hybrid"


def test_environment_and_overrides():
    env = {"DOCS_STORE_DIR": "/x", "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": "9000", "APP_AUTH": "a:b", "TOP_K": "3"}
    s = Settings.from_env(env, store_dir=Path("/y"))
    assert s.store_dir == Path("/y") and s.chroma_port == 9000 and s.app_auth == "a:b" and s.top_k == 3


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RETRIEVAL_MODE": "fuzzy"}, "RETRIEVAL_MODE"),
        ({"APP_AUTH": "nopassword"}, "APP_AUTH must be user:password"),
        ({"APP_AUTH": "user:"}, "APP_AUTH must be user:password"),
        ({"APP_PORT": "seventy"}, "bad value"),
    ],
)
def test_bad_values_are_named(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_every_field_is_settable_and_documented():
    from dataclasses import fields

    from tests.conftest import ROOT

    variables = Settings.variables()
    assert set(variables.values()) == {f.name for f in fields(Settings)}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [v for v in variables if f"`{v}`" not in readme] == []


def test_uploads_default_inside_the_store():
    assert Settings.from_env({"DOCS_STORE_DIR": "/x"}).uploads == Path("/x/uploads")
    assert Settings.from_env({"UPLOAD_DIR": "/u"}).uploads == Path("/u")
