"""Ingest throughput and query latency (a benchmark, not a test).

    python -m bench.ingest_bench [--articles 5000]

Prints chunks/s for the sample page and for the first N articles of
../shared/data/crud_news/articles.jsonl.gz, then hybrid / dense / BM25 query latency on
the resulting store. Uses the configured EMBEDDING_MODEL (default m3e-small) on CPU.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import statistics
import tempfile
import time
from pathlib import Path

from docs_store import DocsStore, load_embedding_model
from docs_store._settings import Settings
from ingest import parse_file

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "000_3a8c5979ebe92109.txt"
CRUD = ROOT.parent / "shared" / "data" / "crud_news" / "articles.jsonl.gz"
QUERIES = [
    "定襄法兰2024年产值多少？",
    "长治高新区获批了什么试点？",
    "兴县和哪家公司签约了？",
    "代州黄酒产值",
    "新能源汽车零部件项目签约",
    "营商环境 招商引资",
    "绿电产业园试点",
    "专业镇建设培育指南",
    "暴雨 救灾 转移群众",
    "外贸进出口增长",
    "高温天气 电力供应",
    "乡村振兴 特色产业",
    "人工智能 产业园",
    "文旅消费 暑期",
    "粮食生产 夏收",
    "金砖国家 约翰内斯堡",
]


def _ingest(store: DocsStore, path: Path, label: str) -> None:
    t0 = time.perf_counter()
    parsed = parse_file(path, max_bytes=Settings().max_file_bytes)
    t1 = time.perf_counter()
    report = store.ingest(parsed)
    t2 = time.perf_counter()
    print(
        f"{label}: {report.articles} articles, {report.chunks} chunks; parse {t1 - t0:.2f}s,"
        f" embed+index {t2 - t1:.2f}s; {report.chunks / (t2 - t0):.1f} chunks/s overall"
    )


def _latency(store: DocsStore, mode: str) -> None:
    store.search("预热", k=5, mode=mode)
    times = []
    for q in QUERIES * 3:
        t = time.perf_counter()
        store.search(q, k=5, mode=mode)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"query latency {mode:6s}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms ({len(times)} queries)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()
    embedding = load_embedding_model(Settings.from_env().embedding_model)
    embedding.embeddings.embed_query("预热")
    with tempfile.TemporaryDirectory() as tmp:
        with DocsStore(Path(tmp) / "seed", embedding=embedding) as store:
            _ingest(store, SEED, "seed page")
        if not CRUD.exists():
            print(f"{CRUD} not found: skipping the bulk benchmark")
            return
        bulk = Path(tmp) / f"crud_first_{args.articles}.jsonl"
        with gzip.open(CRUD, "rt", encoding="utf-8") as src, bulk.open("w", encoding="utf-8") as dst:
            dst.writelines(itertools.islice(src, args.articles))
        with DocsStore(Path(tmp) / "bulk", embedding=embedding) as store:
            _ingest(store, bulk, f"crud_news first {args.articles}")
            store.ingest(parse_file(SEED))
            t = time.perf_counter()
            store.search("预热", k=5, mode="bm25")
            print(f"BM25 index build over {len(store)} chunks: {time.perf_counter() - t:.2f}s")
            for mode in ("hybrid", "dense", "bm25"):
                _latency(store, mode)


if __name__ == "__main__":
    main()
