"""Train the answer scorer (``make train-answer-scorer``): LoRA adapters over m3e-small.

    python -m bench.train_answer_scorer [--epochs 2] [--limit N]

Data (``bench.data``; licences there): the training part of the fixed CMRC split and DRCD
dev. Each question is paired with
- every sentence of its passage that holds a gold answer (label 1),
- the other sentences of its passage (label 0: same topic, not the answer),
- the closest sentences of other passages and of CRUD news by BM25 (label 0: the answer
  is not in the store),
- near misses made from the question: its year or its subject swapped for another one,
  paired with the answering sentence (label 0: "2015年…" is not answered by a 2014 figure).
A tenth of the training passages is held out to pick the epoch and is reported.

Writes ``assistant/models/answer_scorer.npz`` (adapters and output unit, float16) and
``answer_scorer.json`` (hyper-parameters, data, validation figures). The CMRC test part is
never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant._scorer_net import build_network, candidate_text, trained_weights
from bench.data import QA, Passage, cmrc_part, drcd, news
from docs_store import M3E_SMALL_SHA256, bundled_model_path, tokenize
from ingest import article_from_text, chunk_article

MODELS = Path(__file__).resolve().parent.parent / "assistant" / "models"
RANK, ALPHA, MAX_TOKENS = 16, 32.0, 128
SEED = 20261126
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
        return [self.sentences[i] for i in np.argsort(-scores)[:k] if scores[i] > 0]


_YEAR = re.compile(r"(19|20)\d\d(?=年)")


def near_misses(qa: QA, positive: Sentence, titles: list[str], rng: random.Random) -> list[str]:
    """Questions the positive sentence does not answer: another year, another subject."""
    made = []
    year = _YEAR.search(qa.question)
    if year:
        other = str(int(year.group(0)) + rng.choice([-3, -2, -1, 1, 2, 3]))
        if other not in positive.context:
            made.append(qa.question[: year.start()] + other + qa.question[year.end() :])
    title = positive.context.split("：", 1)[0]
    if len(title) >= 2 and title in qa.question:
        other_title = rng.choice(titles)
        if other_title not in positive.context and title not in other_title:
            made.append(qa.question.replace(title, other_title))
    return made


def build_pairs(
    qas: list[QA], sentences: dict[str, list[Sentence]], others: SentenceIndex, distractors: SentenceIndex, seed: int
) -> list[Pair]:
    rng = random.Random(seed)
    titles = sorted({s.context.split("：", 1)[0] for group in sentences.values() for s in group[:1]})
    pairs: list[Pair] = []
    for qa in qas:
        own = sentences[qa.passage_id]
        positives = [s for s in own if any(a in s.text for a in qa.answers)]
        if not positives:
            continue  # the answer runs across a sentence end: no sentence states it alone
        pairs += [Pair(qa.question, s.context, 1.0) for s in positives]
        pairs += [Pair(qa.question, s.context, 0.0) for s in own if s not in positives][:10]
        wrong = [s for s in others.nearest(qa.question, 8) if s.passage != qa.passage_id][:3]
        wrong += distractors.nearest(qa.question, 2)
        pairs += [Pair(qa.question, s.context, 0.0) for s in wrong if not any(a in s.text for a in qa.answers)]
        for question in near_misses(qa, positives[0], titles, rng):
            pairs.append(Pair(question, positives[0].context, 0.0))
    rng.shuffle(pairs)
    return pairs


def news_sentences(count: int) -> list[Sentence]:
    found = []
    for record in news(limit=count):
        text = record["text"].split("正文：", 1)[-1]
        article = article_from_text(text, record["id"])
        for chunk in chunk_article(article):
            for s, e in chunk.sentences:
                sentence = chunk.text[s - chunk.start : e - chunk.start]
                found.append(Sentence(record["id"], sentence, candidate_text(chunk.title, chunk.section, sentence)))
    return found


def encode(tokenizer, pairs: list[Pair]):  # type: ignore[no-untyped-def]
    return tokenizer(
        [p.question for p in pairs],
        [p.context for p in pairs],
        padding=True,
        truncation="only_second",
        max_length=MAX_TOKENS,
        return_tensors="pt",
    )


def evaluate(network, tokenizer, qas: list[QA], sentences: dict[str, list[Sentence]]) -> dict:  # type: ignore[no-untyped-def]
    """Top-1 within the gold passage (does the best-scored sentence hold the answer?)."""
    import torch

    hits = total = 0
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        for qa in qas:
            own = sentences[qa.passage_id]
            labels = [any(a in s.text for a in qa.answers) for s in own]
            if not any(labels):
                continue
            logits = network(**encode(tokenizer, [Pair(qa.question, s.context, 0) for s in own])).float()
            hits += labels[int(torch.argmax(logits))]
            total += 1
    return {"top1_in_passage": round(hits / max(total, 1), 4), "questions": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N training questions (smoke runs)")
    parser.add_argument("--news", type=int, default=20000, help="CRUD news articles used as distractors")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--out", default=str(MODELS))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch
    from transformers import AutoTokenizer

    torch.manual_seed(SEED)
    cmrc_passages, cmrc_qas = cmrc_part("train")
    drcd_passages, drcd_qas = drcd()
    held_out = {pid for pid in cmrc_passages if int(hashlib.sha256(pid.encode()).hexdigest(), 16) % 10 == 0}
    train_qas = [q for q in cmrc_qas if q.passage_id not in held_out] + drcd_qas
    val_qas = [q for q in cmrc_qas if q.passage_id in held_out]
    random.Random(SEED).shuffle(train_qas)
    if args.limit:
        train_qas = train_qas[: args.limit]
    every = {**cmrc_passages, **drcd_passages}
    sentences = {pid: split_sentences(p) for pid, p in every.items()}
    others = SentenceIndex([s for group in sentences.values() for s in group])
    distractors = SentenceIndex(news_sentences(args.news))
    pairs = build_pairs(train_qas, sentences, others, distractors, SEED)
    positives = sum(p.label for p in pairs)
    logger.info("%d questions → %d pairs (%d positive); %d validation questions", len(train_qas), len(pairs),
                positives, len(val_qas))  # fmt: skip

    base = bundled_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    network = build_network(base, RANK, ALPHA)
    adapters = [p for n, p in network.named_parameters() if p.requires_grad and not n.startswith("head")]
    optimizer = torch.optim.AdamW(
        [{"params": adapters, "lr": 3e-4}, {"params": network.head.parameters(), "lr": 1e-3}], weight_decay=0.01
    )
    steps = args.epochs * ((len(pairs) + args.batch - 1) // args.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[3e-4, 1e-3], total_steps=steps, pct_start=0.06, anneal_strategy="linear"
    )
    history = []
    best: tuple[float, dict, int] | None = None
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        network.train()
        total = 0.0
        for i in range(0, len(pairs), args.batch):
            batch = pairs[i : i + args.batch]
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = network(**encode(tokenizer, batch))
            target = torch.tensor([p.label for p in batch])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits.float(), target)
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item() * len(batch)
            if (i // args.batch) % 200 == 0:
                logger.info("epoch %d: %d/%d pairs, loss %.4f", epoch, i, len(pairs), loss.item())
        network.eval()
        figures = {
            "epoch": epoch,
            "loss": round(total / len(pairs), 4),
            **evaluate(network, tokenizer, val_qas, sentences),
        }
        history.append(figures)
        logger.info("epoch %d: %s", epoch, figures)
        if best is None or figures["top1_in_passage"] > best[0]:
            best = (figures["top1_in_passage"], trained_weights(network), epoch)
    assert best is not None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "answer_scorer.npz", **best[1])
    meta = {
        "base_model": f"m3e-small@{M3E_SMALL_SHA256}",
        "rank": RANK,
        "alpha": ALPHA,
        "max_tokens": MAX_TOKENS,
        "weights_sha256": hashlib.sha256((out / "answer_scorer.npz").read_bytes()).hexdigest(),
        "training": {
            "data": "CMRC 2018 dev, training part of the fixed split (CC BY-SA 4.0), minus a held-out tenth;"
            " DRCD dev (CC BY-SA 3.0); CRUD-RAG news as distractors (Apache-2.0)",
            "questions": len(train_qas),
            "pairs": len(pairs),
            "positive_pairs": int(positives),
            "epochs": args.epochs,
            "seconds": round(time.time() - started),
        },
        "validation": history,
        "kept_epoch": best[2],
    }
    (out / "answer_scorer.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    logger.info("wrote %s", out / "answer_scorer.npz")


if __name__ == "__main__":
    main()
