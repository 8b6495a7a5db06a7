"""The shared evaluation data (``../shared/data``) and its one fixed split.

CMRC 2018 dev is split once, by passage: passages ordered by the SHA-256 of their id, the
first two thirds are the *training/calibration* part (everything learned or tuned comes
from it, together with DRCD dev), the last third is the *test* part (figures are reported
on it and nothing is tuned on it). The split never changes, so every script agrees.

Licences: CMRC 2018 (CC BY-SA 4.0), DRCD (CC BY-SA 3.0), CRUD-RAG news (Apache-2.0; article
text copyright stays with the outlets). See ``../shared/data/README.md``.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
CMRC = SHARED / "cmrc2018_dev"
DRCD = SHARED / "drcd_dev"
CRUD = SHARED / "crud_news" / "articles.jsonl.gz"

Part = Literal["train", "test", "all"]


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class QA:
    id: str
    question: str
    answers: tuple[str, ...]
    passage_id: str


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def passages(folder: Path) -> dict[str, Passage]:
    return {r["id"]: Passage(r["id"], r["title"], r["text"]) for r in _read(folder / "passages.jsonl.gz")}


def questions(folder: Path) -> list[QA]:
    return [
        QA(r["id"], r["question"], tuple(r["answers"]), r["passage_id"]) for r in _read(folder / "questions.jsonl.gz")
    ]


def cmrc_part(part: Part) -> tuple[dict[str, Passage], list[QA]]:
    """CMRC dev passages and questions of one part of the fixed split (see module docstring)."""
    every = passages(CMRC)
    ordered = sorted(every, key=lambda pid: hashlib.sha256(pid.encode()).hexdigest())
    cut = len(ordered) * 2 // 3
    keep = set(ordered if part == "all" else ordered[:cut] if part == "train" else ordered[cut:])
    return {pid: every[pid] for pid in ordered if pid in keep}, [q for q in questions(CMRC) if q.passage_id in keep]


def drcd() -> tuple[dict[str, Passage], list[QA]]:
    """DRCD dev (simplified Chinese): training data only."""
    return passages(DRCD), questions(DRCD)


def news(limit: int | None = None, skip: int = 0) -> Iterator[dict]:
    """CRUD news records ``{"id", "text"}`` in file order."""
    with gzip.open(CRUD, "rt", encoding="utf-8") as fh:
        yield from (json.loads(line) for line in itertools.islice(fh, skip, None if limit is None else skip + limit))
