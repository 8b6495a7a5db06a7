"""What the entity index costs (``make bench-entities``; a benchmark, not a test).

    python -m bench.entity_cost [--articles 1000] [--rounds 10]

Ingests the sample page and the first N CRUD news articles twice, as a user would
(``python -m ingest`` in a subprocess), once with ``ENTITY_INDEX=0``, and prints:

- ingest wall time with and without extraction, and their ratio (issue #17: ≤ 1.3×);
- ``answer()`` p50 / p95 on each store over the same questions, warm, alternating the two
  stores round by round so that machine noise falls on both alike (issue #17: p50 within 5 %).

The two stores hold the same chunks; the only difference is the entity index that
``answer()`` consults for list and ranking questions.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

from bench.ingest_bench import QUESTIONS, SEED, bulk, counts, pct, run_ingest
from training.data import ROOT

LIST_QUESTIONS = ["忻州有哪些专业镇？", "哪些项目总投资超过10亿元？"]


def answer_times(stores: dict[str, Path], rounds: int) -> dict[str, list[float]]:
    """Milliseconds per ``answer()``, per store, the stores taking turns each round."""
    from assistant import Assistant
    from docs_store import Settings, open_store

    times: dict[str, list[float]] = {name: [] for name in stores}
    opened = {}
    for name, path in stores.items():
        settings = Settings.from_env(store_dir=path)
        store = open_store(settings)
        bot = Assistant(store, settings)
        bot.warm()
        opened[name] = (store, bot)
    try:
        for _ in range(rounds):
            for name, (_, bot) in opened.items():
                for question in [*QUESTIONS, *LIST_QUESTIONS]:
                    t = time.perf_counter()
                    bot.answer(question)
                    times[name].append((time.perf_counter() - t) * 1000)
    finally:
        for store, _ in opened.values():
            store.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--store-root", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    root = Path(args.store_root)
    root.mkdir(parents=True, exist_ok=True)
    paths = [SEED, bulk(root / f"crud_{args.articles}.jsonl", args.articles)]
    stores = {"with entities": root / "entity_cost_on", "without": root / "entity_cost_off"}
    seconds = {}
    for name, store in stores.items():
        shutil.rmtree(store, ignore_errors=True)
        extra = {} if name == "with entities" else {"ENTITY_INDEX": "0"}
        seconds[name] = run_ingest(store, paths, **extra)["seconds"]
    articles, chunks = counts(stores["with entities"])
    on, off = seconds["with entities"], seconds["without"]
    print(f"ingest of {articles:,} articles ({chunks:,} chunks): {on:.0f} s with entities, {off:.0f} s without"
          f" → {on / off:.3f}×")  # fmt: skip
    times = answer_times(stores, args.rounds)
    print("\n| store | answers | answer() p50 | p95 |")
    print("|---|---|---|---|")
    for name, values in times.items():
        figures = pct(values)
        print(f"| {name} | {len(values)} | {figures['p50']:.1f} ms | {figures['p95']:.1f} ms |")
    p50_on, p50_off = (statistics.median(times[n]) for n in stores)
    print(f"\nanswer() p50 with / without the entity index: {p50_on / p50_off:.3f}×")
    for store in stores.values():
        shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
