"""CMRC 2018 dev: retrieval recall, and answers on the test part with negative rejection.

    python -m bench.cmrc_eval [--retrieval] [--answers] [--distractors N] [--store-root bench/results]

``--retrieval``: all 848 passages (each keeps its id as ``ref``) in a store alone, and again
with the first N CRUD news articles as distractors; every dev question in BM25, dense and
hybrid mode; recall@1/@5 and MRR@10 of the gold passage.

``--answers``: only the *test* part of the fixed split (``bench.data``; nothing was tuned
on it). Answer accuracy (a gold answer inside the answer text) with all test passages in
the store; then the negative-rejection protocol: a store with half of the test passages
(by SHA-256 of the id), whose questions must be answered, while the other half's
questions must be refused. With ``--distractors N`` the answer stores also hold N news.
Stores are kept under ``--store-root`` and reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from assistant import Assistant
from assistant.eval import evaluate
from docs_store import DocsStore, Settings, open_store
from ingest import parse_file
from training.data import ROOT, Passage, cmrc_part, news


def write_jsonl(path: Path, rows: Sequence[dict]) -> Path:
    if not path.exists():
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def passage_file(root: Path, name: str, passages: Sequence[Passage]) -> Path:
    return write_jsonl(root / f"{name}.jsonl", [{"id": p.id, "title": p.title, "text": p.text} for p in passages])


def news_file(root: Path, count: int) -> Path:
    return write_jsonl(root / f"crud_first_{count}.jsonl", list(news(limit=count)))


def store_with(root: Path, name: str, sources: Sequence[Path]) -> DocsStore:
    """The store ``name`` (with ``MILVUS_URI`` set: the Milvus store of that name; its local
    folder keeps only uploads)."""
    settings = Settings.from_env(store_dir=root / name)
    if settings.milvus_uri:
        settings = Settings.from_env(store_dir=root / f"{name}_milvus", milvus_store=name)
    store = open_store(settings)
    for source in sources:
        t = time.perf_counter()
        report = store.ingest(parse_file(source, max_bytes=1 << 31))
        print(f"  {name} ← {source.name}: {report.status}, {report.chunks} chunks, {time.perf_counter() - t:.0f}s")
    return store


def retrieval(root: Path, distractors: int, base: Path | None) -> dict:
    passages, qas = cmrc_part("all")
    rows = [{"q": q.question, "gold_ref": q.passage_id} for q in qas]
    cmrc = passage_file(root, "cmrc_all", list(passages.values()))
    setups = [("cmrc alone", "store_cmrc", [cmrc])]
    if base is not None:  # a store that already holds the distractors (bench/ingest_bench.py --full)
        name = f"store_cmrc_in_{base.name}"
        if not (root / name).exists():
            shutil.copytree(base, root / name)
        setups.append((f"cmrc + {base.name}", name, [cmrc]))
    elif distractors:
        setups.append(
            (f"cmrc + {distractors} news", f"store_cmrc_news{distractors}", [cmrc, news_file(root, distractors)])
        )
    results = {}
    for label, name, sources in setups:
        with store_with(root, name, sources) as store:
            bot = Assistant(store)
            for mode in ("bm25", "dense", "hybrid"):
                m = evaluate(rows, bot, mode=mode, retrieval_only=True)
                keep = {k: m[k] for k in ("recall@1", "recall@5", "mrr@10", "latency_p50_ms", "latency_p95_ms")}
                results[f"{label} / {mode}"] = keep
                print(f"{label:>22} {mode:6s} " + " · ".join(f"{k} {v}" for k, v in keep.items()))
    return results


def answers(root: Path, distractors: int) -> dict:
    passages, qas = cmrc_part("test")
    kept = {pid for pid in passages if int(hashlib.sha256(pid.encode()).hexdigest(), 16) % 2 == 0}
    extra = [news_file(root, distractors)] if distractors else []
    suffix = f"_news{distractors}" if distractors else ""
    every = passage_file(root, "cmrc_test", list(passages.values()))
    half = passage_file(root, "cmrc_test_half", [p for pid, p in passages.items() if pid in kept])

    def answerable(selected: Sequence) -> list[dict]:
        return [{"q": q.question, "answers": list(q.answers), "gold_ref": q.passage_id} for q in selected]

    results = {}
    with store_with(root, f"store_cmrc_test{suffix}", [every, *extra]) as store:
        m = evaluate(answerable(qas), Assistant(store))
        results["all test passages"] = _keep(m)
    with store_with(root, f"store_cmrc_test_half{suffix}", [half, *extra]) as store:
        bot = Assistant(store)
        inside = evaluate(answerable([q for q in qas if q.passage_id in kept]), bot)
        outside = evaluate([{"q": q.question, "refuse": True} for q in qas if q.passage_id not in kept], bot)
        results["negative rejection: passages in store"] = _keep(inside)
        results["negative rejection: passages removed"] = _keep(outside)
    for label, figures in results.items():
        print(f"{label:>40}: " + " · ".join(f"{k} {v}" for k, v in figures.items() if v is not None))
    return results


def _keep(metrics: dict) -> dict:
    keys = ("questions", "answer_accuracy", "citation_accuracy", "refusal_accuracy", "false_refusals",
            "latency_p50_ms", "latency_p95_ms")  # fmt: skip
    return {k: metrics.get(k) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--retrieval", action="store_true")
    parser.add_argument("--answers", action="store_true")
    parser.add_argument("--distractors", type=int, default=0)
    parser.add_argument("--base-store", help="copy this store (holding the distractors) instead of building one")
    parser.add_argument("--store-root", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    root = Path(args.store_root)
    root.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    if args.retrieval:
        results["retrieval"] = retrieval(root, args.distractors, Path(args.base_store) if args.base_store else None)
    if args.answers:
        results["answers"] = answers(root, args.distractors)
    out = root / f"cmrc_results{'_news' + str(args.distractors) if args.distractors else ''}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
