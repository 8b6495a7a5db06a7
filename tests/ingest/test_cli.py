"""`python -m ingest` end to end, in a subprocess, with the real bundled model."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT, copy_seed


def _run(*args, store):
    env = {**os.environ, "DOCS_STORE_DIR": str(store), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ingest", "-q", *map(str, args)], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_cli_ingest_list_delete_and_bad_files(tmp_path):
    store = tmp_path / "store"
    folder = tmp_path / "in"
    folder.mkdir()
    page = copy_seed(folder, "page.txt")
    (folder / "empty.txt").write_text("   \n")
    (folder / "photo.txt").write_bytes(b"\x89PNG\x00\x00" * 50)
    bad_type = tmp_path / "notes.xyz"
    bad_type.write_text("x")

    first = _run(folder, bad_type, store=store)
    assert first.returncode == 1, first.stderr
    errors = [line for line in first.stderr.splitlines() if line.startswith("failed:")]
    assert len(errors) == 3
    assert any("empty.txt: empty" in e for e in errors)
    assert any("photo.txt: binary" in e for e in errors)
    assert any("notes.xyz: unsupported type" in e for e in errors)
    assert "1 added, 0 replaced, 0 unchanged, 3 failed; 5 articles" in first.stdout

    again = _run(page, store=store)
    assert again.returncode == 0 and "0 added, 0 replaced, 1 unchanged" in again.stdout

    listing = _run("--list", store=store)
    assert "5 articles" in listing.stdout and "page.txt" in listing.stdout

    deleted = _run("--delete", page, store=store)
    assert deleted.returncode == 0 and "chunks removed" in deleted.stdout
    assert "(store is empty)" in _run("--list", store=store).stdout

    missing = _run("--delete", "nope.txt", store=store)
    assert missing.returncode == 2 and "no stored source" in missing.stderr
