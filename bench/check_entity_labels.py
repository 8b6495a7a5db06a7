"""Check hand labels against ``eval/entities/GUIDELINES.md`` before they are used.

    python -m bench.check_entity_labels LABELS.jsonl [--split SPLIT]

Each line must label one article of the split (``ids_SPLIT.txt``; the split is read from the
file name when not given): known kinds and attributes; every name and alias printed verbatim
in the article; every fact's entity a labelled name, its quote a verbatim substring of the
article, and its value inside the quote. Prints one line per problem and exits 1 if any.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.eval_entities import KINDS, load_articles
from ingest._entities import DATE_ATTRIBUTES, ROLES

AMOUNTS = ("产值", "营收", "投资", "总投资", "产能", "税收", "就业", "面积")
ATTRIBUTES = frozenset((*AMOUNTS, *DATE_ATTRIBUTES, *ROLES))


def problems(label: dict, text: str) -> list[str]:
    """What is wrong with one article's labels (empty when nothing is)."""
    found: list[str] = []
    names = set()
    for entity in label.get("entities", []):
        name = entity.get("name", "")
        names.add(name)
        if entity.get("kind") not in KINDS:
            found.append(f"entity {name!r}: kind {entity.get('kind')!r} is not one of {KINDS}")
        for form in (name, *entity.get("aliases", [])):
            if not form or form not in text:
                found.append(f"entity {name!r}: {form!r} is not printed in the article")
        if not isinstance(entity.get("region", ""), str):
            found.append(f"entity {name!r}: region must be a string")
    for fact in label.get("facts", []):
        what = f"fact {fact.get('entity')!r} {fact.get('attribute')!r} {fact.get('value')!r}"
        if fact.get("entity") not in names:
            found.append(f"{what}: its entity is not a labelled entity name")
        if fact.get("attribute") not in ATTRIBUTES:
            found.append(f"{what}: attribute is not one of the guideline's")
        quote = fact.get("quote", "")
        if not quote or quote not in text:
            found.append(f"{what}: quote is not a verbatim substring of the article")
        elif fact.get("value", "") not in quote:
            found.append(f"{what}: value is not inside the quote")
        if not isinstance(fact.get("period", ""), str):
            found.append(f"{what}: period must be a string")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("labels", type=Path)
    parser.add_argument("--split")
    args = parser.parse_args()
    split = args.split or args.labels.stem.split("_")[0]
    articles = load_articles(split)
    bad = 0
    seen: set[str] = set()
    for number, line in enumerate(args.labels.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            label = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"line {number}: not JSON ({exc.msg})")
            bad += 1
            continue
        ref = label.get("id")
        if ref not in articles:
            print(f"line {number}: id {ref!r} is not an article of split {split}")
            bad += 1
            continue
        if ref in seen:
            print(f"line {number}: id {ref!r} labelled twice")
            bad += 1
        seen.add(ref)
        for problem in problems(label, articles[ref].text):
            print(f"line {number} {ref}: {problem}")
            bad += 1
    print(f"{len(seen)} articles, {bad} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
