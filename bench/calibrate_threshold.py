"""Sweep the "not found" threshold (how RELEVANCE_THRESHOLD was chosen).

    python -m bench.calibrate_threshold [--store DIR] [--cmrc N]

Runs the sample-article QA sets (answerable and off-corpus questions) and, with --cmrc N,
the first N CMRC dev questions (answerable only), at each threshold, and prints answer
accuracy, refusal accuracy and false refusals. The store must hold the sample articles
(and the CMRC passages for --cmrc); a store that also holds thousands of unrelated news
articles makes the off-corpus questions a fair test.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
from pathlib import Path

from assistant import Assistant
from assistant.eval import evaluate, load_rows
from docs_store import Settings, open_store

ROOT = Path(__file__).resolve().parent.parent
CMRC = ROOT.parent / "shared" / "data" / "cmrc2018_dev" / "questions.jsonl.gz"
THRESHOLDS = [0.3, 0.4, 0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.75, 0.8, 0.9]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", help="store directory (default $DOCS_STORE_DIR)")
    parser.add_argument("--cmrc", type=int, default=0, help="also answer the first N CMRC dev questions")
    args = parser.parse_args()
    settings = Settings.from_env(**({"store_dir": Path(args.store)} if args.store else {}))
    sample = load_rows(ROOT / "eval" / "sample_qa.jsonl") + load_rows(ROOT / "eval" / "holdout_qa.jsonl")
    cmrc = []
    if args.cmrc:
        with gzip.open(CMRC, "rt", encoding="utf-8") as fh:
            cmrc = [{"q": q["question"], "answers": q["answers"]} for q in map(json.loads, fh)][: args.cmrc]
    with open_store(settings) as store:
        chosen = Assistant(store, settings).threshold
        print("threshold | sample answer acc | sample refusal acc | cmrc answer acc | cmrc false refusals")
        for threshold in THRESHOLDS:
            bot = Assistant(store, dataclasses.replace(settings, answer_threshold=threshold))
            s = evaluate(sample, bot)
            c = evaluate(cmrc, bot) if cmrc else {"answer_accuracy": None, "false_refusals": None}
            mark = "  <- in use" if threshold == chosen else ""
            print(
                f"{threshold:9.2f} | {s['answer_accuracy']:.3f} | {s['refusal_accuracy']:.3f} |"
                f" {c['answer_accuracy']} | {c['false_refusals']}{mark}"
            )


if __name__ == "__main__":
    main()
