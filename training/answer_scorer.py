"""Train the answer scorer (``make train-answer-scorer``): LoRA adapters over m3e-small.

    python -m training.answer_scorer [--minutes 80] [--max-pairs N] [--resume] [--device cuda]

The mixture (train parts of ``training.data``; licences there):

| source | questions | pairs per question |
|---|---|---|
| CMRC 2018 train | all (97 %) | answering pairs (below) |
| DRCD, ChineseSquad, CJRC (≤ ``CJRC_CAP``), DuReader, CRUD news QA | train parts | answering pairs |
| unanswerable questions (ChineseSquad, CJRC, DuReader) | train parts | 3 nearest own sentences, 0 |
| paraphrase pairs (BQ, AFQMC, LCQMC, QBQTC) | ``PARAPHRASE_PAIRS`` | auxiliary head |

Answering pairs: the gold sentences 1; the 4 other sentences of the passage sharing most of
the question's bigrams 0; the 2 nearest sentences of other passages 0; 1 news sentence 0;
the question with its year or subject swapped, against the gold sentence, 0. An
unanswerable question's own nearest sentences are on topic but hold no answer: the
near-miss case. The auxiliary head learns "same intent" (1 / 0) on the paraphrase pairs.

The auxiliary head reads the same pooled encoding ("do these two questions ask the same
thing"); it teaches the adapters that other words can carry the same question, and is not
exported (the runtime reads the answer head only).

Built to fit two CPU cores: pairs and their tokens are built once and cached
(``training/cache/``), batches are length-bucketed, the forward pass runs in bf16, and the
state is checkpointed every ``--checkpoint-minutes``; ``--resume`` continues a killed or
time-boxed run at the batch where it stopped. ``--minutes`` stops at a time budget (one pass
over the mixture is the default; the learning-rate schedule spans the planned steps).

Writes ``assistant/models/answer_scorer.npz`` (adapters and output unit, float16) and
``answer_scorer.json`` (command, data hashes, mixture counts, validation figures). The test
parts of every set and the news held-out articles are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import pickle
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant._scorer_net import build_network, candidate_text, trained_weights
from docs_store import M3E_SMALL_SHA256, bundled_model_path, tokenize
from ingest import article_from_text, chunk_article
from training.data import (
    QA,
    SETS,
    STRICTEST_LICENCE,
    Passage,
    news,
    news_articles,
    news_questions,
    not_for_training,
    paraphrase_pairs,
    qa_set,
)

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "assistant" / "models"
CACHE = Path(__file__).resolve().parent / "cache"
RANK, ALPHA, MAX_TOKENS = 16, 32.0, 128
SEED = 20261202
CJRC_CAP = 3000  # legal text: useful for form, but it must not outweigh the news-like sets
PARAPHRASE_PAIRS = 16000
AUX_WEIGHT = 0.3
DISTRACTOR_NEWS = 20000
MIXTURE_VERSION = 2  # bump when build_mixture changes: the cached mixture is keyed by it
logger = logging.getLogger("train")


@dataclass(frozen=True)
class Sentence:
    passage: str
    text: str
    context: str  # candidate_text(...) — what the scorer reads


@dataclass(frozen=True)
class Pair:
    question: str
    context: str
    label: float
    task: int = 0  # 0 answer head, 1 paraphrase head
    source: str = ""


def split_sentences(passage: Passage) -> list[Sentence]:
    article = article_from_text(passage.text, passage.id, title=passage.title)
    found = []
    for chunk in chunk_article(article):
        for s, e in chunk.sentences:
            text = chunk.text[s - chunk.start : e - chunk.start]
            found.append(Sentence(passage.id, text, candidate_text(chunk.title, chunk.section, text)))
    return found


class SentenceIndex:
    """BM25 over sentences, to find the near-but-wrong ones for a question."""

    def __init__(self, sentences: list[Sentence]) -> None:
        import bm25s

        self.sentences = sentences
        self.index = bm25s.BM25()
        self.index.index([tokenize(s.text) or [""] for s in sentences], show_progress=False)

    def nearest(self, question: str, k: int) -> list[Sentence]:
        tokens = [t for t in tokenize(question) if t in self.index.vocab_dict]
        if not tokens:
            return []
        scores = self.index.get_scores(tokens)
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k] if len(scores) > k else np.arange(len(scores))
        top = top[np.argsort(-scores[top])]
        return [self.sentences[i] for i in top if scores[i] > 0]


def nearest_within(question: str, group: list[Sentence], k: int) -> list[Sentence]:
    """The k sentences of one passage sharing most question bigrams (hard negatives)."""
    grams = set(tokenize(question))
    scored = sorted(group, key=lambda s: -len(grams & set(tokenize(s.text))))
    return scored[:k]


_YEAR = re.compile(r"(19|20)\d\d(?=年)")


def near_misses(question: str, positive: Sentence, titles: list[str], rng: random.Random) -> list[str]:
    """Questions the positive sentence does not answer: another year, another subject."""
    made = []
    year = _YEAR.search(question)
    if year:
        other = str(int(year.group(0)) + rng.choice([-3, -2, -1, 1, 2, 3]))
        if other not in positive.context:
            made.append(question[: year.start()] + other + question[year.end() :])
    title = positive.context.split("：", 1)[0]
    if len(title) >= 2 and title in question:
        other_title = rng.choice(titles)
        if other_title not in positive.context and title not in other_title:
            made.append(question.replace(title, other_title))
    return made


def question_pairs(
    qa: QA,
    own: list[Sentence],
    others: SentenceIndex,
    distractors: SentenceIndex,
    titles: list[str],
    rng: random.Random,
    source: str,
) -> list[Pair]:
    """The pairs one question contributes (see the mixture table)."""
    if not qa.answerable:
        return [Pair(qa.question, s.context, 0.0, 0, source) for s in nearest_within(qa.question, own, 3)]
    positives = [s for s in own if any(a in s.text for a in qa.answers)]
    if not positives:
        return []  # the answer runs across a sentence end: no sentence states it alone
    pairs = [Pair(qa.question, s.context, 1.0, 0, source) for s in positives[:2]]
    rest = [s for s in own if s not in positives]
    pairs += [Pair(qa.question, s.context, 0.0, 0, source) for s in nearest_within(qa.question, rest, 4)]
    wrong = [s for s in others.nearest(qa.question, 8) if s.passage != qa.passage_id][:2]
    wrong += distractors.nearest(qa.question, 1)
    pairs += [Pair(qa.question, s.context, 0.0, 0, source) for s in wrong if not any(a in s.text for a in qa.answers)]
    swapped = near_misses(qa.question, positives[0], titles, rng)
    pairs += [Pair(q, positives[0].context, 0.0, 0, source) for q in swapped]
    return pairs


def news_sentences(records: list[dict]) -> list[Sentence]:
    found = []
    for record in records:
        text = record["text"].split("正文：", 1)[-1]
        article = article_from_text(text, record["id"])
        for chunk in chunk_article(article):
            for s, e in chunk.sentences:
                sentence = chunk.text[s - chunk.start : e - chunk.start]
                found.append(Sentence(record["id"], sentence, candidate_text(chunk.title, chunk.section, sentence)))
    return found


def training_questions() -> tuple[dict[str, Passage], list[tuple[str, QA]]]:
    """Every train-part question of the mixture, with its source name, and their passages."""
    passages: dict[str, Passage] = {}
    questions: list[tuple[str, QA]] = []
    for name in ("cmrc_train", "drcd", "dureader", "squad2", "cjrc"):
        ps, qs = qa_set(name, "train")
        if name == "cjrc":
            qs = random.Random(SEED).sample(qs, min(CJRC_CAP, len(qs)))
        passages.update(ps)
        questions += [(name, q) for q in qs]
    banned = not_for_training()
    news_qs = [q for q in news_questions("train") if not banned & set(q.article_ids)]
    records = news_articles({a for q in news_qs for a in q.article_ids})
    for q in news_qs:
        for aid in q.article_ids:
            if aid in records and any(a in records[aid]["text"] for a in q.answers):
                text = records[aid]["text"].split("正文：", 1)[-1]
                passages[aid] = Passage(aid, "", text)
                questions.append(("crud_qa", QA(q.id, q.question, q.answers, aid)))
                break
    return passages, questions


def build_mixture(limit: int) -> tuple[list[Pair], dict[str, Passage], dict]:
    rng = random.Random(SEED)
    passages, questions = training_questions()
    rng.shuffle(questions)
    if limit:
        questions = questions[:limit]
    used = {q.passage_id for _, q in questions}
    sentences = {pid: split_sentences(p) for pid, p in passages.items() if pid in used}
    others = SentenceIndex([s for group in sentences.values() for s in group])
    banned = not_for_training()
    distractors = SentenceIndex(news_sentences([r for r in news(limit=DISTRACTOR_NEWS) if r["id"] not in banned]))
    titles = sorted({g[0].context.split("：", 1)[0] for g in sentences.values() if g and "：" in g[0].context})
    pairs: list[Pair] = []
    for source, qa in questions:
        pairs += question_pairs(qa, sentences[qa.passage_id], others, distractors, titles, rng, source)
    aux = paraphrase_pairs("train")
    for p in rng.sample(aux, min(PARAPHRASE_PAIRS, len(aux))):
        pairs.append(Pair(p.a, p.b, float(p.label), 1, p.set))
    rng.shuffle(pairs)
    counts = {
        "questions": dict(Counter(s for s, _ in questions)),
        "pairs": dict(Counter(p.source if p.task == 0 else "paraphrase" for p in pairs)),
        "positive_pairs": int(sum(p.label for p in pairs if p.task == 0)),
    }
    return pairs, passages, counts


def tokenize_pairs(tokenizer, pairs: list[Pair]) -> list[tuple[list[int], list[int]]]:
    """(input_ids, token_type_ids) per pair, truncated to MAX_TOKENS; padding happens per batch."""
    out = []
    step = 4096
    for i in range(0, len(pairs), step):
        part = pairs[i : i + step]
        enc = tokenizer(
            [p.question[:64] for p in part], [p.context for p in part], truncation="only_second", max_length=MAX_TOKENS
        )
        out += list(zip(enc["input_ids"], enc["token_type_ids"], strict=True))
    return out


def bucketed_batches(lengths: list[int], batch: int, seed: int) -> list[list[int]]:
    """Batches of similar length (less padding), in a random but fixed order."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    window = batch * 50
    for i in range(0, len(order), window):
        chunk = sorted(order[i : i + window], key=lambda j: lengths[j])
        batches += [chunk[k : k + batch] for k in range(0, len(chunk), batch)]
    rng.shuffle(batches)
    return batches


def collate(tokens: list[tuple[list[int], list[int]]], index: list[int], device: str):
    import torch

    width = max(len(tokens[i][0]) for i in index)
    ids = torch.zeros((len(index), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for row, i in enumerate(index):
        a, t = tokens[i]
        ids[row, : len(a)] = torch.tensor(a)
        types[row, : len(t)] = torch.tensor(t)
        mask[row, : len(a)] = 1
    return {"input_ids": ids.to(device), "attention_mask": mask.to(device), "token_type_ids": types.to(device)}


def validate(network, tokenizer, device: str) -> dict:
    """Top-1 within the gold passage on validation passages (CMRC train calib 3 %, DRCD and
    DuReader calib parts), and mean logit gap answer vs unanswerable (DuReader, Squad)."""
    import torch

    figures: dict[str, float] = {}
    network.eval()
    with torch.no_grad(), torch.autocast(device.split(":")[0], dtype=torch.bfloat16):
        for name in ("cmrc_train", "drcd", "dureader", "squad2"):
            passages, qas = qa_set(name, "calib")
            sentences = {pid: split_sentences(p) for pid, p in passages.items()}
            hits = total = 0
            best_pos: list[float] = []
            best_neg: list[float] = []
            for qa in qas[:150]:
                own = sentences[qa.passage_id]
                if not own:
                    continue
                pairs = [Pair(qa.question, s.context, 0) for s in own]
                logits = network(**collate(tokenize_pairs(tokenizer, pairs), list(range(len(pairs))), device))
                logits = logits.float().cpu().numpy()
                if qa.answerable:
                    labels = [any(a in s.text for a in qa.answers) for s in own]
                    if any(labels):
                        hits += labels[int(np.argmax(logits))]
                        total += 1
                        best_pos.append(float(np.max(logits)))
                else:
                    best_neg.append(float(np.max(logits)))
            figures[f"{name}_top1"] = round(hits / max(total, 1), 4)
            if best_neg and best_pos:
                # how often an answerable question's best sentence outscores an unanswerable one's
                pos, neg = np.array(best_pos), np.array(best_neg)
                figures[f"{name}_auc"] = round(float((pos[:, None] > neg[None, :]).mean()), 4)
    network.train()
    return figures


def data_hashes() -> dict[str, str]:
    from training.data import SHARED

    found = {}
    for spec in SETS.values():
        for f in sorted((SHARED / spec.folder).glob("*.gz")):
            found[f"{spec.folder}/{f.name}"] = hashlib.sha256(f.read_bytes()).hexdigest()[:16]
    for extra in ("paraphrase_pairs/pairs.jsonl.gz", "crud_news/articles.jsonl.gz"):
        found[extra] = hashlib.sha256((SHARED / extra).read_bytes()).hexdigest()[:16]
    return found


def prepared(args: argparse.Namespace, tokenizer) -> tuple[list[Pair], list, dict]:
    """The mixture and its tokens, from the cache when the same data was built before."""
    spec = [args.limit, SEED, CJRC_CAP, PARAPHRASE_PAIRS, DISTRACTOR_NEWS, MAX_TOKENS, MIXTURE_VERSION]
    spec += [data_hashes(), {k: v.shares for k, v in SETS.items()}, sorted(not_for_training())]
    key = hashlib.sha256(json.dumps(spec, sort_keys=True).encode())
    path = CACHE / f"mixture-{key.hexdigest()[:12]}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    started = time.time()
    pairs, _, counts = build_mixture(args.limit)
    tokens = tokenize_pairs(tokenizer, pairs)
    logger.info("mixture built in %.0f s: %s", time.time() - started, counts)
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump((pairs, tokens, counts), fh)
    return pairs, tokens, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=80, help="stop (with a checkpoint) after this long")
    parser.add_argument("--max-pairs", type=int, default=0, help="plan at most this many pairs (0: the whole mix)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N training questions (smoke runs)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--resume", action="store_true", help="continue from training/cache/checkpoint.pt")
    parser.add_argument("--checkpoint-minutes", type=float, default=10)
    parser.add_argument("--device", default="cpu", help="cpu, or cuda on a lent GPU")
    parser.add_argument(
        "--export-partial", action="store_true", help="write the weights even when stopped by the time budget"
    )
    parser.add_argument("--out", default=str(MODELS))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch
    from transformers import AutoTokenizer

    torch.manual_seed(SEED)
    base = bundled_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    pairs, tokens, counts = prepared(args, tokenizer)
    batches = bucketed_batches([len(t[0]) for t in tokens], args.batch, SEED)
    if args.max_pairs:
        batches = batches[: max(1, args.max_pairs // args.batch)]
    logger.info("%d pairs, %d batches planned: %s", len(pairs), len(batches), counts)

    network = build_network(base, RANK, ALPHA)
    network.aux_head = torch.nn.Linear(network.head.in_features, 1)
    network.to(args.device)
    adapters = [p for n, p in network.named_parameters() if p.requires_grad and not n.startswith(("head", "aux_head"))]
    heads = list(network.head.parameters()) + list(network.aux_head.parameters())
    optimizer = torch.optim.AdamW([{"params": adapters, "lr": 3e-4}, {"params": heads, "lr": 1e-3}], weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[3e-4, 1e-3], total_steps=len(batches), pct_start=0.06, anneal_strategy="linear"
    )
    checkpoint = CACHE / "checkpoint.pt"
    start, spent = 0, 0.0
    plan = {"batch": args.batch, "batches": len(batches), "limit": args.limit}
    if args.resume and checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False, map_location=args.device)
        if state.get("plan") != plan:
            raise SystemExit(f"checkpoint was made for {state.get('plan')}, not {plan}: run with the same settings")
        network.load_state_dict(state["network"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        start, spent = state["step"], state["seconds"]
        logger.info("resumed at batch %d of %d (%.0f s spent)", start, len(batches), spent)

    def pooled_heads(batch: dict) -> tuple:
        out = network.bert(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(out.dtype)
        pooled = ((out * mask).sum(1) / mask.sum(1)).float()
        return network.head(pooled).squeeze(-1), network.aux_head(pooled).squeeze(-1)

    def save(step: int) -> None:
        learned = ("head", "aux_head")
        trainable = {n: p for n, p in network.state_dict().items() if "lora_" in n or n.startswith(learned)}
        state = {"network": trainable, "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict()}
        torch.save({**state, "step": step, "seconds": spent + time.time() - began, "plan": plan}, checkpoint)

    network.train()
    began = last_save = time.time()
    step = start
    losses: list[float] = []
    for step in range(start, len(batches)):
        index = batches[step]
        task = torch.tensor([pairs[i].task for i in index], device=args.device)
        target = torch.tensor([pairs[i].label for i in index], device=args.device)
        with torch.autocast(args.device.split(":")[0], dtype=torch.bfloat16):
            answer_logit, aux_logit = pooled_heads(collate(tokens, index, args.device))
        logit = torch.where(task == 0, answer_logit, aux_logit)
        weight = torch.where(task == 0, 1.0, AUX_WEIGHT)
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logit, target, reduction="none") * weight).mean()
        loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(loss.item())
        if step % 200 == 0:
            rate = (step - start + 1) * args.batch / (time.time() - began)
            logger.info("batch %d/%d loss %.4f (%.1f pairs/s)", step, len(batches), np.mean(losses[-200:]), rate)
        if time.time() - last_save > args.checkpoint_minutes * 60:
            save(step + 1)
            last_save = time.time()
        if time.time() - began > args.minutes * 60:  # per run: a resumed run gets its own budget
            save(step + 1)
            logger.info("time budget reached at batch %d of %d: checkpoint written, run again with --resume", step + 1,
                        len(batches))  # fmt: skip
            break
    finished = step + 1 >= len(batches)
    if not finished and not args.export_partial:
        logger.info("not exporting a partial model (pass --export-partial to do so)")
        return
    figures = validate(network, tokenizer, args.device)
    logger.info("validation: %s", figures)
    network.to("cpu")
    weights = {k: v for k, v in trained_weights(network).items() if not k.startswith("aux_head")}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "answer_scorer.npz", **weights)  # type: ignore[arg-type]
    meta = {
        "base_model": f"m3e-small@{M3E_SMALL_SHA256}",
        "rank": RANK,
        "alpha": ALPHA,
        "max_tokens": MAX_TOKENS,
        "weights_sha256": hashlib.sha256((out / "answer_scorer.npz").read_bytes()).hexdigest(),
        "licence": f"{STRICTEST_LICENCE} (the strictest terms of the training data and of m3e-small)",
        "training": {
            "command": "python -m training.answer_scorer " + " ".join(sys.argv[1:]),
            "data": {name: f"{spec.folder} ({spec.licence})" for name, spec in SETS.items()}
            | {"paraphrase": "paraphrase_pairs (none stated)", "distractors": "crud_news (Apache-2.0)"},
            "data_sha256": data_hashes(),
            "mixture": counts,
            "batches": f"{step + 1} of {len(batches)}" + ("" if finished else " (time budget)"),
            "batch": args.batch,
            "seconds": round(spent + time.time() - began),
            "device": args.device,
        },
        "validation": figures,
    }
    (out / "answer_scorer.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    logger.info("wrote %s", out / "answer_scorer.npz")


if __name__ == "__main__":
    main()
