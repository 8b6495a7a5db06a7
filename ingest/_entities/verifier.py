"""A learned check on what the rules found: drops entities that do not look like the names
people label.

The rules propose; this scores each proposed entity with a logistic model over plain
features of its name, the words around its mentions and the facts the rules gave it (its
last and first characters, its length, what stands before and after it, whether it is
quoted, holds digits or Latin letters or opens a sentence, which figures it has) and keeps
it unless the model finds it more likely than not no name of its kind (a policy phrase
such as “两高一低”项目, a place read from a dateline). The weights come
from ``python -m training.entity_verifier`` (``make train-entity-verifier``) over the tuning
labels in ``eval/entities/``; held-out splits are never read. Scoring one article costs a
few dictionary look-ups per entity, so it runs on every ingest.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .types import EntityRecord, FactRecord

WEIGHTS = Path(__file__).resolve().parent.parent / "models" / "entity_verifier.json"

_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9０-９一二三四五六七八九十]")


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def features(entity: EntityRecord, text: str, attributes: Iterable[str] = ()) -> list[str]:
    """The entity's features as strings (each present feature has value 1).

    Every feature is crossed with the kind: what marks a false park differs from what marks
    a false place. Nothing depends on the article's length (how often a name recurs, whether
    it only stands in the lead): cross-validated, such features gained nothing and made a
    name in a one-sentence article look false."""
    name = entity.name
    k = entity.kind
    out = [
        "bias",
        f"suf1={name[-1:]}",
        f"suf2={name[-2:]}",
        f"pre1={name[:1]}",
        f"len={_bucket(len(name), (2, 3, 4, 6, 9, 14))}",
        f"region={'yes' if entity.region else 'no'}",
    ]
    if "“" in name or "”" in name or '"' in name:
        out.append("quoted")
    if _LATIN.search(name):
        out.append("latin")
    if _DIGIT.search(name):
        out.append("digit")
    if any(ch in name for ch in "、和及与"):
        out.append("joined")
    out.extend(f"fact={a}" for a in sorted(set(attributes)))
    seen: set[str] = set()
    for m in entity.mentions:
        before = text[max(0, m.start - 2) : m.start]
        after = text[m.end : m.end + 2]
        for feature in (f"l1={before[-1:]}", f"l2={before}", f"r1={after[:1]}", f"r2={after}"):
            if feature not in seen:
                seen.add(feature)
                out.append(feature)
    if any(m.start == m.sentence[0] for m in entity.mentions):
        out.append("opens-sentence")
    return [f"{k}|{f}" for f in out]


def fact_attributes(facts: Iterable[FactRecord]) -> dict[str, set[str]]:
    """Entity name → the attributes of its facts (the verifier's ``fact=`` features)."""
    found: dict[str, set[str]] = {}
    for fact in facts:
        found.setdefault(fact.entity, set()).add(fact.attribute)
    return found


@dataclass(frozen=True)
class Verifier:
    """Weights per feature and the probability below which an entity of a kind is dropped."""

    weights: dict[str, float]
    intercept: float
    thresholds: dict[str, float]
    digest: str = ""
    """The first 12 hex digits of the weights file's SHA-256 (a store re-extracts when it changes)."""

    def probability(self, entity: EntityRecord, text: str, attributes: Iterable[str] = ()) -> float:
        """How likely ``entity`` is a labelled name; ``attributes``: those of its facts."""
        score = self.intercept + sum(self.weights.get(f, 0.0) for f in features(entity, text, attributes))
        return 1.0 / (1.0 + math.exp(-score))

    def keep(self, entity: EntityRecord, text: str, attributes: Iterable[str] = ()) -> bool:
        return self.probability(entity, text, attributes) >= self.thresholds.get(entity.kind, 0.0)

    def apply(
        self, entities: list[EntityRecord], facts: list[FactRecord], text: str
    ) -> tuple[list[EntityRecord], list[FactRecord]]:
        """The entities it keeps, and the facts that still name one of them."""
        attributes = fact_attributes(facts)
        kept = [e for e in entities if self.keep(e, text, attributes.get(e.name, ()))]
        if len(kept) == len(entities):
            return entities, facts
        names = {e.name for e in kept}  # facts name their entity, not its kind: a fact
        return kept, [f for f in facts if f.entity in names]  # stays while one kind of that name does


@lru_cache(maxsize=1)
def shared_verifier() -> Verifier | None:
    """The bundled weights, or ``None`` when none are bundled (the rules alone then)."""
    if not WEIGHTS.exists():
        return None
    raw = WEIGHTS.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return Verifier(dict(data["weights"]), float(data["intercept"]), dict(data["thresholds"]), digest)
