"""``python -m assistant.eval QA.jsonl [--store DIR]`` — answer, citation, refusal and retrieval metrics.

Each line of QA.jsonl is one of::

    {"q": "...", "answers": ["170亿元"], "history"?: [...],
     "gold"?: "substring of the gold passage", "gold_ref"?: "passage id"}
    {"q": "...", "refuse": true}

Metrics (primary: ``answer_accuracy``):

- answer_accuracy: answerable questions whose answer text contains one of ``answers``;
- citation_accuracy: answerable questions where a cited quote contains one of ``answers``;
- refusal_accuracy: ``refuse`` questions answered with ``found=False``;
- false_refusals: answerable questions answered with ``found=False``;
- recall@1, recall@5, mrr@10: rank of the gold passage (by ``gold`` substring or ``gold_ref``
  = the article's external id) in the retrieval list for the resolved question;
- latency p50/p95 in milliseconds per ``answer()``.

Example output::

    questions 40 · answer_accuracy 0.970 · citation_accuracy 0.970 · refusal_accuracy 1.000 · …
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from docs_store import RetrievalMode, Settings, open_store

from ._answer import Assistant

PRIMARY_METRIC = "answer_accuracy"


def load_rows(path: str | Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}: line {number}: not JSON ({exc.msg})") from exc
            if "q" not in row or not ("answers" in row or row.get("refuse") or "gold" in row or "gold_ref" in row):
                raise SystemExit(f'{path}: line {number}: needs "q" and "answers", "refuse", "gold" or "gold_ref"')
            rows.append(row)
    return rows


def evaluate(
    rows: Iterable[dict],
    assistant: Assistant,
    *,
    mode: RetrievalMode | None = None,
    retrieval_only: bool = False,
    on_row=None,
) -> dict:
    """Run every row; return the metrics dict (``primary`` names the primary metric)."""
    counts = {"answerable": 0, "answered": 0, "cited": 0, "refuse": 0, "refused": 0, "false_refusals": 0}
    ranks: list[int | None] = []
    latencies: list[float] = []
    failures: list[dict] = []
    for row in rows:
        query = row["q"]
        if not retrieval_only:
            t = time.perf_counter()
            res = assistant.answer(row["q"], row.get("history"), mode=mode)
            latencies.append((time.perf_counter() - t) * 1000)
            query = res.query or row["q"]
            _score_answer(row, res, counts, failures)
        if "gold" in row or "gold_ref" in row:
            t = time.perf_counter()
            hits = assistant.store.search(query, k=10, mode=mode or assistant.settings.retrieval_mode)
            if retrieval_only:
                latencies.append((time.perf_counter() - t) * 1000)
            ranks.append(_gold_rank(row, hits))
        if on_row is not None:
            on_row()
    return _metrics(counts, ranks, latencies, failures)


def _score_answer(row: dict, res, counts: dict, failures: list[dict]) -> None:
    if row.get("refuse"):
        counts["refuse"] += 1
        counts["refused"] += not res.found
        if res.found:
            failures.append({"q": row["q"], "expected": "refusal", "got": res.text})
        return
    if "answers" not in row:
        return
    counts["answerable"] += 1
    answered = res.found and any(a in res.text for a in row["answers"])
    cited = res.found and any(a in c.quote for a in row["answers"] for c in res.citations)
    counts["answered"] += answered
    counts["cited"] += cited
    counts["false_refusals"] += not res.found
    if not (answered and cited):
        failures.append({"q": row["q"], "expected": row["answers"], "got": res.text})


def _gold_rank(row: dict, hits) -> int | None:
    for rank, hit in enumerate(hits, start=1):
        if "gold_ref" in row and hit.chunk.ref == str(row["gold_ref"]):
            return rank
        if "gold" in row and row["gold"] in hit.chunk.text:
            return rank
    return None


def _metrics(counts: dict, ranks: list[int | None], latencies: list[float], failures: list[dict]) -> dict:
    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    metrics: dict = {
        "primary": PRIMARY_METRIC,
        "questions": counts["answerable"] + counts["refuse"] or len(ranks),
        "answer_accuracy": ratio(counts["answered"], counts["answerable"]),
        "citation_accuracy": ratio(counts["cited"], counts["answerable"]),
        "refusal_accuracy": ratio(counts["refused"], counts["refuse"]),
        "false_refusals": counts["false_refusals"],
    }
    if ranks:
        metrics["recall@1"] = ratio(sum(r == 1 for r in ranks), len(ranks))
        metrics["recall@5"] = ratio(sum(r is not None and r <= 5 for r in ranks), len(ranks))
        metrics["mrr@10"] = round(sum(1 / r for r in ranks if r) / len(ranks), 4)
    if latencies:
        ordered = sorted(latencies)
        metrics["latency_p50_ms"] = round(statistics.median(ordered), 1)
        metrics["latency_p95_ms"] = round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1)
    metrics["failures"] = failures
    return metrics


def format_metrics(metrics: dict) -> str:
    shown = [f"{k} {v}" for k, v in metrics.items() if k not in ("failures", "primary") and v is not None]
    return " · ".join(shown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.eval", description=__doc__.split("\n")[0])
    parser.add_argument("qa", help="QA.jsonl")
    parser.add_argument("--store", help="store directory (default: $DOCS_STORE_DIR)")
    parser.add_argument("--mode", choices=["hybrid", "dense", "bm25"], help="retrieval mode")
    parser.add_argument("--retrieval-only", action="store_true", help="only recall/MRR, no answers")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failed questions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = Settings.from_env(**({"store_dir": Path(args.store)} if args.store else {}))
    rows = load_rows(args.qa)
    with open_store(settings) as store:
        metrics = evaluate(rows, Assistant(store, settings), mode=args.mode, retrieval_only=args.retrieval_only)
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False, indent=2))
    else:
        print(format_metrics(metrics))
        if args.verbose:
            for failure in metrics["failures"]:
                print(f"  ✗ {failure['q']}  expected {failure['expected']}  got {failure['got'][:80]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
