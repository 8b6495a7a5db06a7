"""Ingest throughput, query latency, cold start and memory (``make bench``; a benchmark, not a test).

    python -m bench.ingest_bench [--articles 5000] [--full] [--store-root bench/results]

Runs ``python -m ingest`` as a user would (a subprocess per import, so peak RSS is that
process's own) on the sample page and on the first N CRUD news articles, and — with
``--full`` — on the whole corpus (68,221 articles). Side by side in the same run:

- the encoder alone vs plain float32 sentence-transformers (torch) on the same chunks;
- ``answer()`` and bare retrieval p50/p95/p99 on stores of ~10^3, ~10^4 and (with
  ``--full``) ~2×10^5 chunks, with one intra-op thread per question;
- cold start: process start to first answer, and app start to first answer;
- adding one article to the largest store: time until it is answerable;
- store size on disk and RSS while serving.

Prints Markdown tables (docs/benchmarks.md is made from them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from training.data import ROOT, news

SEED = ROOT / "data" / "articles" / "000_3a8c5979ebe92109.txt"
QUESTIONS = [
    "定襄法兰2024年产值多少？",
    "长治高新区获批了什么试点？",
    "兴县和哪家公司签约了？",
    "那家汽车零部件企业的老板叫什么？",
    "忻州的专业镇一共带动了多少人就业？",
    "代州黄酒一年产值有多少？",
    "暴雨过后各地转移了多少群众？",
    "外贸进出口上半年增长多少？",
    "高温天气下电力供应怎么样？",
    "哪里在建人工智能产业园？",
    "暑期文旅消费有什么新特点？",
    "夏粮收购进展如何？",
    "金砖国家峰会在哪里举行？",
    "新能源汽车零部件项目在哪里签约？",
    "营商环境方面提出了什么要求？",
    "专业镇建设培育指南是谁起草的？",
]


def run_ingest(store: Path, paths: list[Path], **extra_env: str) -> dict:
    """``python -m ingest`` in a subprocess: wall time and that process's peak RSS."""
    env = {**os.environ, "DOCS_STORE_DIR": str(store), "HF_HUB_OFFLINE": "1", **extra_env}
    code = (
        "import resource, runpy, sys, time\n"
        "t = time.perf_counter()\n"
        "sys.argv = ['ingest', '-q', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('ingest', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    code = e.code\n"
        "print('BENCH', time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *map(str, paths)], env=env, cwd=ROOT, capture_output=True,
                         text=True)  # fmt: skip
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH")), None)
    if line is None:
        raise SystemExit(f"ingest failed: {out.stderr[-2000:]}")
    _, seconds, rss_kb = line.split()
    summary = next((x for x in out.stdout.splitlines() if " files: " in x), "")
    return {"seconds": float(seconds), "rss_mb": int(rss_kb) / 1024, "summary": summary}


def counts(store: Path) -> tuple[int, int]:
    from docs_store import read_sources

    sources = read_sources(store)
    return sum(s.articles for s in sources), sum(s.chunks for s in sources)


def disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def bulk(path: Path, count: int | None) -> Path:
    if not path.exists():
        with path.open("w", encoding="utf-8") as fh:
            for record in news(limit=count):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def encoder_comparison(root: Path, sample: int = 512) -> dict:
    """Our encoder vs plain float32 sentence-transformers on the same news chunks."""
    from docs_store import load_embedding_model
    from ingest import chunk_article, iter_bulk_articles

    texts: list[str] = []
    for article in iter_bulk_articles(bulk(root / "crud_first_5000.jsonl", 5000)):
        texts += [c.index_text for c in chunk_article(article)]
        if len(texts) >= sample:
            break
    texts = texts[:sample]
    ours = load_embedding_model()
    plain = load_embedding_model(backend="torch")
    ours.embed_documents(texts[:8])
    plain.embed_documents(texts[:8])
    t = time.perf_counter()
    a = ours.embed_documents(texts)
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    b = plain.embed_documents(texts)
    plain_s = time.perf_counter() - t
    cosine = (a * b).sum(axis=1)
    return {
        "chunks": len(texts),
        "ours_per_s": len(texts) / ours_s,
        "fp32_per_s": len(texts) / plain_s,
        "speedup": plain_s / ours_s,
        "cosine_mean": float(cosine.mean()),
        "cosine_min": float(cosine.min()),
        "precision": ours.embeddings.warm(),  # type: ignore[attr-defined]
    }


def latency(store_dir: Path, rounds: int = 3) -> dict:
    """answer() and bare retrieval latency, warm, one question at a time."""
    from assistant import Assistant
    from docs_store import Settings, open_store

    settings = Settings.from_env(store_dir=store_dir)
    with open_store(settings) as store:
        bot = Assistant(store, settings)
        bot.warm()
        answers, searches = [], []
        for _ in range(rounds):
            for q in QUESTIONS:
                t = time.perf_counter()
                bot.answer(q)
                answers.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                store.search(q, k=settings.top_k)
                searches.append((time.perf_counter() - t) * 1000)
        return {"chunks": len(store), "answer": pct(answers), "search": pct(searches)}


def pct(values: list[float]) -> dict:
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50": round(statistics.median(ordered), 1), "p95": at(0.95), "p99": at(0.99)}


def cold_start(store_dir: Path) -> float:
    """Process start to the first answer (a fresh Python process)."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from assistant import answer\n"
        "answer('定襄法兰2024年产值多少？')\n"
        "print('BENCH', time.perf_counter() - t)\n"
    )
    env = {**os.environ, "DOCS_STORE_DIR": str(store_dir), "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    if "BENCH" not in out.stdout:
        raise SystemExit(out.stderr[-2000:])
    return time.perf_counter() - started


def app_cold_start(store_dir: Path) -> tuple[float, float]:
    """``python app.py`` started to the first answer through its API; and the app's RSS
    after 20 more answers (MB)."""
    import socket

    import httpx
    from gradio_client import Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DOCS_STORE_DIR": str(store_dir), "APP_PORT": str(port), "HF_HUB_OFFLINE": "1",
           "GRADIO_ANALYTICS_ENABLED": "False"}  # fmt: skip
    started = time.perf_counter()
    app = subprocess.Popen([sys.executable, "app.py"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        client = Client(url, verbose=False)
        client.predict("定襄法兰2024年产值多少？", api_name="/answer")
        first = time.perf_counter() - started
        for q in QUESTIONS + QUESTIONS[:4]:
            client.predict(q, api_name="/answer")
        status = Path(f"/proc/{app.pid}/status").read_text()
        rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024
        return first, rss
    finally:
        app.terminate()
        app.wait(30)


def one_more_article(store_dir: Path) -> float:
    """Seconds from ``python -m ingest new.txt`` to a question about it answered."""
    page = Path(tempfile.mkdtemp()) / "新文章.txt"
    page.write_text(
        "朔州开发区签约储能电池项目\n\n科学导报讯 5月6日，朔州开发区与山西储能科技有限公司签约年产8GWh储能电池项目，"
        "总投资52亿元。\n\n王林\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    run_ingest(store_dir, [page])
    from assistant import Assistant
    from docs_store import Settings, open_store

    settings = Settings.from_env(store_dir=store_dir)
    with open_store(settings) as store:
        res = Assistant(store, settings).answer("朔州开发区储能电池项目总投资多少？")
        elapsed = time.perf_counter() - started
        assert res.found and "52亿元" in res.text, res.text
        store.delete_source(str(page.resolve()))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--full", action="store_true", help="also the whole news corpus (about 30 min)")
    parser.add_argument("--store-root", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    root = Path(args.store_root)
    root.mkdir(parents=True, exist_ok=True)
    rows = []

    enc = encoder_comparison(root)
    print(f"\nencoder on {enc['chunks']} news chunks: ours {enc['ours_per_s']:.1f} chunks/s ({enc['precision']}),"
          f" plain fp32 torch {enc['fp32_per_s']:.1f} chunks/s → {enc['speedup']:.2f}× faster;"
          f" cosine to fp32 mean {enc['cosine_mean']:.5f}, min {enc['cosine_min']:.5f}")  # fmt: skip

    first_n = bulk(root / f"crud_first_{args.articles}.jsonl", args.articles)
    setups = [
        ("sample page", "bench_seed", [SEED]),
        ("first 300 news + sample", "bench_1k", [SEED, bulk(root / "crud_first_300.jsonl", 300)]),
        (f"first {args.articles} news + sample", f"bench_{args.articles}", [SEED, first_n]),
    ]
    if args.full:
        setups.append(("all 68,221 news + sample", "bench_full", [SEED, bulk(root / "crud_all.jsonl", None)]))
    print("\n| input | articles | chunks | wall | articles/s | chunks/s | vs fp32 encoding | peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    stores = []
    for label, name, paths in setups:
        store = root / name
        shutil.rmtree(store, ignore_errors=True)
        result = run_ingest(store, paths)
        articles, chunks = counts(store)
        fp32_seconds = chunks / enc["fp32_per_s"]
        rows.append((label, articles, chunks, result))
        stores.append((label, store))
        seconds = result["seconds"]
        print(
            f"| {label} | {articles:,} | {chunks:,} | {seconds:.0f} s | {articles / seconds:.1f}"
            f" | {chunks / seconds:.1f} | {seconds / fp32_seconds:.2f}× | {result['rss_mb']:.0f} MB |"
        )

    plain = root / "bench_no_entities"
    shutil.rmtree(plain, ignore_errors=True)
    without = run_ingest(plain, setups[2][2], ENTITY_INDEX="0")
    with_entities = rows[2][3]["seconds"]
    print(f"\nentity index cost ({setups[2][0]}): {with_entities:.0f} s with, {without['seconds']:.0f} s without"
          f" → {with_entities / without['seconds']:.3f}×")  # fmt: skip
    shutil.rmtree(plain, ignore_errors=True)

    print("\n| store | chunks | answer() p50 / p95 / p99 | retrieval p50 / p95 / p99 | on disk |")
    print("|---|---|---|---|---|")
    for label, store in stores[1:]:
        lat = latency(store)
        a, s = lat["answer"], lat["search"]
        print(f"| {label} | {lat['chunks']:,} | {a['p50']} / {a['p95']} / {a['p99']} ms | {s['p50']} / {s['p95']} /"
              f" {s['p99']} ms | {disk_mb(store):.0f} MB |")  # fmt: skip

    largest = stores[-1][1]
    print(f"\ncold start, process start → first answer ({stores[-1][0]}): {cold_start(largest):.1f} s")
    first, rss = app_cold_start(largest)
    print(f"cold start, app start → first answer ({stores[-1][0]}): {first:.1f} s; app RSS while serving {rss:.0f} MB")
    print(f"one new article answerable after (ingest command + first answer): {one_more_article(largest):.1f} s")


if __name__ == "__main__":
    main()
