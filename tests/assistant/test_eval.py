"""The evaluation command on the sample QA set."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant import Assistant
from assistant.eval import evaluate, load_rows
from tests.conftest import ROOT, SEED

QA = ROOT / "eval" / "sample_qa.jsonl"


@pytest.mark.parametrize("qa", ["sample_qa.jsonl", "holdout_qa.jsonl"])
def test_sample_qa_metrics(seed_store, qa):
    metrics = evaluate(load_rows(ROOT / "eval" / qa), Assistant(seed_store))
    assert metrics["primary"] == "answer_accuracy"
    assert metrics["answer_accuracy"] >= 0.9, metrics["failures"]
    assert metrics["citation_accuracy"] >= 0.9
    assert metrics["refusal_accuracy"] == 1.0
    assert metrics["wrong_answers"] == 0, metrics["failures"]
    assert metrics.get("recall@5", 1.0) >= 0.9
    assert {"latency_p50_ms", "latency_p95_ms"} <= set(metrics)
    if qa == "sample_qa.jsonl":
        assert {"mrr@10", "recall@1", "recall@5"} <= set(metrics)


def test_eval_cli_and_public_answer_api(tmp_path):
    # a store of its own: the session's seed store is held open by this process (one process per local store)
    env = {**os.environ, "DOCS_STORE_DIR": str(tmp_path / "store"), "HF_HUB_OFFLINE": "1"}
    subprocess.run(
        [sys.executable, "-m", "ingest", "-q", str(SEED)], env=env, cwd=ROOT, check=True, capture_output=True
    )
    out = subprocess.run(
        [sys.executable, "-m", "assistant.eval", str(QA), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    metrics = json.loads(out.stdout)
    assert metrics["refusal_accuracy"] == 1.0
    code = (
        "from assistant import answer\n"
        "res = answer('定襄法兰2024年产值多少？')\n"
        "print(res.found, res.citations[0].quote)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    assert out.stdout.startswith("True") and "170亿元" in out.stdout
