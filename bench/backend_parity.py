"""The local store and the Milvus store side by side, on the same machine and data.

    python -m bench.backend_parity --backend local|milvus [--store-root bench/results/parity]
        [--news 2000] [--questions 200] [--cmrc-root DIR]

One backend per run (so each has its own process: peak memory is its own); run both and
compare the JSON lines printed last. Measures:

- the eval sets of the sample page (``eval/*.jsonl`` but the news held-out set, which has
  its own store: ``bench.qa_sets``) in a store holding the sample page;
- ingest throughput: the first ``--news`` CRUD articles as one bulk file into a fresh store
  (embedding included: what a user waits for);
- ``answer()`` latency p50/p95 and accuracy on the first ``--questions`` CMRC dev questions
  in the store ``bench.cmrc_eval --retrieval --distractors N`` built under ``--cmrc-root``
  (CMRC passages among N news articles), when it exists;
- the store's size on disk and this process's peak RSS.

With ``--backend milvus`` every store is a milvus-lite file (``MILVUS_URI`` is set per store
folder; for ``--cmrc-root``, ``--cmrc-milvus-uri`` names the one ``bench.cmrc_eval`` ran with).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import time
from pathlib import Path

from assistant import Assistant
from assistant.eval import evaluate, load_rows
from bench.cmrc_eval import news_file
from docs_store import Settings, load_paths, open_store
from ingest import parse_file
from training.data import ROOT, cmrc_part

EVAL_SETS = ("sample_qa", "holdout_qa", "paraphrase_dev", "paraphrase_holdout")
KEEP = ("questions", "answer_accuracy", "citation_accuracy", "refusal_accuracy", "false_refusals", "wrong_answers",
        "latency_p50_ms", "latency_p95_ms")  # fmt: skip


def settings_for(backend: str, folder: Path, name: str = "news") -> Settings:
    uri = str(folder / "milvus.db") if backend == "milvus" else None
    return Settings.from_env(store_dir=folder, milvus_uri=uri, milvus_store=name)


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def disk_mb(folder: Path) -> float:
    out = subprocess.run(["du", "-sk", str(folder)], capture_output=True, text=True, check=True)
    return round(int(out.stdout.split()[0]) / 1024, 1)


def eval_sets(backend: str, root: Path) -> dict:
    folder = fresh(root / f"{backend}_sample")
    with open_store(settings_for(backend, folder)) as store:
        store.ingest(parse_file(ROOT / "data" / "articles" / "000_3a8c5979ebe92109.txt"))
        bot = Assistant(store)
        results = {}
        for name in EVAL_SETS:
            metrics = evaluate(load_rows(ROOT / "eval" / f"{name}.jsonl"), bot)
            results[name] = {k: metrics.get(k) for k in KEEP}
    return results


def ingest_throughput(backend: str, root: Path, count: int) -> dict:
    bulk = news_file(root, count)
    folder = fresh(root / f"{backend}_news{count}")
    settings = settings_for(backend, folder)
    with open_store(settings) as store:
        started = time.perf_counter()
        summary = load_paths(store, [bulk], settings.limits, lambda event: None)
        store.prepare_search()
        seconds = time.perf_counter() - started
        chunks = summary.counts.get("chunks", 0)
        return {"articles": summary.counts.get("articles", 0), "chunks": chunks, "seconds": round(seconds, 1),
                "chunks_per_s": round(chunks / seconds, 1), "disk_mb": disk_mb(folder)}  # fmt: skip


def answers_at_scale(backend: str, cmrc_root: Path, name: str, milvus_uri: str | None, questions: int) -> dict:
    if backend == "milvus":
        settings = Settings.from_env(store_dir=cmrc_root / f"{name}_milvus", milvus_uri=milvus_uri, milvus_store=name)
    else:
        settings = Settings.from_env(store_dir=cmrc_root / name)
    _, qas = cmrc_part("all")
    rows = [{"q": q.question, "answers": list(q.answers), "gold_ref": q.passage_id} for q in qas[:questions]]
    with open_store(settings) as store:
        chunks = len(store)
        bot = Assistant(store)
        bot.answer(rows[0]["q"])  # warm: first-call loading is not a per-question cost
        metrics = evaluate(rows, bot)
    return {"store": name, "chunks": chunks, **{k: metrics.get(k) for k in KEEP}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["local", "milvus"], required=True)
    parser.add_argument("--store-root", default=str(ROOT / "bench" / "results" / "parity"))
    parser.add_argument("--news", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--cmrc-root", help="where bench.cmrc_eval kept its stores for this backend")
    parser.add_argument("--cmrc-store", default="store_cmrc_news10000", help="which of them")
    parser.add_argument("--cmrc-milvus-uri", help="the MILVUS_URI bench.cmrc_eval ran with (--backend milvus)")
    args = parser.parse_args()
    root = Path(args.store_root)
    root.mkdir(parents=True, exist_ok=True)
    result: dict = {"backend": args.backend, "eval_sets": eval_sets(args.backend, root)}
    print(json.dumps(result["eval_sets"], ensure_ascii=False), flush=True)
    result["ingest"] = ingest_throughput(args.backend, root, args.news)
    print(json.dumps(result["ingest"]), flush=True)
    if args.cmrc_root:
        result["answers_at_scale"] = answers_at_scale(
            args.backend, Path(args.cmrc_root), args.cmrc_store, args.cmrc_milvus_uri, args.questions
        )
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result, ensure_ascii=False))
    (root / f"parity_{args.backend}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
