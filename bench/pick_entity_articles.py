"""Which CRUD news articles the entity labels in ``eval/entities/`` cover, and in which split.

    python -m bench.pick_entity_articles [--check] [--dump DIR]

The candidates are the articles of ``../shared/data/crud_news`` under 1,500 characters that
mention a park/town word (园区, 开发区, 高新区, 专业镇, 产业园, 经开区, 示范区, 特色小镇) and
项目, ordered by SHA-256 of their id. Positions in that order fix the splits for good:

| positions | split | labelled |
|---|---|---|
| 0–49 | ``test`` (the first held-out set) | 2026-11 |
| 50–79 | ``dev`` | 2026-11 |
| 300–344 | ``dev2`` | 2026-11 |
| 80–143 | ``test2`` (the new held-out set: never tuned on) | 2026-12-02 |
| 144–175 | ``dev3`` | 2026-12-02 |
| 176–239 | ``train`` (may train learned parts) | 2026-12-02 |
| 240–299 | ``dev4`` (tuning; labelled without the extractor) | 2026-12-03 |
| 345–404 | ``dev5`` (tuning; labelled without the extractor) | 2026-12-03 |
| 405–468 | ``test3`` (held out: never tuned on; labelled without the extractor) | 2026-12-03 |

``--check`` verifies that every ``ids_SPLIT.txt`` matches the table (the ids files are the
record; this script says where they came from). ``--dump DIR`` writes each split's articles
as the extractor sees them (``bench.eval_entities.crud_article``), one JSON line per article
(``id``, ``title``, ``text``), for labelling.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from pathlib import Path

from bench.eval_entities import CRUD, LABELS, crud_article

WORDS = ("园区", "开发区", "高新区", "专业镇", "产业园", "经开区", "示范区", "特色小镇")
MAX_CHARS = 1500
SPLITS = {"test": (0, 50), "dev": (50, 80), "dev2": (300, 345), "test2": (80, 144), "dev3": (144, 176),
          "train": (176, 240), "dev4": (240, 300), "dev5": (345, 405),
          "test3": (405, 469)}  # fmt: skip


def candidates() -> tuple[list[str], dict[str, dict]]:
    """Candidate ids in SHA-256 order, and their records."""
    records: dict[str, dict] = {}
    with gzip.open(CRUD, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = record["text"]
            if len(text) < MAX_CHARS and "项目" in text and any(word in text for word in WORDS):
                records[record["id"]] = record
    order = sorted(records, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    return order, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    order, records = candidates()
    for split, (start, end) in SPLITS.items():
        ids = order[start:end]
        path = LABELS / f"ids_{split}.txt"
        if args.check:
            recorded = path.read_text().split() if path.exists() else []
            print(f"{split:6s} {'ok' if recorded == ids else 'DIFFERS'} ({len(ids)} articles)")
        elif not path.exists():
            path.write_text("\n".join(ids) + "\n")
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            with (args.dump / f"{split}.jsonl").open("w", encoding="utf-8") as out:
                for ref in ids:
                    article = crud_article(records[ref])
                    out.write(json.dumps({"id": ref, "title": article.title, "text": article.text}, ensure_ascii=False))
                    out.write("\n")


if __name__ == "__main__":
    main()
