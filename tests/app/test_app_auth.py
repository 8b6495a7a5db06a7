"""APP_AUTH turns on login: without credentials the API refuses, with them it answers."""

from __future__ import annotations

import pytest
from gradio_client import Client

from tests.app.conftest import start_app, stop_app


@pytest.fixture(scope="module")
def locked_app(tmp_path_factory):
    app = start_app(tmp_path_factory.mktemp("locked"), APP_AUTH="analyst:s3cret")
    yield app
    stop_app(app)


def test_login_required(locked_app):
    with pytest.raises(Exception, match="credentials were not provided"):
        Client(locked_app.url, verbose=False).predict("定襄法兰2024年产值多少？", api_name="/answer")
    with pytest.raises(ValueError, match="Could not login"):
        Client(locked_app.url, auth=("analyst", "wrong"), verbose=False)
    res = Client(locked_app.url, auth=("analyst", "s3cret"), verbose=False).predict(
        "定襄法兰2024年产值多少？", api_name="/answer"
    )
    assert res["found"] and "170亿元" in res["text"]
