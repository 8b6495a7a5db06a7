"""Entity and fact extraction against the hand labels in ``eval/entities/``.

    python -m bench.eval_entities [--split sample|dev|dev2|dev3|dev4|dev5|train|test|test2|test3] [-v]

Labels and what counts are defined in ``eval/entities/GUIDELINES.md``. An extracted entity
matches a labelled one of the same kind when its name equals the label's name or one of its
aliases, or one of its aliases equals the label's name (after NFKC and dropping spaces); each
label is matched at most once, so a second extracted entity for the same label is a false
positive. A fact matches when its entity matches the labelled fact's entity, the attribute is
equal and the normalised number is equal (dates and designations: the value string is equal).

The primary metric is entity F1; fact precision is reported beside it because a wrong figure
is worse than a missing one. ``sample`` and ``dev``…``dev5`` are for tuning, ``train``
for learned parts; ``test``, ``test2`` and ``test3`` are for reporting.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest import Article, _jsonl, article_from_text, parse_file
from ingest._entities import DATE_ATTRIBUTES, ROLES, Extraction, extract_entities, normalise_amount, shared_tagger

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "eval" / "entities"
SAMPLE_PAGE = ROOT / "data" / "articles" / "000_3a8c5979ebe92109.txt"
CRUD = ROOT.parent / "shared" / "data" / "crud_news" / "articles.jsonl.gz"
KINDS = ("place", "town", "park", "project", "company")
PRIMARY_METRIC = "entity_f1"
SPLITS = ("sample", "dev", "dev2", "dev3", "dev4", "dev5", "train", "test", "test2", "test3")
ROLE_LABELLED_SPLITS = ("sample", "dev3", "dev4", "dev5", "train", "test2", "test3")
"""Splits labelled with guideline v2 (role facts); elsewhere role facts are counted, not scored."""


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name).replace(" ", "").strip()


def load_labels(split: str) -> list[dict]:
    with open(LABELS / f"{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def crud_article(record: dict) -> Article:
    """A crud_news record as ``python -m ingest`` builds it: the ``…，正文：`` header cut off
    the way ``ingest/_jsonl.py`` cuts it, the rest one paragraph per line."""
    text = record["text"]
    split = getattr(_jsonl, "split_date_prefix", None)
    if split is not None:
        text = split(text)[1]
    else:
        match = _jsonl._DATE_PREFIX_RE.match(text)
        text = text[match.end() :] if match else text
    return article_from_text(text, "crud", ref=str(record["id"]))


def load_articles(split: str) -> dict[str, Article]:
    """The articles a split labels, keyed by the label's ``id``."""
    if split == "sample":
        return {article.title: article for article in parse_file(SAMPLE_PAGE)}
    wanted = {line.strip() for line in (LABELS / f"ids_{split}.txt").read_text().splitlines() if line.strip()}
    found: dict[str, Article] = {}
    with gzip.open(CRUD, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record.get("id") in wanted:
                found[record["id"]] = crud_article(record)
                if len(found) == len(wanted):
                    break
    return found


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    entities: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    facts: Tally = field(default_factory=Tally)
    unscored: int = 0
    """Role facts on splits labelled before roles were (guideline v2)."""
    regions: Tally = field(default_factory=Tally)
    """Matched entities whose label names a region: tp when the extracted chain holds it,
    fp when the chain does not, fn when the extraction gives no region at all."""
    errors: list[str] = field(default_factory=list)


def _label_forms(label: dict) -> set[str]:
    return {_norm(label["name"]), *(_norm(a) for a in label.get("aliases", []))}


def match_entities(extraction: Extraction, labels: list[dict]) -> dict[str, str]:
    """Extracted canonical name → matched label name, one to one (exact names first)."""
    matched: dict[str, str] = {}
    used: set[int] = set()
    for exact in (True, False):
        for entity in extraction.entities:
            if entity.name in matched:
                continue
            names = {_norm(entity.name)}
            aliases = {_norm(a) for a in entity.aliases}
            for i, label in enumerate(labels):
                if i in used or label["kind"] != entity.kind:
                    continue
                hit = (
                    _norm(label["name"]) in names
                    if exact
                    else bool(names & _label_forms(label) or _norm(label["name"]) in aliases)
                )
                if hit:
                    matched[entity.name] = label["name"]
                    used.add(i)
                    break
    return matched


def _fact_key(entity: str, attribute: str, value: str, number: float | None) -> tuple:
    if attribute in DATE_ATTRIBUTES:
        return (entity, attribute, _norm(value))
    if number is None:
        number = normalise_amount(_norm(value))[0]
    return (entity, attribute, round(number, 3) if number is not None else _norm(value))


def evaluate(split: str, *, verbose: bool = False, tagger: bool = False, verify: bool = True) -> tuple[Report, float]:
    """Score one split; returns the report and the mean extraction time in milliseconds."""
    labels = load_labels(split)
    articles = load_articles(split)
    report = Report()
    elapsed = 0.0
    for item in labels:
        article = articles.get(item["id"])
        if article is None:
            raise SystemExit(f"{split}: no article for label id {item['id']!r}")
        t0 = time.perf_counter()
        extraction = extract_entities(article, tagger=shared_tagger() if tagger else None, verify=verify)
        elapsed += time.perf_counter() - t0
        gold = item["entities"]
        matched = match_entities(extraction, gold)
        matched_labels = set(matched.values())
        for entity in extraction.entities:
            tally = report.by_kind[entity.kind]
            if entity.name in matched:
                tally.tp += 1
                report.entities.tp += 1
            else:
                tally.fp += 1
                report.entities.fp += 1
                report.errors.append(f"{item['id']}  FP {entity.kind:<8} {entity.name}  aliases={list(entity.aliases)}")
        _score_regions(extraction, gold, matched, report, item["id"])
        for label in gold:
            if label["name"] not in matched_labels:
                report.by_kind[label["kind"]].fn += 1
                report.entities.fn += 1
                report.errors.append(f"{item['id']}  FN {label['kind']:<8} {label['name']}")
        gold_facts = Counter(_fact_key(f["entity"], f["attribute"], f["value"], None) for f in item.get("facts", []))
        for fact in extraction.facts:
            if fact.attribute in ROLES and split not in ROLE_LABELLED_SPLITS:
                report.unscored += 1
                continue
            key = _fact_key(matched.get(fact.entity, "?" + fact.entity), fact.attribute, fact.value, fact.number)
            if gold_facts[key] > 0:
                gold_facts[key] -= 1
                report.facts.tp += 1
            else:
                report.facts.fp += 1
                quote = article.text[fact.sentence[0] : fact.sentence[1]][:60]
                report.errors.append(
                    f"{item['id']}  FP fact {fact.entity} {fact.attribute} {fact.value} [{fact.period}]  «{quote}»"
                )
        for key, count in gold_facts.items():
            for _ in range(count):
                report.facts.fn += 1
                report.errors.append(f"{item['id']}  FN fact {key[0]} {key[1]} {key[2]}")
    mean_ms = 1000 * elapsed / max(1, len(labels))
    if verbose:
        for line in report.errors:
            print(line)
    return report, mean_ms


def _core(place: str) -> str:
    """定襄县 → 定襄, 忻州市 → 忻州: labels and chains may write a unit either way."""
    place = _norm(place)
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "省", "市", "县", "区"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def _score_regions(extraction: Extraction, gold: list[dict], matched: dict[str, str], report: Report, ref: str) -> None:
    by_label = {label["name"]: label for label in gold}
    for entity in extraction.entities:
        label = by_label.get(matched.get(entity.name, ""))
        if label is None or not label.get("region"):
            continue
        chain = {_core(unit) for unit in entity.region.split("/") if unit}
        if not chain:
            report.regions.fn += 1
            report.errors.append(f"{ref}  FN region {entity.name}: {label['region']}")
        elif _core(label["region"]) in chain:
            report.regions.tp += 1
        else:
            report.regions.fp += 1
            report.errors.append(f"{ref}  FP region {entity.name}: {entity.region} (label {label['region']})")


def summary(report: Report) -> dict[str, float]:
    """The metrics as a dict; :data:`PRIMARY_METRIC` names the one to optimise."""
    metrics = {
        "entity_precision": report.entities.precision,
        "entity_recall": report.entities.recall,
        "entity_f1": report.entities.f1,
        "fact_precision": report.facts.precision,
        "fact_recall": report.facts.recall,
        "region_precision": report.regions.precision,
        "region_recall": report.regions.recall,
    }
    for kind, tally in report.by_kind.items():
        metrics[f"{kind}_precision"] = tally.precision
        metrics[f"{kind}_recall"] = tally.recall
    return metrics


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description="Entity/fact extraction against eval/entities labels.")
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("-v", "--verbose", action="store_true", help="list false positives and misses")
    parser.add_argument("--tagger", action="store_true", help="the rules take the name tagger's edges")
    parser.add_argument("--no-verifier", action="store_true", help="keep every name the rules found")
    args = parser.parse_args(argv)
    if args.tagger:  # the tagger's one-time build is not per-article time
        extract_entities(article_from_text("预热。", "warm"), tagger=shared_tagger())
    report, mean_ms = evaluate(args.split, verbose=args.verbose, tagger=args.tagger, verify=not args.no_verifier)
    e, f = report.entities, report.facts
    tagger = ("rules + tagger" if args.tagger else "rules") + (" + verifier" if not args.no_verifier else "")
    print(f"split={args.split}  {tagger}  extraction {mean_ms:.2f} ms/article")
    print(f"entities  P={e.precision:.3f} R={e.recall:.3f} F1={e.f1:.3f}  (tp={e.tp} fp={e.fp} fn={e.fn})")
    for kind, t in report.by_kind.items():
        print(f"  {kind:<8} P={t.precision:.3f} R={t.recall:.3f}  (tp={t.tp} fp={t.fp} fn={t.fn})")
    print(f"facts     P={f.precision:.3f} R={f.recall:.3f}  (tp={f.tp} fp={f.fp} fn={f.fn})")
    if report.unscored:
        print(f"          {report.unscored} role facts not scored (these labels predate guideline v2)")
    g = report.regions
    print(
        f"regions   P={g.precision:.3f} R={g.recall:.3f}  (tp={g.tp} fp={g.fp} fn={g.fn}; labelled region in the chain)"
    )
    return summary(report)


if __name__ == "__main__":
    main()
