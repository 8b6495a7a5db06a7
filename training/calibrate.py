"""Fit the answerability model and choose its thresholds (``make calibrate-answers``).

    python -m training.calibrate [--news 5000] [--store-root bench/results] [--reuse]

Calibration data: the ``calib`` parts of ``training.data`` (the answer scorer never trained
on them; nothing here is reported), shaped like use:
- CMRC 2018 dev, calibration two thirds (``CMRC_QUESTIONS`` of them): each question asked
  with its passage in the store (answer, from a sentence holding the gold answer) and with
  its passage removed from the retrieved list (refuse) — the negative-rejection protocol;
- DuReader-checklist and ChineseSquad calib parts: real search queries and translated
  questions, their on-topic unanswerable near misses asked with the passage in the store;
- CRUD news questions, calib part: asked among the news distractors, and again with their
  articles removed;
- ``eval/paraphrase_dev.jsonl``: everyday-word questions about the sample page, lists and
  near misses.

The store holds all those passages and articles, the sample page and ``--news`` CRUD news
(a slice neither training nor any reported figure reads). Every candidate sentence of every
retrieved chunk is read by the scorer once. ``read`` and the answer threshold are chosen on
5-fold cross-validated decisions (each question judged by weights fitted without it):
refusals first — the negative-rejection kinds up to their floors (``REFUSAL_FLOORS``) —
then the mean of the answer accuracies and of the adversarial near-miss refusals. The
trade-off curve is kept in the output. The final weights are fitted on all of it; the list
and near-miss thresholds follow.
Writes ``assistant/models/answerability.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import pickle
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant._agreement import disagreement, years_in
from assistant._answerability import (
    FEATURES,
    UNREAD_LOGIT,
    AnswerabilityModel,
    complete,
    feature_matrix,
    reading_order,
)
from assistant._candidates import Candidate, candidates
from assistant._question import analyze
from assistant._scorer import AnswerScorer
from assistant._scorer_net import candidate_text
from assistant.eval import load_rows
from docs_store import DocsStore, Settings, open_store
from ingest import parse_file
from training.data import ROOT, news, news_articles, news_qa_article_ids, news_questions, qa_set

MODELS = ROOT / "assistant" / "models"
NEWS_OFFSET = 40000
"""Distractor news start here: the answer scorer's training used the first 20,000."""
CMRC_QUESTIONS = 600
SQUAD_QUESTIONS = 400
REFUSAL_FLOORS = {"cmrc": 0.97, "near_miss": 0.9}
"""Refusal accuracy these kinds of unanswerable question must keep before answers count: the
CMRC negative-rejection protocol and the sample page's near misses."""
SOFT_REFUSALS = ("dureader", "squad2", "news")
"""Refusals that weigh like answers. DuReader and ChineseSquad: adversarial unanswerables
written against the very passage in the store — no threshold keeps them at a floor without
giving up most answers (see the trade-off in the output). News with its linked articles
removed: the corpus reprints many stories from several outlets, so a "removed" question is
often still answerable (its refusal accuracy never passes 0.90 at any threshold: a floor on
it made the first fit refuse half of CMRC)."""
ANSWER_KINDS = ("cmrc", "dureader", "squad2", "news", "paraphrase")
READ_CHOICES = (3, 4)  # the scorer reads each (about 6 ms per sentence on one core): answer() latency
FOLDS = 5
TOP_K = 8
NEWS_WEIGHT = 3.0
logger = logging.getLogger("calibrate")


@dataclass
class Instance:
    """One question asked once: its candidates, their full scorer logits and the gold."""

    question: str
    answers: tuple[str, ...]
    answerable: bool
    kind: str  # cmrc | paraphrase | near_miss | list
    cands: list[Candidate]
    logits: np.ndarray
    vetoed: list[bool]

    def labels(self) -> np.ndarray:
        if not self.answerable:
            return np.zeros(len(self.cands))
        return np.array([any(a in c.sentence for a in self.answers) for c in self.cands], dtype=float)


def calibration_rows() -> tuple[list[dict], list[dict]]:
    """The questions (``kind``, answers or ``refuse``, ``remove``) and the passages to store."""
    rows: list[dict] = []
    passages: list[dict] = []

    def sample(qas: list, count: int) -> list:
        return sorted(qas, key=lambda q: hash_of(q.id))[:count]  # a fixed sample

    cmrc_passages, cmrc = qa_set("cmrc_dev", "calib")
    for q in sample(cmrc, CMRC_QUESTIONS):
        rows.append({"q": q.question, "answers": q.answers, "kind": "cmrc"})
        rows.append({"q": q.question, "refuse": True, "remove": [q.passage_id], "kind": "cmrc"})
    for name, count in (("dureader", 10**6), ("squad2", SQUAD_QUESTIONS)):
        ps, qas = qa_set(name, "calib")  # type: ignore[arg-type]
        passages += [{"id": p.id, "title": p.title, "text": p.text} for p in ps.values()]
        for q in sample(qas, count):
            rows.append({"q": q.question, "answers": q.answers, "kind": name} if q.answerable else
                        {"q": q.question, "refuse": True, "kind": name})  # fmt: skip
    passages += [{"id": p.id, "title": p.title, "text": p.text} for p in cmrc_passages.values()]
    news_qs = news_questions("calib")
    records = news_articles({a for q in news_qs for a in q.article_ids})
    passages += list(records.values())
    for i, q in enumerate(news_qs):
        if i % 2 == 0:
            rows.append({"q": q.question, "answers": q.answers, "kind": "news"})
        else:
            rows.append({"q": q.question, "refuse": True, "remove": list(q.article_ids), "kind": "news"})
    for row in load_rows(ROOT / "eval" / "paraphrase_dev.jsonl"):
        if row.get("history"):
            continue  # follow-ups are resolved first; they are checked by the eval command
        kind = "near_miss" if row.get("near_miss") else "list" if row.get("all") else "paraphrase"
        rows.append({**row, "kind": kind})
    return rows, passages


def hash_of(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 1000


def build_store(root: Path, news_count: int, passages: list[dict]) -> DocsStore:
    root.mkdir(parents=True, exist_ok=True)
    ours = root / "calibration_passages.jsonl"
    with ours.open("w", encoding="utf-8") as fh:
        for p in passages:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    distractors = root / f"news_{NEWS_OFFSET}_{news_count}.jsonl"
    with distractors.open("w", encoding="utf-8") as fh:
        banned = news_qa_article_ids("test")  # the held-out set's articles news() leaves out itself
        for record in (r for r in news(limit=news_count, skip=NEWS_OFFSET) if r["id"] not in banned):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    settings = Settings.from_env(store_dir=root / f"store_calibration_v2_{news_count}")
    store = open_store(settings)
    for path in (ours, ROOT / "data" / "articles" / "000_3a8c5979ebe92109.txt", distractors):
        report = store.ingest(parse_file(path, max_bytes=1 << 30))
        logger.info("%s: %s, %d chunks", path.name, report.status, report.chunks)
    return store


def collect(store: DocsStore, scorer: AnswerScorer, rows: list[dict]) -> list[Instance]:
    """Every candidate of every question, read by the scorer (no reading limit here)."""
    found = []
    for row in rows:
        asked = analyze(row["q"])
        hits = store.search(row["q"], k=TOP_K + 4)
        if row.get("remove"):
            hits = [h for h in hits if h.chunk.ref not in row["remove"]]
        hits = hits[:TOP_K]
        cands = list({c.sentence: c for c in candidates(asked, hits, store.idf(asked.terms))}.values())
        contexts = [candidate_text(c.chunk.title, c.chunk.section, c.sentence) for c in cands]
        logits = scorer.score(row["q"], contexts) if cands else np.zeros(0)
        years = {h.chunk.article_id: years_in(store.article(h.chunk.article_id).text) for h in hits}
        vetoed = [disagreement(asked, c, years.get(c.chunk.article_id, frozenset())) is not None for c in cands]
        answers = tuple(row.get("answers", ())) + tuple(row.get("all", ()))
        found.append(Instance(row["q"], answers, not row.get("refuse"), row["kind"], cands, logits, vetoed))
    return found


def rows_for(instances: list[Instance], read: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels and weights (the sample-page questions weigh ``NEWS_WEIGHT``:
    they are few, and regional news is what the assistant reads)."""
    xs, ys, ws = [], [], []
    for inst in instances:
        if not inst.cands:
            continue
        xs.append(feature_matrix(inst.cands, limited(inst, read)))
        ys.append(inst.labels())
        ws.append(np.full(len(inst.cands), NEWS_WEIGHT if inst.kind in ("paraphrase", "near_miss") else 1.0))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def limited(inst: Instance, read: int) -> np.ndarray:
    logits = np.full(len(inst.cands), UNREAD_LOGIT, dtype=np.float32)
    order = reading_order(inst.cands, read)
    logits[order] = inst.logits[order]
    return logits


def fit(instances: list[Instance], read: int) -> tuple[np.ndarray, float]:
    """Unweighted logistic regression (balanced classes made every probability too high to
    serve as a refusal threshold)."""
    from sklearn.linear_model import LogisticRegression

    x, y, w = rows_for(instances, read)
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=w)
    return lr.coef_[0], float(lr.intercept_[0])


def cross_validated(instances: list[Instance], read: int) -> list[tuple[Instance, float, bool, bool | None]]:
    """(instance, best probability, is the top answer right) with each question judged by a
    model fitted without it (5 folds by question text: a CMRC question asked with and without
    its passage stays in one fold)."""
    questions = sorted({i.question for i in instances})
    np.random.default_rng(0).shuffle(questions)
    judged = []
    for fold in np.array_split(np.array(questions, dtype=object), FOLDS):
        held = set(fold)
        weights, bias = fit([i for i in instances if i.question not in held], read)
        model = AnswerabilityModel(tuple(weights), bias, 0.0, 0.0, 0.0, read, {})
        for inst in instances:
            if inst.question in held:
                judged.append((inst, *top_answer(model, inst)))
    return judged


def top_answer(model: AnswerabilityModel, inst: Instance) -> tuple[float, bool, bool | None]:
    """(best probability, is that sentence right, is the best ``complete`` sentence right —
    None when there is none): what ``Assistant`` decides between."""
    if not inst.cands:
        return 0.0, False, None
    probs = model.probabilities(feature_matrix(inst.cands, limited(inst, model.read)))
    order = [i for i in np.argsort(-probs) if not inst.vetoed[i]]
    if not order:
        return 0.0, False, None
    labels = inst.labels()
    whole = next((i for i in order if complete(inst.cands[i])), None)
    return float(probs[order[0]]), bool(labels[order[0]]), None if whole is None else bool(labels[whole])


def figures_at(
    judged: list[tuple[Instance, float, bool, bool | None]], threshold: float, kinds: tuple[str, ...]
) -> dict:
    def answered(p: float, whole: bool | None) -> bool:
        return p >= threshold or whole is not None

    def right(p: float, top: bool, whole: bool | None) -> bool:
        return top if p >= threshold else bool(whole)

    answerable = [(p, top, whole) for inst, p, top, whole in judged if inst.kind in kinds and inst.answerable]
    refuse = [(p, whole) for inst, p, _, whole in judged if inst.kind in kinds and not inst.answerable]
    out = {"answer_accuracy": round(sum(right(*row) for row in answerable) / max(len(answerable), 1), 4)}
    if refuse:
        out["refusal_accuracy"] = round(sum(not answered(*row) for row in refuse) / len(refuse), 4)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--news", type=int, default=5000)
    parser.add_argument("--store-root", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--out", default=str(MODELS / "answerability.json"))
    parser.add_argument("--reuse", action="store_true", help="reuse the scorer's readings of the last run")
    parser.add_argument("--build-only", action="store_true", help="only build the calibration store (no scorer)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    started = time.time()

    rows, passages = calibration_rows()
    scorer_sha = json.loads((MODELS / "answer_scorer.json").read_text(encoding="utf-8"))["weights_sha256"]
    cache = Path(args.store_root) / f"calibration_v2_instances_{scorer_sha[:12]}.pkl"  # readings of this scorer
    if args.reuse and cache.exists():
        instances = pickle.loads(cache.read_bytes())
    else:
        store = build_store(Path(args.store_root), args.news, passages)
        if args.build_only:
            return
        instances = collect(store, AnswerScorer(cache_dir=Settings.from_env().model_cache_dir), rows)
        cache.write_bytes(pickle.dumps(instances))
    logger.info("%d question instances collected in %.0fs", len(instances), time.time() - started)

    fitting = [i for i in instances if i.kind != "list"]
    best: tuple[float, int, float, dict] | None = None
    curve: dict[int, list[dict]] = {}
    for read in READ_CHOICES:
        judged = cross_validated(fitting, read)
        for threshold in np.arange(0.05, 0.96, 0.01):
            by_kind = {kind: figures_at(judged, threshold, (kind,)) for kind in (*ANSWER_KINDS, "near_miss")}
            refusals = [min(by_kind[k]["refusal_accuracy"], floor) / floor for k, floor in REFUSAL_FLOORS.items()
                        if "refusal_accuracy" in by_kind[k]]  # fmt: skip
            answers = [by_kind[k]["answer_accuracy"] for k in ANSWER_KINDS]
            soft = [by_kind[k].get("refusal_accuracy", 1.0) for k in SOFT_REFUSALS]
            # refusals first (a wrong figure is the worst bug), then answers, then reading less
            objective = 10 * float(np.mean(refusals)) + float(np.mean(answers + soft)) - 0.002 * read
            point = {"threshold": round(float(threshold), 2), **by_kind}
            curve.setdefault(read, []).append(point)
            if best is None or objective > best[0]:
                best = (objective, read, float(threshold), {"read": read, **point})
    assert best is not None
    _, read, threshold, report = best
    weights, bias = fit(fitting, read)
    model = AnswerabilityModel(tuple(weights), bias, round(threshold, 2), round(threshold, 2), 0.0, read, {})
    list_threshold = _list_threshold(model, [i for i in instances if i.kind == "list"])
    data = {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.weights],
        "bias": round(model.bias, 6),
        "threshold": model.threshold,
        "list_threshold": list_threshold,
        "near_miss_threshold": round(model.threshold / 2, 4),
        "read": model.read,
        "meta": {
            "fitted_on": "calib parts of training.data: CMRC 2018 dev (asked with and without its passage),"
            " DuReader-checklist, ChineseSquad (with their unanswerable near misses), CRUD news questions"
            " (with and without their articles); eval/paraphrase_dev.jsonl",
            "store": f"those passages and articles + sample page + {args.news} CRUD news from #{NEWS_OFFSET}",
            "questions": dict(Counter(i.kind for i in instances)),
            "refusal_floors": REFUSAL_FLOORS,
            "cross_validated_figures": report,
            "trade_off": [p for p in curve[read] if round(p["threshold"] * 100) % 5 == 0],
            "seconds": round(time.time() - started),
        },
    }
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    logger.info("wrote %s: %s", args.out, json.dumps(report, ensure_ascii=False))


def _list_threshold(model: AnswerabilityModel, lists: list[Instance]) -> float:
    """The lowest probability at which extra list items are still mostly right (never below
    half the answer threshold: a list must not fill up with whatever was retrieved)."""
    pooled = []
    for inst in lists:
        probs = model.probabilities(feature_matrix(inst.cands, limited(inst, model.read)))
        labels = [any(a in c.sentence for a in inst.answers) for c in inst.cands]
        pooled += list(zip(probs, labels, strict=True))
    for threshold in np.arange(model.threshold / 2, model.threshold + 0.001, 0.01):
        above = [label for p, label in pooled if p >= threshold]
        if above and sum(above) / len(above) >= 0.8:
            return round(float(threshold), 2)
    return model.threshold


if __name__ == "__main__":
    main()
