"""Each package's __all__ names exactly its public, importable surface."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["ingest", "docs_store", "assistant"])
def test_all_is_complete_and_importable(name):
    module = importlib.import_module(name)
    public = {n for n in vars(module) if not n.startswith("_") and not isinstance(getattr(module, n), type(module))}
    public -= {"annotations"}
    assert set(module.__all__) == public
    for n in module.__all__:
        assert getattr(module, n) is not None
