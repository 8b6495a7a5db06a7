"""Retrieval recall@1/5 and MRR@10 on CMRC 2018 dev, alone and among news distractors.

    python -m bench.cmrc_eval [--distractors 20000] [--store-root bench/results]

Ingests the 848 CMRC passages (as a .jsonl bulk source, so each passage keeps its id as
``ref``) into one store, and the same passages plus the first N CRUD news articles into
another; then runs the 3,219 questions in BM25-only, dense-only and hybrid mode through
``assistant.eval.evaluate(retrieval_only=True)``. Stores are kept under --store-root and
reused, so a second run only measures retrieval.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import time
from pathlib import Path

from tqdm import tqdm

from assistant import Assistant
from assistant.eval import evaluate
from docs_store import DocsStore, Settings, load_embedding_model
from ingest import parse_file

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def _jsonl(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _ensure(store: DocsStore, path: Path) -> None:
    t = time.perf_counter()
    report = store.ingest(parse_file(path, max_bytes=1 << 30), progress=_bar(path.name))
    print(f"  {path.name}: {report.status}, {report.chunks} chunks, {time.perf_counter() - t:.0f}s")


def _bar(name: str):
    bar = tqdm(desc=f"embedding {name}", unit="chunk", leave=False)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return progress


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--distractors", type=int, default=20000)
    parser.add_argument("--store-root", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--answers", type=int, default=0, help="also answer the first N questions (hybrid)")
    args = parser.parse_args()
    root = Path(args.store_root)
    root.mkdir(parents=True, exist_ok=True)
    with gzip.open(SHARED / "cmrc2018_dev" / "passages.jsonl.gz", "rt", encoding="utf-8") as fh:
        passages = [json.loads(line) for line in fh]
    with gzip.open(SHARED / "cmrc2018_dev" / "questions.jsonl.gz", "rt", encoding="utf-8") as fh:
        questions = [json.loads(line) for line in fh]
    cmrc = _jsonl(
        root / "cmrc_passages.jsonl", ({"id": p["id"], "title": p["title"], "text": p["text"]} for p in passages)
    )
    rows = [{"q": q["question"], "gold_ref": q["passage_id"]} for q in questions]
    embedding = load_embedding_model(Settings.from_env().embedding_model)

    setups = [("cmrc alone", root / "store_cmrc", [cmrc])]
    if args.distractors:
        with gzip.open(SHARED / "crud_news" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
            news = _jsonl(
                root / f"crud_first_{args.distractors}.jsonl",
                (json.loads(line) for line in itertools.islice(fh, args.distractors)),
            )
        setups.append((f"cmrc + {args.distractors} news", root / f"store_cmrc_news{args.distractors}", [cmrc, news]))

    results = {}
    for label, directory, sources in setups:
        print(f"{label}:")
        with DocsStore(directory, embedding=embedding) as store:
            for source in sources:
                _ensure(store, source)
            print(f"  {len(store)} chunks in store")
            bot = Assistant(store)
            for mode in ("bm25", "dense", "hybrid"):
                metrics = evaluate(rows, bot, mode=mode, retrieval_only=True)
                keep = {k: metrics[k] for k in ("recall@1", "recall@5", "mrr@10", "latency_p50_ms", "latency_p95_ms")}
                results[f"{label} / {mode}"] = keep
                print(f"  {mode:6s} " + " · ".join(f"{k} {v}" for k, v in keep.items()))
            if args.answers:
                answerable = [
                    {"q": q["question"], "answers": q["answers"], "gold_ref": q["passage_id"]}
                    for q in questions[: args.answers]
                ]
                metrics = evaluate(answerable, bot)
                keep = {k: metrics[k] for k in ("answer_accuracy", "citation_accuracy", "false_refusals")}
                keep["questions"] = len(answerable)
                results[f"{label} / answers"] = keep
                print("  answers " + " · ".join(f"{k} {v}" for k, v in keep.items()))
    (root / "cmrc_results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
