"""Answers under load: concurrent askers while articles are being ingested.

    python -m bench.load inprocess [--askers 8] [--articles 300] --store DIR
    python -m bench.load app [--users 20] [--seconds 60] [--articles 300]

``inprocess``: one :class:`assistant.Assistant` on an existing store (e.g. the benchmark
store of the whole news corpus); ``--askers`` threads call ``answer()`` in a loop, first
with nothing else running, then while another thread ingests a bulk file of news articles
into the same store. Prints p50/p95/p99 of both and their ratio.

``app``: a real ``python app.py`` on a fresh store with the sample page; ``--users``
threads, each its own ``gradio_client.Client``, ask for ``--seconds`` while a CLI process
imports a bulk file through the app (the store service). Prints requests, failures and
p50/p95/max latency.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from training.data import ROOT, news

QUESTIONS = [
    "定襄法兰2024年产值多少？",
    "长治高新区获批了什么试点？",
    "兴县和哪家公司签约了？",
    "稳卓汽车部件的老板叫什么？",
    "忻州的专业镇带动了多少人就业？",
    "暴雨过后如何转移群众？",
    "外贸进出口增长了多少？",
    "哪些园区获批了绿电试点？",
]


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"n": len(ordered), "p50": round(statistics.median(ordered), 1), "p95": at(0.95), "p99": at(0.99),
            "max": round(ordered[-1], 1)}  # fmt: skip


def bulk_file(count: int, skip: int) -> Path:
    path = Path(tempfile.mkdtemp(prefix="load-")) / f"news_{skip}_{count}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for record in news(limit=count, skip=skip):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def inprocess(args: argparse.Namespace) -> None:
    from assistant import Assistant
    from docs_store import Settings, load_paths, open_store

    settings = Settings.from_env(store_dir=Path(args.store))
    with open_store(settings) as store:
        bot = Assistant(store, settings)
        bot.warm()

        def ask_for(seconds: float, out: list[float], errors: list[str]) -> None:
            end = time.monotonic() + seconds
            i = 0
            while time.monotonic() < end:
                t = time.perf_counter()
                try:
                    bot.answer(QUESTIONS[i % len(QUESTIONS)])
                    out.append((time.perf_counter() - t) * 1000)
                except Exception as exc:  # noqa: BLE001 - counted, not hidden
                    errors.append(repr(exc))
                i += 1

        def round_of(seconds: float, during: threading.Thread | None) -> tuple[list[float], list[str]]:
            times: list[float] = []
            errors: list[str] = []
            askers = [threading.Thread(target=ask_for, args=(seconds, times, errors)) for _ in range(args.askers)]
            if during is not None:
                during.start()
            for a in askers:
                a.start()
            for a in askers:
                a.join()
            return times, errors

        idle, idle_errors = round_of(args.seconds, None)
        path = bulk_file(args.articles, skip=60000)
        ingest = threading.Thread(target=lambda: load_paths(store, [path], settings.limits, lambda e: None))
        busy, busy_errors = round_of(args.seconds, ingest)
        ingest.join()
        a, b = percentiles(idle), percentiles(busy)
        print(f"{args.askers} askers, idle:           {a}  errors {len(idle_errors)}")
        print(f"{args.askers} askers, during ingest:  {b}  errors {len(busy_errors)}")
        print(f"ratio p50 {b['p50'] / a['p50']:.2f}, p95 {b['p95'] / a['p95']:.2f}")


def app(args: argparse.Namespace) -> None:
    import httpx
    from gradio_client import Client

    work = Path(tempfile.mkdtemp(prefix="load-app-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DOCS_STORE_DIR": str(work / "store"), "APP_PORT": str(port), "HF_HUB_OFFLINE": "1",
           "GRADIO_ANALYTICS_ENABLED": "False"}  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "ingest", "-q", str(ROOT / "data" / "articles")], env=env, cwd=ROOT, check=True
    )
    with (work / "app.log").open("w") as log:
        server = subprocess.Popen([sys.executable, "app.py"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(180):
            try:
                if httpx.get(url, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        path = bulk_file(args.articles, skip=61000)
        importer = subprocess.Popen([sys.executable, "-m", "ingest", "-q", str(path)], env=env, cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        times: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def user(n: int) -> None:
            client = Client(url, verbose=False)
            end = time.monotonic() + args.seconds
            i = n
            while time.monotonic() < end:
                t = time.perf_counter()
                try:
                    res = client.predict(QUESTIONS[i % len(QUESTIONS)], api_name="/answer")
                    ok = isinstance(res, dict) and "text" in res and "error" not in res
                except Exception as exc:  # noqa: BLE001 - counted, not hidden
                    ok, res = False, repr(exc)
                with lock:
                    times.append((time.perf_counter() - t) * 1000)
                    if not ok:
                        failures.append(str(res)[:200])
                i += 1

        users = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        for u in users:
            u.start()
        for u in users:
            u.join()
        out, err = importer.communicate(timeout=1800)
        print(f"{args.users} users × {args.seconds}s during an import of {args.articles} articles through the app:")
        print(f"  requests {len(times)}, failures {len(failures)}, latency ms {percentiles(times)}")
        print(f"  import: exit {importer.returncode}; {out.strip().splitlines()[-1] if out.strip() else err[-300:]}")
        for f in failures[:5]:
            print("  failure:", f)
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("inprocess")
    p.add_argument("--store", required=True)
    p.add_argument("--askers", type=int, default=8)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--articles", type=int, default=300)
    q = sub.add_parser("app")
    q.add_argument("--users", type=int, default=20)
    q.add_argument("--seconds", type=float, default=60)
    q.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    inprocess(args) if args.mode == "inprocess" else app(args)


if __name__ == "__main__":
    main()
