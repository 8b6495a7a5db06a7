"""``python -m assistant.eval QA.jsonl [--store DIR]`` — answer, citation, refusal and retrieval metrics.

Each line of QA.jsonl is one of::

    {"q": "...", "answers": ["170亿元"], "history"?: [...], "type"?: "number",
     "gold"?: "substring of the answering sentence", "gold_ref"?: "passage id",
     "all"?: ["item", ...]}                       # a list question: every item is expected
    {"q": "...", "refuse": true, "near_miss"?: true}

Any row may carry ``"asked_on": "YYYY-MM-DD"``: the day the question is asked, so that its
今年 / 去年 / 最近 mean what its author meant (the paraphrase sets were written as if asked in
the week of the sample page, 2025-03-31; run on the real date, "去年" would be another year).

Metrics (primary: ``answer_accuracy``):

- answer_accuracy: answerable questions whose answer text contains one of ``answers``;
- citation_accuracy: … and a cited quote contains it, from the chunk holding ``gold`` when
  given (answered *with the right citation*);
- refusal_accuracy: ``refuse`` questions answered with ``found=False``; near_miss_refusal:
  the same over the near misses alone;
- false_refusals: answerable questions answered with ``found=False``;
- wrong_answers: answerable questions answered (``found=True``) without any of ``answers``
  in the text — a claimed answer that is not the expected one (the worst kind of error);
- list_recall / lists_complete: share of a list question's ``all`` items in the answer, and
  share of list questions with every item;
- direct_answer_accuracy: single-fact questions (type number, date, person, org, place)
  whose answer starts with a direct answer that is one of ``answers`` (or holds one);
- short_answers: single-fact answers within 150 characters (markers not counted);
- recall@1, recall@5, mrr@10: rank of the gold passage (by ``gold`` substring or ``gold_ref``
  = the article's external id) in the retrieval list for the resolved question;
- latency p50/p95 in milliseconds per ``answer()``;
- with ``--llm`` (answers through the endpoint ``LLM_BASE_URL`` names; without it the
  extractive path alone answers, whatever is configured): ``modes`` — answers by how they
  were made (llm, extractive, fallback, refusal) — and ``llm_outcomes`` — what became of
  the model's answer: used, figures differ, or rejected by kind (no answer, no markers,
  bad marker, number, near miss, unavailable).

Example output::

    questions 40 · answer_accuracy 0.970 · citation_accuracy 0.970 · refusal_accuracy 1.000 · …
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from docs_store import RetrievalMode, Settings, open_store

from ._answer import Assistant
from ._compose import SHORT_ANSWER_CHARS
from ._types import Answer, strip_markers

PRIMARY_METRIC = "answer_accuracy"
SINGLE_FACT = ("number", "date", "person", "org", "place")


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
    on_row: Callable[[], None] | None = None,
    use_llm: bool = False,
) -> dict:
    """Run every row; return the metrics dict (``primary`` names the primary metric).

    ``use_llm``: answer through the assistant's LLM endpoint too; the metrics then count
    the answers by ``mode`` and the LLM's outcomes (used, figures differ, rejected and why).
    """
    counts: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    modes: Counter[str] = Counter()
    list_recalls: list[float] = []
    ranks: list[int | None] = []
    latencies: list[float] = []
    failures: list[dict] = []
    for row in rows:
        query = row["q"]
        bot = _asked_on(assistant, row.get("asked_on"))
        if not retrieval_only:
            t = time.perf_counter()
            res = bot.answer(row["q"], row.get("history"), mode=mode, use_llm=use_llm)
            latencies.append((time.perf_counter() - t) * 1000)
            modes[res.mode] += 1
            outcomes[res.llm or "not asked"] += 1
            query = res.query or row["q"]
            _score_answer(row, res, counts, list_recalls, failures)
        if "gold" in row or "gold_ref" in row:
            t = time.perf_counter()
            hits = assistant.store.search(query, k=10, mode=mode or assistant.settings.retrieval_mode)
            if retrieval_only:
                latencies.append((time.perf_counter() - t) * 1000)
            ranks.append(_gold_rank(row, hits))
        if on_row is not None:
            on_row()
    metrics = _metrics(counts, list_recalls, ranks, latencies, failures)
    if use_llm:
        metrics["modes"] = dict(modes)
        metrics["llm_outcomes"] = dict(outcomes)
    return metrics


def _asked_on(assistant: Assistant, day: str | None) -> Assistant:
    """The assistant as it answers on ``day`` (its 今年/去年 counted from there)."""
    if day is None:
        return assistant
    try:
        today = date.fromisoformat(day)
    except ValueError as exc:
        raise SystemExit(f'"asked_on": {day!r} is not a YYYY-MM-DD date') from exc
    settings = dataclasses.replace(assistant.settings, today=today)
    return Assistant(assistant.store, settings, llm=assistant.llm, judge=assistant.judge)


def _score_answer(row: dict, res: Answer, counts: Counter[str], list_recalls: list[float], failures: list) -> None:
    if row.get("refuse"):
        counts["refuse"] += 1
        counts["refused"] += not res.found
        if row.get("near_miss"):
            counts["near_miss"] += 1
            counts["near_miss_refused"] += not res.found
        if res.found:
            failures.append({"q": row["q"], "expected": "refusal", "got": res.text})
        return
    if "answers" not in row:
        return
    counts["answerable"] += 1
    answered = res.found and any(a in res.text for a in row["answers"])
    gold = row.get("gold")
    cited = res.found and any(
        any(a in c.quote for a in row["answers"]) and (gold is None or gold in c.text) for c in res.citations
    )
    counts["answered"] += answered
    counts["cited"] += cited
    counts["false_refusals"] += not res.found
    counts["wrong_answers"] += res.found and not answered
    if row.get("all"):
        share = sum(item in res.text for item in row["all"]) / len(row["all"])
        list_recalls.append(share if res.found else 0.0)
    if row.get("type") in SINGLE_FACT:
        counts["single_fact"] += 1
        span = res.citations[0].answer if res.found and res.citations else ""
        counts["direct"] += bool(span) and any(a in span or span in a for a in row["answers"])
        counts["short"] += res.found and len(strip_markers(res.text)) <= SHORT_ANSWER_CHARS
    if not (answered and cited):
        failures.append({"q": row["q"], "expected": row["answers"], "got": res.text})


def _gold_rank(row: dict, hits: list) -> int | None:
    for rank, hit in enumerate(hits, start=1):
        if "gold_ref" in row and hit.chunk.ref == str(row["gold_ref"]):
            return rank
        if "gold" in row and row["gold"] in hit.chunk.text:
            return rank
    return None


def _metrics(
    counts: Counter[str], list_recalls: list[float], ranks: list[int | None], latencies: list[float], failures: list
) -> dict:
    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 4) if b else None

    metrics: dict[str, Any] = {
        "primary": PRIMARY_METRIC,
        "questions": counts["answerable"] + counts["refuse"] or len(ranks),
        "answer_accuracy": ratio(counts["answered"], counts["answerable"]),
        "citation_accuracy": ratio(counts["cited"], counts["answerable"]),
        "refusal_accuracy": ratio(counts["refused"], counts["refuse"]),
        "near_miss_refusal": ratio(counts["near_miss_refused"], counts["near_miss"]),
        "false_refusals": counts["false_refusals"],
        "wrong_answers": counts["wrong_answers"],
        "list_recall": ratio(sum(list_recalls), len(list_recalls)),
        "lists_complete": ratio(sum(r == 1.0 for r in list_recalls), len(list_recalls)),
        "direct_answer_accuracy": ratio(counts["direct"], counts["single_fact"]),
        "short_answers": ratio(counts["short"], counts["single_fact"]),
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
    shown = [f"{k} {_shown(v)}" for k, v in metrics.items() if k not in ("failures", "primary") and v is not None]
    return " · ".join(shown)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(value.items(), key=lambda kv: -kv[1])) + "}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.eval", description=__doc__.split("\n")[0])
    parser.add_argument("qa", nargs="+", help="QA.jsonl file(s)")
    parser.add_argument("--store", help="store directory (default: $DOCS_STORE_DIR)")
    parser.add_argument("--mode", choices=["hybrid", "dense", "bm25"], help="retrieval mode")
    parser.add_argument("--retrieval-only", action="store_true", help="only recall/MRR, no answers")
    parser.add_argument("--json", action="store_true", help="print the metrics as JSON")
    parser.add_argument("--llm", action="store_true", help="answer through the LLM endpoint LLM_BASE_URL names")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failed questions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = Settings.from_env(**({"store_dir": Path(args.store)} if args.store else {}))
    if args.llm and not settings.llm_base_url:
        parser.error("--llm needs an endpoint: set LLM_BASE_URL (and LLM_MODEL, LLM_API_KEY)")
    with open_store(settings) as store:
        bot = Assistant(store, settings)
        for path in args.qa:
            rows = load_rows(path)
            metrics = evaluate(rows, bot, mode=args.mode, retrieval_only=args.retrieval_only, use_llm=args.llm)
            if args.json:
                print(json.dumps({"file": path, **metrics}, ensure_ascii=False, indent=2))
                continue
            print(f"{Path(path).name}: {format_metrics(metrics)}")
            if args.verbose:
                for failure in metrics["failures"]:
                    print(f"  ✗ {failure['q']}  expected {failure['expected']}  got {failure['got'][:80]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
