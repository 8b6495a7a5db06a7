"""Answers on the test part of every shared QA set, and on the news held-out set.

    python -m bench.qa_sets [--sets drcd,dureader,...] [--news-distractors 20000] [--store-root bench/results]

For each passage set (``training.data``: DRCD, DuReader-checklist, ChineseSquad, CJRC, XQuAD,
CMRC dev test third) a store holds its test passages; answerable questions must be answered
with a gold span (and cited from their passage), unanswerable ones — on-topic near misses
whose passage *is* in the store — must be refused.

``news``: one store with the articles of the news held-out set (``eval/news_holdout.jsonl``,
written by another hand and never tuned on), the articles of the CRUD news questions' test
part, and N other news articles as distractors (a slice that neither training nor
calibration reads); both question sets are asked there.

Stores are kept under ``--store-root`` and reused; figures are printed and written to
``<store-root>/qa_sets.json``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from assistant import Assistant
from assistant.eval import evaluate, load_rows
from bench.cmrc_eval import store_with, write_jsonl
from training.data import ROOT, held_out_news_ids, news, news_articles, news_questions, qa_set

PASSAGE_SETS = ("cmrc_dev", "drcd", "dureader", "squad2", "cjrc", "xquad")
DISTRACTOR_SKIP = 45000
"""Distractor news start here: training reads the first 20,000, calibration 40,000–45,000."""
KEYS = ("questions", "answer_accuracy", "citation_accuracy", "refusal_accuracy", "near_miss_refusal",
        "false_refusals", "wrong_answers", "short_answers", "latency_p50_ms", "latency_p95_ms")  # fmt: skip


def _keep(metrics: dict) -> dict:
    return {k: metrics[k] for k in KEYS if metrics.get(k) is not None}


def passage_set(root: Path, name: str) -> dict:
    passages, qas = qa_set(name, "test")  # type: ignore[arg-type]
    source = write_jsonl(
        root / f"{name}_test.jsonl", [{"id": p.id, "title": p.title, "text": p.text} for p in passages.values()]
    )
    rows = [
        {"q": q.question, "answers": list(q.answers), "gold_ref": q.passage_id}
        if q.answerable
        else {"q": q.question, "refuse": True, "near_miss": True}
        for q in qas
    ]
    with store_with(root, f"store_{name}_test", [source]) as store:
        return _keep(evaluate(rows, Assistant(store)))


def news_store_sources(root: Path, distractors: int) -> list[Path]:
    wanted = set(held_out_news_ids()) | {a for q in news_questions("test") for a in q.article_ids}
    records = news_articles(wanted)
    ours = write_jsonl(root / "news_eval_articles.jsonl", list(records.values()))
    banned = wanted | held_out_news_ids()
    others = [r for r in news(limit=distractors + len(banned), skip=DISTRACTOR_SKIP) if r["id"] not in banned]
    extra = write_jsonl(root / f"news_distractors_{distractors}.jsonl", others[:distractors])
    return [ours, extra]


def news_sets(root: Path, distractors: int) -> dict[str, dict]:
    rows = load_rows(ROOT / "eval" / "news_holdout.jsonl")
    tests = news_questions("test")
    crud = [{"q": q.question, "answers": list(q.answers)} for q in tests]
    seen = seen_in_training()
    unseen = [{"q": q.question, "answers": list(q.answers)} for q in tests if not seen & set(q.article_ids)]
    results = {}
    with store_with(root, f"store_news_eval_{distractors}", news_store_sources(root, distractors)) as store:
        bot = Assistant(store)
        results["news_holdout"] = _keep(evaluate(rows, bot))
        results["crud_news_qa test"] = _keep(evaluate(crud, bot))
        results["crud_news_qa test, unseen"] = _keep(evaluate(unseen, bot))
    return results


def seen_in_training() -> set[str]:
    """Articles the 2026-12-02 scorer's mixture read (train questions' articles and the first
    20,000 news as distractors, before the split guard of training.data.not_for_training):
    the "unseen" figure asks only test questions none of whose articles is among them."""
    seen = {a for q in news_questions("train") for a in q.article_ids}
    seen |= {r["id"] for r in news(limit=20000)}
    return seen


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join((*PASSAGE_SETS, "news")))
    parser.add_argument("--news-distractors", type=int, default=20000)
    parser.add_argument("--store-root", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--label", default="", help="a name for this run in qa_sets.json")
    args = parser.parse_args(argv)
    root = Path(args.store_root)
    root.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    for name in args.sets.split(","):
        if name == "news":
            results |= news_sets(root, args.news_distractors)
        else:
            results[name] = passage_set(root, name)
        for label in list(results)[-3:] if name == "news" else [name]:
            print(f"{label:>18}: " + " · ".join(f"{k} {v}" for k, v in results[label].items()), flush=True)
    out = root / "qa_sets.json"
    every = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    every[args.label or "latest"] = results
    out.write_text(json.dumps(every, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
