"""The whole corpus on both backends: CMRC retrieval among it and ``answer()`` at 2×10^5 chunks.

    python -m bench.backend_full build   [--root bench/results/full]   # local store, then a Milvus copy
    python -m bench.backend_full measure --backend local|milvus [--root …] [--modes hybrid,bm25,dense]
        [--questions 200] [--mode-questions 0,1000,1000]

``build`` ingests the sample page, all 68,221 CRUD news articles and the 848 CMRC dev passages
into one local store (``ROOT/local``; resumable: run it again after a stop, finished sources
are skipped by content hash), copies that folder and moves the copy to a milvus-lite file
with ``python -m ingest --migrate`` (``ROOT/milvus``, store name ``full``): the same articles,
chunks and vectors on both sides, so retrieval differences are the backend's alone.

``measure`` (one backend per process, so peak memory is its own) prints and writes
``ROOT/full_BACKEND.json``: the store's chunk count; recall@1/@5 and MRR@10 of the gold CMRC
passage for all 3,219 dev questions in each of ``--modes`` (or the first N of them, as
``--mode-questions`` says per mode: milvus-lite searches are slower); ``answer()`` p50/p95 and answer
accuracy on the first ``--questions`` dev questions (after one warm-up answer); peak RSS.
Run it with nothing else on the machine: the latencies are wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.cmrc_eval import passage_file
from bench.ingest_bench import SEED, bulk
from training.data import ROOT, cmrc_part

KEEP = ("questions", "answer_accuracy", "citation_accuracy", "false_refusals", "wrong_answers",
        "latency_p50_ms", "latency_p95_ms")  # fmt: skip
RETRIEVAL_KEEP = ("recall@1", "recall@5", "mrr@10", "latency_p50_ms", "latency_p95_ms")
MILVUS_STORE = "full"
ENTITY_TAGGER = "off"
"""Both stores extract entities by the rules alone (the local store was built before the
name tagger existed; the migrate re-extracts, and must do it the same way)."""


def milvus_uri(root: Path) -> str:
    return str((root / "milvus" / "milvus.db").resolve())


def _ingest_cli(env: dict[str, str], *args: str) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ingest", *args], env={**os.environ, **env}, cwd=ROOT, check=True)
    print(f"  ingest {' '.join(args)[:80]}: {time.perf_counter() - started:.0f} s", flush=True)


def build(root: Path) -> None:
    """The local store (resumable), then its copy moved to Milvus."""
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    news = bulk(results / "crud_all.jsonl", None)
    passages, _ = cmrc_part("all")
    cmrc = passage_file(results, "cmrc_all", list(passages.values()))
    local = root / "local"
    _ingest_cli({"DOCS_STORE_DIR": str(local), "ENTITY_TAGGER": ENTITY_TAGGER}, "-q", str(SEED), str(news), str(cmrc))
    target = root / "milvus"
    if (target / "milvus.db").exists():
        print(f"  {target} exists: not migrated again (remove it to rebuild)")
        return
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(local, target)
    env = {"DOCS_STORE_DIR": str(target), "MILVUS_URI": milvus_uri(root), "MILVUS_STORE": MILVUS_STORE,
           "ENTITY_TAGGER": ENTITY_TAGGER}  # fmt: skip
    _ingest_cli(env, "--migrate")


def measure(root: Path, backend: str, modes: list[str], questions: int, per_mode: list[int]) -> dict:
    # Imported here: the settings below must be in the environment first (read once).
    from assistant import Assistant
    from assistant.eval import evaluate
    from docs_store import Settings, open_store

    if backend == "milvus":
        settings = Settings.from_env(store_dir=root / "milvus", milvus_uri=milvus_uri(root), milvus_store=MILVUS_STORE)
    else:
        settings = Settings.from_env(store_dir=root / "local")
    _, qas = cmrc_part("all")
    result: dict = {"backend": backend}
    with open_store(settings) as store:
        started = time.perf_counter()
        store.prepare_search()
        result["open_s"] = round(time.perf_counter() - started, 1)
        result["chunks"] = len(store)
        bot = Assistant(store)
        bot.answer(qas[0].question)  # warm: first-call loading is not a per-question cost
        rows = [{"q": q.question, "answers": list(q.answers), "gold_ref": q.passage_id} for q in qas[:questions]]
        metrics = evaluate(rows, bot)
        result["answers"] = {k: metrics.get(k) for k in KEEP}
        print(json.dumps(result, ensure_ascii=False), flush=True)
        every = [{"q": q.question, "gold_ref": q.passage_id} for q in qas]
        result["retrieval"] = {}
        for mode, limit in zip(modes, per_mode + [0] * len(modes), strict=False):
            subset = every[:limit] if limit else every
            m = evaluate(subset, bot, mode=mode, retrieval_only=True)  # type: ignore[arg-type]
            result["retrieval"][mode] = {"questions": len(subset), **{k: m[k] for k in RETRIEVAL_KEEP}}
            print(mode, json.dumps(result["retrieval"][mode]), flush=True)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["build", "measure"])
    parser.add_argument("--root", default=str(ROOT / "bench" / "results" / "full"))
    parser.add_argument("--backend", choices=["local", "milvus"])
    parser.add_argument("--modes", default="hybrid,bm25,dense")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--mode-questions", default="", help="per mode: the first N dev questions (0: all 3,219)")
    args = parser.parse_args()
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    if args.step == "build":
        build(root)
        return
    if args.backend is None:
        parser.error("measure needs --backend")
    per_mode = [int(n) for n in args.mode_questions.split(",") if n]
    result = measure(root, args.backend, args.modes.split(","), args.questions, per_mode)
    print(json.dumps(result, ensure_ascii=False))
    (root / f"full_{args.backend}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
