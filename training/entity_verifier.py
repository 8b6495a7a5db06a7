"""Train the entity verifier (``make train-entity-verifier``): a logistic model that keeps or
drops each entity the rules found.

    python -m training.entity_verifier [--cv-only]

Data: the rules' own output on the tuning splits of ``eval/entities/`` (sample, dev, dev2,
dev3, dev4, dev5, train); an entity is positive when ``bench.eval_entities`` matches it to a
label, negative when it is a false positive. ``test``, ``test2`` and ``test3`` are never
read. The regularisation and the drop threshold (one for every kind) are chosen by leave-one-split-out
cross-validation (each tuning split scored by a model trained on the others), then the
model is fitted on all of them. Takes seconds on two cores.

Writes ``ingest/models/entity_verifier.json``: the weights (features in
``ingest/_entities/verifier.py``), the threshold per kind (one value), and the cross-validated entity
precision, recall and F1 with and without the verifier. The labels are our own
(``eval/entities/GUIDELINES.md``) over CRUD news articles (``../shared/data/README.md``).
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import sys
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from bench.eval_entities import LABELS, load_articles, load_labels, match_entities
from ingest._entities import EntityRecord, Extraction, Mention, extract_entities
from ingest._entities.verifier import WEIGHTS, fact_attributes, features

KINDS = ("place", "town", "park", "project", "company")
BLIND = LABELS / "blind"
TUNING = ("sample", "dev", "dev2", "dev3", "dev4", "dev5", "train")
FOLDS = ("dev", "dev2", "dev3", "dev4", "dev5", "train")
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
THRESHOLD_GRID = tuple(round(0.05 * i, 2) for i in range(0, 14))


@dataclass
class Example:
    split: str
    kind: str
    features: dict[str, int]
    positive: bool
    blind: bool = False


def _blind() -> dict[str, list[tuple[EntityRecord, list[str]]]]:
    """Each article's blind-run entities with the attributes of their facts."""
    out: dict[str, list[tuple[EntityRecord, list[str]]]] = {}
    for path in BLIND.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out[row["id"]] = [
                (
                    EntityRecord(
                        e["name"],
                        e["kind"],
                        tuple(e["aliases"]),
                        e["region"],
                        tuple(Mention(m[0], m[1], m[2], (m[3][0], m[3][1]), m[4]) for m in e["mentions"]),
                    ),
                    e["facts"],
                )
                for e in row["entities"]
            ]
    return out


def collect() -> tuple[list[Example], dict[str, dict[str, int]]]:
    """Examples from every tuning split, and how many labels each split holds per kind."""
    blind = _blind()
    examples: list[Example] = []
    gold: dict[str, dict[str, int]] = {}
    for split in TUNING:
        articles = load_articles(split)
        counts: dict[str, int] = {}
        for item in load_labels(split):
            article = articles[item["id"]]
            for label in item["entities"]:
                counts[label["kind"]] = counts.get(label["kind"], 0) + 1
            extraction = extract_entities(article, verify=False)
            matched = match_entities(extraction, item["entities"])
            attributes = fact_attributes(extraction.facts)
            for entity in extraction.entities:
                feats = dict.fromkeys(features(entity, article.text, attributes.get(entity.name, ())), 1)
                examples.append(Example(split, entity.kind, feats, entity.name in matched))
            run = blind.get(item["id"], [])
            matched = match_entities(Extraction(tuple(e for e, _ in run), ()), item["entities"])
            for entity, found in run:
                feats = dict.fromkeys(features(entity, article.text, found), 1)
                examples.append(Example(split, entity.kind, feats, entity.name in matched, blind=True))
        gold[split] = counts
    return examples, gold


def _fit(examples: list[Example], c: float) -> tuple[DictVectorizer, LogisticRegression]:
    vec = DictVectorizer()
    x = vec.fit_transform([e.features for e in examples])
    y = np.array([e.positive for e in examples])
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, y)
    return vec, model


def _f1(examples: list[Example], probs: np.ndarray, gold: dict[str, dict[str, int]], thresholds: dict[str, float]):
    tp = fp = 0
    for e, p in zip(examples, probs, strict=True):
        if p >= thresholds.get(e.kind, 0.0):
            tp += e.positive
            fp += not e.positive
    total = sum(sum(gold[s].values()) for s in {e.split for e in examples})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / total if total else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def out_of_fold(examples: list[Example], c: float) -> np.ndarray:
    """Each fold split's examples scored by a model trained on the other splits only."""
    probs = np.ones(len(examples))
    for fold in FOLDS:
        vec, model = _fit([e for e in examples if e.split != fold], c)
        index = [i for i, e in enumerate(examples) if e.split == fold]
        probs[index] = model.predict_proba(vec.transform([examples[i].features for i in index]))[:, 1]
    return probs


def _scores(examples: list[Example], probs: np.ndarray, gold: dict[str, dict[str, int]], blind: bool, t: float) -> dict:
    """Entity P/R/F1 of the fold splits' outputs (the blind runs' or today's) with threshold ``t``."""
    index = [i for i, e in enumerate(examples) if e.blind == blind and e.split in FOLDS]
    chosen = [examples[i] for i in index]
    p, r, f = _f1(chosen, probs[index], gold, dict.fromkeys(KINDS, t))
    return {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4)}


def choose(examples: list[Example], gold: dict[str, dict[str, int]]) -> tuple[float, float, dict]:
    """The C and threshold with the best cross-validated F1 on the blind runs.

    The blind runs are what rules not yet tuned on an article make of it: the nearest thing
    to a held-out split among the tuning labels, so they pick the threshold."""
    best: tuple[float, float, float, np.ndarray] | None = None
    for c in C_GRID:
        probs = out_of_fold(examples, c)
        for t in THRESHOLD_GRID:
            f1 = _scores(examples, probs, gold, True, t)["F1"]
            if best is None or f1 > best[0]:
                best = (f1, c, t, probs)
    assert best is not None
    _, c, t, probs = best
    report: dict = {"C": c, "threshold": t}
    for blind, name in ((True, "blind runs"), (False, "today's rules")):
        report[name] = {
            "rules": _scores(examples, probs, gold, blind, 0.0),
            "verified": _scores(examples, probs, gold, blind, t),
        }
    return c, t, report


def input_digests() -> dict[str, str]:
    """SHA-256 of what the weights depend on — the tuning labels, the blind runs and the
    feature code — so a test can tell that the bundled weights are out of date."""
    labels, blind = hashlib.sha256(), hashlib.sha256()
    for split in TUNING:
        labels.update((LABELS / f"{split}.jsonl").read_bytes())
    for path in sorted(BLIND.glob("*.jsonl")):
        blind.update(path.name.encode() + path.read_bytes())
    code = hashlib.sha256(inspect.getsource(features).encode())
    return {"labels_sha256": labels.hexdigest(), "blind_sha256": blind.hexdigest(), "features_sha256": code.hexdigest()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv-only", action="store_true", help="report the cross-validation, write nothing")
    args = parser.parse_args(argv)
    examples, gold = collect()
    c, t, report = choose(examples, gold)
    thresholds = dict.fromkeys(KINDS, t)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.cv_only:
        return
    vec, model = _fit(examples, c)
    pairs = zip(vec.feature_names_, model.coef_[0], strict=True)
    weights = {name: round(float(w), 5) for name, w in pairs if abs(w) > 1e-5}
    WEIGHTS.write_text(
        json.dumps(
            {
                "command": "python -m training.entity_verifier",
                "labels": list(TUNING),
                **input_digests(),
                "examples": len(examples),
                "positives": sum(e.positive for e in examples),
                "cross_validation": report,
                "thresholds": thresholds,
                "intercept": round(float(model.intercept_[0]), 5),
                "weights": dict(sorted(weights.items())),
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {WEIGHTS} ({len(weights)} weights)", file=sys.stderr)


if __name__ == "__main__":
    main()
