"""What the rules made of each tuning split before any rule was written against it (the
verifier's training data, ``make train-entity-verifier``).

    python -m training.blind_runs

A split's *blind run* is the extractor's output at the commit where the split was first
scored, before it was used for tuning: the nearest thing among our labels to how the rules
do on articles they have never seen, with the kinds of false names that held-out articles
bring. Each commit below is checked out in a temporary git worktree, run on its split's
articles (from ``../shared/data/crud_news``) with that commit's code, and its entities are
written to ``eval/entities/blind/<split>.jsonl`` (name, kind, aliases, region, mentions and
the attributes of its facts).
Needs the repository's history (a full clone).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "eval" / "entities" / "blind"

BLIND_COMMITS = {
    "dev3": "3858898",  # the first run on test2 and dev3 (labels committed there)
    "train": "3858898",
    "dev4": "5cd20b7",  # dev4's first run, before any rule was tuned on it
    "dev5": "53b2be3",  # dev5's first run
}

_DUMP = r"""
import gzip, json, sys
sys.path.insert(0, ".")
from bench.eval_entities import CRUD, crud_article
from ingest._entities import extract_entities
ids = [line.strip() for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
wanted, found = set(ids), {}
with gzip.open(CRUD, "rt", encoding="utf-8") as f:
    for line in f:
        record = json.loads(line)
        if record.get("id") in wanted:
            found[record["id"]] = crud_article(record)
for ref in ids:
    article = found[ref]
    extraction = extract_entities(article)
    entities = [
        {"name": e.name, "kind": e.kind, "aliases": list(e.aliases), "region": e.region,
         "mentions": [[m.name, m.start, m.end, list(m.sentence), m.paragraph] for m in e.mentions],
         "facts": sorted({f.attribute for f in extraction.facts if f.entity == e.name})}
        for e in extraction.entities
    ]
    print(json.dumps({"id": ref, "entities": entities}, ensure_ascii=False))
"""


def blind_run(split: str, commit: str, scratch: Path) -> str:
    """The JSON lines of ``split``'s articles as the code at ``commit`` extracts them."""
    tree = scratch / commit
    if not tree.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(tree), commit], check=True)
    ids = ROOT / "eval" / "entities" / f"ids_{split}.txt"
    result = subprocess.run(
        [sys.executable, "-c", _DUMP, str(ids)],
        cwd=tree,
        env={**os.environ, "PYTHONHASHSEED": "0"},  # the old extractors depend on it (one alias order)
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    return result.stdout


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "trees"
        scratch.mkdir()
        (scratch / "shared").symlink_to(ROOT.parent / "shared")  # each worktree reads ../shared/data
        try:
            for split, commit in BLIND_COMMITS.items():
                (OUT / f"{split}.jsonl").write_text(blind_run(split, commit, scratch), encoding="utf-8")
                print(f"{split}: blind run at {commit}", file=sys.stderr)
        finally:
            for commit in set(BLIND_COMMITS.values()):
                tree = scratch / commit
                if tree.exists():
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


if __name__ == "__main__":
    main()
