"""A real app process (python app.py) on 127.0.0.1 with the sample articles ingested."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SEED


@dataclass
class RunningApp:
    url: str
    store_dir: Path
    upload_dir: Path
    process: subprocess.Popen
    log: Path
    env: dict

    def alive(self) -> bool:
        return self.process.poll() is None and httpx.get(self.url, timeout=10).status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(base: Path, **extra_env: str) -> RunningApp:
    """Ingest the sample page into a fresh store under ``base`` and start ``python app.py``."""
    store_dir = base / "store"
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "LLM_BASE_URL"},
        "DOCS_STORE_DIR": str(store_dir),
        "APP_PORT": str(port),
        "APP_MAX_UPLOAD_MB": "1",
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        **extra_env,
    }
    subprocess.run(
        [sys.executable, "-m", "ingest", "-q", str(SEED)], env=env, cwd=ROOT, check=True, capture_output=True
    )
    with (base / "app.log").open("w") as log:  # the child keeps its own handle
        process = subprocess.Popen([sys.executable, "app.py"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 120
    while True:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            pytest.fail(f"app did not start: {(base / 'app.log').read_text()[-2000:]}")
        time.sleep(1)
    return RunningApp(url, store_dir, store_dir / "uploads", process, base / "app.log", env)


def stop_app(app: RunningApp) -> None:
    app.process.terminate()
    try:
        app.process.wait(15)
    except subprocess.TimeoutExpired:
        app.process.kill()


@pytest.fixture(scope="session")
def running_app(tmp_path_factory):
    app = start_app(tmp_path_factory.mktemp("app"))
    yield app
    stop_app(app)


@pytest.fixture(scope="session")
def writable_app(tmp_path_factory):
    """An app with login and the write API switched on (APP_API_WRITES needs APP_AUTH)."""
    app = start_app(tmp_path_factory.mktemp("writable"), APP_AUTH="editor:pa55word", APP_API_WRITES="1")
    yield app
    stop_app(app)
