"""Kill an ingest at every step of the write protocol and check the store each time.

    python -m bench.fault_injection [--articles 200] [--every 1] [--milvus]

One clean run of ``python -m ingest`` (the sample page, then a bulk file of N news
articles, with the real encoder) lists the protocol's checkpoints: each embedded batch,
journal written, each Chroma batch, catalogue written, committed, BM25 index cached. Then,
for each checkpoint, a fresh store is ingested with ``NEWS_ASSISTANT_KILL_AT`` set so the
process is SIGKILLed exactly there. After each kill: the store must open, Chroma and the
catalogue must hold the same ids, every stored article must have all its chunks, and BM25
and dense search must find committed articles; running the same command again must end
in the same state as the clean run. Prints a Markdown table (docs/reliability.md).
``--milvus``: the same on the Milvus backend (a milvus-lite file inside each store folder).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from docs_store import Settings, open_store
from ingest import chunk_article
from training.data import ROOT, news

SEED = ROOT / "data" / "articles" / "000_3a8c5979ebe92109.txt"


MILVUS = False
"""Set by ``--milvus``: each store folder's milvus-lite file holds the store."""


def _settings(store: Path) -> Settings:
    return Settings(store_dir=store, milvus_uri=str(store / "milvus.db") if MILVUS else None)


def ingest(store: Path, paths: list[Path], kill_at: int = 0, log: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DOCS_STORE_DIR": str(store), "HF_HUB_OFFLINE": "1", "NEWS_ASSISTANT_KILL_AT": str(kill_at)}
    if MILVUS:
        env["MILVUS_URI"] = str(store / "milvus.db")
    if log is not None:
        env["NEWS_ASSISTANT_KILL_LOG"] = str(log)
    return subprocess.run(
        [sys.executable, "-m", "ingest", "-q", *map(str, paths)], env=env, cwd=ROOT, capture_output=True, text=True
    )


def check(store: Path) -> dict:
    """Open the store and verify its invariants; returns what it holds."""
    with open_store(_settings(store)) as s:
        ids = s.chunk_ids()
        vectors = s.vector_ids()
        half = [a.id for a in s.articles() if not {c.id for c in chunk_article(a)} <= ids]
        found_bm25 = bool(s.search("专业镇 产值", k=3, mode="bm25")) if ids else True
        found_dense = bool(s.search("专业镇 产值", k=3, mode="dense")) if ids else True
        return {
            "consistent": ids == vectors and not half and found_bm25 and found_dense,
            "chunks": len(ids),
            "articles": len(s.articles()),
            "sources": sorted((x.source, x.status) for x in s.sources()),
            "ids": sorted(ids),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--every", type=int, default=1, help="kill at every n-th checkpoint")
    parser.add_argument("--milvus", action="store_true", help="the Milvus backend (milvus-lite)")
    args = parser.parse_args()
    global MILVUS
    MILVUS = args.milvus
    work = Path(tempfile.mkdtemp(prefix="faults-"))
    bulk = work / "news.jsonl"
    with bulk.open("w", encoding="utf-8") as fh:
        for record in news(limit=args.articles):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    paths = [SEED, bulk]
    log = work / "steps.log"
    started = time.monotonic()
    clean = ingest(work / "clean", paths, log=log)
    assert clean.returncode == 0, clean.stderr
    steps = [line.split(" ", 1)[1] for line in log.read_text().splitlines()]
    expected = check(work / "clean")
    print(f"clean run: {len(steps)} checkpoints, {expected['articles']} articles, {expected['chunks']} chunks,"
          f" {time.monotonic() - started:.0f}s; steps: {dict(Counter(steps))}")  # fmt: skip
    print("\n| kill at | step | opens, Chroma = catalogue, whole articles, search works | re-run = clean run |")
    print("|---|---|---|---|")
    failures = 0
    for k in range(1, len(steps) + 1, args.every):
        store = work / f"killed_{k}"
        killed = ingest(store, paths, kill_at=k)
        after_kill = check(store) if killed.returncode == -9 else {"consistent": False}
        rerun = ingest(store, paths)
        final = check(store)
        same = rerun.returncode == 0 and final["ids"] == expected["ids"] and final["sources"] == expected["sources"]
        ok = killed.returncode == -9 and after_kill["consistent"] and same
        failures += not ok
        print(f"| {k} | {steps[k - 1]} | {'yes' if after_kill['consistent'] else 'NO'}"
              f" ({after_kill.get('articles', '?')} articles) | {'yes' if same else 'NO'} |")  # fmt: skip
    print(f"\n{len(range(1, len(steps) + 1, args.every))} kill points, {failures} failures,"
          f" {time.monotonic() - started:.0f}s in all")  # fmt: skip


if __name__ == "__main__":
    main()
