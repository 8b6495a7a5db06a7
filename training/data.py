"""Every shared data set (``../shared/data``), one loader each, and its one fixed split.

Splits are by passage (or, for news questions, by article), chosen by the SHA-256 of the
key, so every script — training, calibration, benchmarks — agrees and nothing moves when
a set is read again. Each set's parts:

- ``train``: what the answer scorer learns from;
- ``calib``: what the answerability model and its threshold are fitted on;
- ``test``: reported, never tuned on.

| set | train | calib | test | licence |
|---|---|---|---|---|
| CMRC 2018 train | 97 % | 3 % (the scorer's validation) | – | CC BY-SA 4.0 |
| CMRC 2018 dev | – | first 2/3 | last 1/3 | CC BY-SA 4.0 |
| DRCD dev | 80 % | 10 % | 10 % | CC BY-SA 3.0 |
| DuReader-checklist dev | 50 % | 25 % | 25 % | non-commercial research only |
| ChineseSquad (SQuAD 2.0 zh) dev | 80 % | 10 % | 10 % | non-commercial research only |
| CJRC | 80 % | 10 % | 10 % | none stated |
| XQuAD zh | – | – | all | CC BY-SA 4.0 |
| CRUD-RAG news questions | 50 % | 25 % | 25 % | Apache-2.0 |
| paraphrase pairs | BQ, AFQMC train; LCQMC, QBQTC dev | – | the other dev/test splits | none stated |

ChineseSquad passages whose article also appears in XQuAD (the same SQuAD items, translated
twice) are kept out of training, so XQuAD stays an outside check. The articles of the news
held-out set (``eval/news_holdout_ids.txt``) are never read for training or calibration,
not even as distractors. Weights trained on this mix inherit the strictest of these terms:
**non-commercial research only** (as the bundled m3e-small already is).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
CRUD = SHARED / "crud_news" / "articles.jsonl.gz"
NEWS_HOLDOUT_IDS = ROOT / "eval" / "news_holdout_ids.txt"

Part = Literal["train", "calib", "test", "all"]
Set = Literal["cmrc_train", "cmrc_dev", "drcd", "dureader", "squad2", "cjrc", "xquad", "crud_qa"]


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class QA:
    """One question; ``answers`` is empty for an unanswerable one (its passage is on topic
    but does not hold the answer)."""

    id: str
    question: str
    answers: tuple[str, ...]
    passage_id: str
    answerable: bool = True
    kind: str = ""  # the set's own question type, where it has one (DuReader-checklist)


@dataclass(frozen=True)
class DataSet:
    name: Set
    folder: str
    licence: str
    shares: tuple[int, int, int]  # percent train / calib / test


SETS: dict[Set, DataSet] = {
    "cmrc_train": DataSet("cmrc_train", "cmrc2018_train", "CC BY-SA 4.0", (97, 3, 0)),  # calib: scorer validation
    "cmrc_dev": DataSet("cmrc_dev", "cmrc2018_dev", "CC BY-SA 4.0", (0, 67, 33)),  # the old fixed split
    "drcd": DataSet("drcd", "drcd_dev", "CC BY-SA 3.0", (80, 10, 10)),
    "dureader": DataSet("dureader", "dureader_checklist_dev", "non-commercial research only", (50, 25, 25)),
    "squad2": DataSet("squad2", "chinese_squad2_dev", "non-commercial research only", (80, 10, 10)),
    "cjrc": DataSet("cjrc", "cjrc", "none stated", (80, 10, 10)),
    "xquad": DataSet("xquad", "xquad_zh", "CC BY-SA 4.0", (0, 0, 100)),
    "crud_qa": DataSet("crud_qa", "crud_news_qa", "Apache-2.0", (50, 25, 25)),
}
STRICTEST_LICENCE = "non-commercial research only"


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _bucket(key: str) -> int:
    """0..99, fixed by the key."""
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 100


def part_of(key: str, shares: tuple[int, int, int]) -> Part:
    b = _bucket(key)
    return "train" if b < shares[0] else "calib" if b < shares[0] + shares[1] else "test"


@cache
def _passages(folder: str) -> dict[str, Passage]:
    rows = _read(SHARED / folder / "passages.jsonl.gz")
    return {r["id"]: Passage(r["id"], r.get("title") or "", r["text"]) for r in rows}


def _questions(folder: str) -> list[QA]:
    return [
        QA(
            r["id"],
            r["question"],
            tuple(r["answers"]),
            r["passage_id"],
            bool(r.get("answerable", True)) and bool(r["answers"]),
            r.get("type", ""),
        )
        for r in _read(SHARED / folder / "questions.jsonl.gz")
    ]


@cache
def _xquad_titles() -> frozenset[str]:
    return frozenset(p.title for p in _passages("xquad_zh").values())


def _passage_part(name: Set, passage: Passage) -> Part:
    spec = SETS[name]
    if name == "cmrc_dev":
        return _cmrc_dev_parts()[passage.id]
    if name == "squad2" and passage.title in _xquad_titles():
        return "test"
    return part_of(passage.id, spec.shares)


@cache
def _cmrc_dev_parts() -> dict[str, Part]:
    """The split every earlier figure used: passages by SHA-256 of their id, the first two
    thirds calibration (then called "training part"), the last third test."""
    ordered = sorted(_passages("cmrc2018_dev"), key=lambda pid: hashlib.sha256(pid.encode()).hexdigest())
    cut = len(ordered) * 2 // 3
    return {pid: ("calib" if i < cut else "test") for i, pid in enumerate(ordered)}


def qa_set(name: Set, part: Part = "all") -> tuple[dict[str, Passage], list[QA]]:
    """Passages and questions of one part of a passage-based set."""
    if name == "crud_qa":
        raise ValueError("crud_qa is over news articles: use news_questions()")
    spec = SETS[name]
    every = _passages(spec.folder)
    keep = {pid: p for pid, p in every.items() if part == "all" or _passage_part(name, p) == part}
    return keep, [q for q in _questions(spec.folder) if q.passage_id in keep]


def cmrc_part(part: Literal["train", "test", "all"]) -> tuple[dict[str, Passage], list[QA]]:
    """CMRC 2018 dev by the old names: ``train`` is the calibration two thirds."""
    return qa_set("cmrc_dev", "calib" if part == "train" else part)


@dataclass(frozen=True)
class NewsQA:
    id: str
    question: str
    answers: tuple[str, ...]
    article_ids: tuple[str, ...]


def news_questions(part: Part = "all") -> list[NewsQA]:
    """CRUD-RAG questions over ``crud_news`` articles, split by their first article."""
    rows = _read(SHARED / "crud_news_qa" / "questions.jsonl.gz")
    found = []
    for r in rows:
        ids = tuple(sorted(r["article_ids"]))
        if part == "all" or part_of(ids[0], SETS["crud_qa"].shares) == part:
            found.append(NewsQA(r["id"], r["question"], tuple(r["answers"]), ids))
    return found


@cache
def held_out_news_ids() -> frozenset[str]:
    """Articles of the news held-out set: never training, calibration or distractor data."""
    if not NEWS_HOLDOUT_IDS.exists():
        return frozenset()
    return frozenset(line.strip() for line in NEWS_HOLDOUT_IDS.read_text(encoding="utf-8").splitlines() if line.strip())


@cache
def news_qa_article_ids(part: Part = "all") -> frozenset[str]:
    """Articles the CRUD news questions of ``part`` are about."""
    return frozenset(a for q in news_questions(part) for a in q.article_ids)


@cache
def not_for_training() -> frozenset[str]:
    """News articles training must not read, not even as distractors: the held-out set's
    and those of the calibration and test questions."""
    return held_out_news_ids() | news_qa_article_ids("calib") | news_qa_article_ids("test")


def news(limit: int | None = None, skip: int = 0, *, exclude_held_out: bool = True) -> Iterator[dict]:
    """CRUD news records ``{"id", "text"}`` in file order (held-out articles left out)."""
    banned = held_out_news_ids() if exclude_held_out else frozenset()
    with gzip.open(CRUD, "rt", encoding="utf-8") as fh:
        rows = (json.loads(line) for line in itertools.islice(fh, skip, None if limit is None else skip + limit))
        yield from (r for r in rows if r["id"] not in banned)


def news_articles(ids: set[str] | frozenset[str]) -> dict[str, dict]:
    """The CRUD news records with these ids (one pass over the corpus); the held-out set's
    articles only when asked for by the evaluation (never by training or calibration)."""
    found = {}
    with gzip.open(CRUD, "rt", encoding="utf-8") as fh:
        for line in fh:
            if any(i in line[:80] for i in ids):
                row = json.loads(line)
                if row["id"] in ids:
                    found[row["id"]] = row
    return found


@dataclass(frozen=True)
class TextPair:
    set: str
    a: str
    b: str
    label: int


def paraphrase_pairs(split: Literal["train", "eval"]) -> list[TextPair]:
    """LCQMC, BQ, AFQMC, PAWS-X, OPPO and QBQTC pairs. Training: BQ and AFQMC train, and the
    dev splits of LCQMC and QBQTC (the two closest to search questions, which have no train
    split here); evaluation: everything else. QBQTC's graded relevance 1/2 counts as related."""
    rows = _read(SHARED / "paraphrase_pairs" / "pairs.jsonl.gz")

    def is_train(r: dict) -> bool:
        return r["split"] == "train" or (r["set"] in ("lcqmc", "qbqtc") and r["split"] == "dev")

    return [TextPair(r["set"], r["a"], r["b"], int(r["label"] > 0)) for r in rows if is_train(r) == (split == "train")]
