"""Train the name tagger (``make train-entity-tagger``): LoRA adapters and a BIO head over m3e-small.

    python -m training.entity_tagger [--minutes 85] [--resume] [--device cuda] [--limit N]

The tagger marks where names begin and end (types in ``ingest/_entities/tagger_net.py``);
the rules decide which names count. Its mixture, from ``../shared/data/ner`` and our own
hand labels (``eval/entities/``: train, dev, dev2, dev3, dev4), maps every source's labels to ours:

| source (split used) | their label | ours |
|---|---|---|
| CLUENER2020 (train, ≤ ``CLUENER_ROWS``) | company, government, organization | ORG |
| CLUENER2020 | name | PER |
| CLUENER2020 | address (places, streets and buildings mixed) | not scored |
| CLUENER2020 | game, book, movie, scene, position | O |
| MSRA (train, ≤ ``MSRA_ROWS``) | nr / ns / nt | PER / LOC / ORG |
| People's Daily 1998 (dev) | PER / LOC / ORG | PER / LOC / ORG |
| address parsing (train, ≤ ``ADDRESS_ROWS``) | prov, city, district | LOC |
| address parsing | town / devZone | TOWN / PARK |
| address parsing | poi, subpoi, community, redundant | not scored |
| address parsing | the rest (roads, numbers …) | O |
| ours, ``OURS_SPLITS`` (× ``OURS_REPEAT``) | place, town, park, project, company | LOC, TOWN, PARK, PROJECT, ORG |

MSRA and People's Daily leave 开发区 and 项目 outside their names (天津/ns 开发区/o), which
would teach the tagger to cut park names short: their sentences holding a park, town or
project word are left out. "Not scored" characters carry the ignore label: the loss skips
them. DuEE-fin and CFSC are not used (their arguments are located by string match, and
entities outside events are unlabelled). Validation: CLUENER dev, MSRA test, People's
Daily test, address dev (first ``VALID_ROWS`` each) and our ``dev5`` split; ``test``,
``test2`` and ``test3`` are never read. Licences: CLUENER, MSRA, People's Daily and the address set state
none; m3e-small is non-commercial, so the weights are for non-commercial research.

Two CPU cores: tokens are built once and cached (``training/cache/``), batches are
length-bucketed, the forward pass runs in bf16, a checkpoint is written every
``--checkpoint-minutes`` and at the time budget; ``--resume`` continues where it stopped.
Writes ``ingest/models/entity_tagger.npz`` (adapters and head, float16) and
``entity_tagger.json`` (command, data hashes, mixture counts, validation figures).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import pickle
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from docs_store import M3E_SMALL_SHA256, bundled_model_path
from ingest._entities.tagger_net import IGNORE, LABELS, PIECE_CHARS, TYPES, build_tagger, decode, piece_bounds
from training.answer_scorer import bucketed_batches
from training.data import ROOT, SHARED, STRICTEST_LICENCE

logger = logging.getLogger("entity_tagger")

NER = SHARED / "ner"
LABELLED = ROOT / "eval" / "entities"
MODELS = ROOT / "ingest" / "models"
CACHE = Path(__file__).resolve().parent / "cache"
SEED = 20261202
RANK, ALPHA = 8, 16.0
MAX_TOKENS = 128
MSRA_ROWS = 8000
CLUENER_ROWS = 6000
ADDRESS_ROWS = 6000
OURS_REPEAT = 5
OURS_SPLITS = ("train", "dev", "dev2", "dev3", "dev4")
"""Our labelled splits it learns from; ``dev5`` is kept out to measure it on."""
OURS_VALID = "dev5"
VALID_ROWS = 600
MIXTURE_VERSION = 3

MAP: dict[str, dict[str, str | None]] = {
    "cluener": {"company": "ORG", "government": "ORG", "organization": "ORG", "name": "PER", "address": None},
    "msra": {"nr": "PER", "ns": "LOC", "nt": "ORG"},
    "peoples_daily": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
    "address": {
        "prov": "LOC",
        "city": "LOC",
        "district": "LOC",
        "town": "TOWN",
        "devZone": "PARK",
        "poi": None,
        "subpoi": None,
        "community": None,
        "redundant": None,
    },  # fmt: skip
    "ours": {"place": "LOC", "town": "TOWN", "park": "PARK", "project": "PROJECT", "company": "ORG"},
}
"""Source label → our type; ``None``: not scored (ignore); labels not listed: O."""
SOURCE_TYPES = {name: sorted({t for t in mapping.values() if t}) for name, mapping in MAP.items()}
UNLABELLED_WORDS = ("园区", "开发区", "高新区", "产业园", "经开区", "示范区", "新区", "项目", "专业镇", "工业园")
"""Words that MSRA and People's Daily leave outside their names."""

Example = tuple[str, list[tuple[int, int, str | None]]]
"""A text and its spans ``(start, end, our type or None = ignore)``."""


def _rows(name: str, split: str, limit: int | None) -> list[dict]:
    rows = []
    with gzip.open(NER / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["split"] == split:
                rows.append(row)
    if limit is not None and len(rows) > limit:  # a fixed sample, not the first rows of one genre
        rows = sorted(rows, key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())[:limit]
    return rows


def source_examples(name: str, split: str, limit: int | None) -> list[Example]:
    mapping = MAP[name]
    out: list[Example] = []
    for row in _rows(name, split, limit):
        text = row["text"]
        if name in ("msra", "peoples_daily") and any(word in text for word in UNLABELLED_WORDS):
            continue
        spans = [(s["start"], s["end"], mapping[s["label"]]) for s in row["spans"] if s["label"] in mapping]
        out += _pieces(text, spans)
    return out


def our_examples(split: str) -> list[Example]:
    """Our hand labels (per entity, not per mention): every printed form of every labelled
    name is tagged where it occurs, longest first, without overlaps."""
    from bench.eval_entities import load_articles, load_labels

    path = LABELLED / f"{split}.jsonl"
    if not path.exists():
        return []
    articles = load_articles(split)
    out: list[Example] = []
    for item in load_labels(split):
        text = articles[item["id"]].text
        forms = sorted(
            ((form, MAP["ours"][e["kind"]]) for e in item["entities"] for form in (e["name"], *e.get("aliases", []))),
            key=lambda f: -len(f[0]),
        )
        taken = [False] * len(text)
        spans: list[tuple[int, int, str | None]] = []
        for form, kind in forms:
            start = text.find(form)
            while form and start >= 0:
                end = start + len(form)
                if not any(taken[start:end]):
                    spans.append((start, end, kind))
                    taken[start:end] = [True] * len(form)
                start = text.find(form, end)
        out += _pieces(text, sorted(spans))
    return out


def _pieces(text: str, spans: list[tuple[int, int, str | None]]) -> list[Example]:
    """The pieces the tagger reads at run time (``piece_bounds``), no name cut."""
    inside = {i for start, end, _ in spans for i in range(start + 1, end)}
    out: list[Example] = []
    for a, b in piece_bounds(text, inside):
        own = [(s - a, e - a, k) for s, e, k in spans if s >= a and e <= b]
        out.append((text[a:b], own))
    return out


def encode(tokenizer, examples: list[Example]) -> list[tuple[list[int], list[int], list[tuple[int, int]]]]:
    """(input_ids, token labels, offsets) per example; a token takes its first character's
    label (B- where a span starts, I- inside it)."""
    out = []
    for text, spans in examples:
        chars: list[int] = [0] * len(text)
        for start, end, kind in spans:
            if kind is None:
                chars[start:end] = [IGNORE] * (end - start)
                continue
            chars[start] = LABELS.index(f"B-{kind}")
            chars[start + 1 : end] = [LABELS.index(f"I-{kind}")] * (end - start - 1)
        enc = tokenizer(text[: MAX_TOKENS * 2], truncation=True, max_length=MAX_TOKENS, return_offsets_mapping=True)
        offsets = [tuple(o) for o in enc["offset_mapping"]]
        labels = [chars[s] if e > s and s < len(chars) else IGNORE for s, e in offsets]
        out.append((enc["input_ids"], labels, offsets))
    return out


def mixture(limit: int) -> tuple[list[Example], dict[str, int]]:
    parts = {
        "cluener": source_examples("cluener", "train", CLUENER_ROWS),
        "msra": source_examples("msra", "train", MSRA_ROWS),
        "peoples_daily": source_examples("peoples_daily", "dev", None),
        "address": source_examples("address", "train", ADDRESS_ROWS),
        "ours": [e for split in OURS_SPLITS for e in our_examples(split)] * OURS_REPEAT,
    }
    examples = [e for part in parts.values() for e in part]
    random.Random(SEED).shuffle(examples)
    return (examples[:limit] if limit else examples), {k: len(v) for k, v in parts.items()}


def validation_sets() -> dict[str, list[Example]]:
    return {
        "cluener": source_examples("cluener", "dev", VALID_ROWS),
        "msra": source_examples("msra", "test", VALID_ROWS),
        "peoples_daily": source_examples("peoples_daily", "test", VALID_ROWS),
        "address": source_examples("address", "dev", VALID_ROWS),
        "ours": our_examples(OURS_VALID),
    }


def collate(tokens: list, index: list[int], device: str) -> tuple[dict, Any]:
    import torch

    width = max(len(tokens[i][0]) for i in index)
    ids = torch.zeros((len(index), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    labels = torch.full_like(ids, IGNORE)
    for row, i in enumerate(index):
        a, lab, _ = tokens[i]
        ids[row, : len(a)] = torch.tensor(a)
        mask[row, : len(a)] = 1
        labels[row, : len(lab)] = torch.tensor(lab)
    batch = {"input_ids": ids.to(device), "attention_mask": mask.to(device), "token_type_ids": torch.zeros_like(ids)}
    batch["token_type_ids"] = batch["token_type_ids"].to(device)
    return batch, labels.to(device)


def span_scores(network, tokenizer, sets: dict[str, list[Example]], device: str) -> dict:
    """Exact-span precision / recall / F1 per set over the types that set labels; predicted
    spans touching an ignored span, or of a type the set does not label, are not counted."""
    import torch

    figures: dict[str, dict] = {}
    network.eval()
    with torch.no_grad(), torch.autocast(device.split(":")[0], dtype=torch.bfloat16):
        for name, examples in sets.items():
            types = set(SOURCE_TYPES["ours" if name == "ours" else name])
            tokens = encode(tokenizer, examples)
            tp = fp = fn = 0
            per_type: Counter[str] = Counter()
            for i in range(0, len(tokens), 64):
                index = list(range(i, min(i + 64, len(tokens))))
                batch, _ = collate(tokens, index, device)
                predicted = network(**batch).argmax(-1).cpu().numpy()
                for row, j in enumerate(index):
                    ids, _, offsets = tokens[j]
                    spans = decode(list(predicted[row][: len(ids)]), offsets)
                    _, gold_spans = examples[j]
                    ignored = [(s, e) for s, e, k in gold_spans if k is None]
                    gold = {(s, e, k) for s, e, k in gold_spans if k is not None}
                    kept = {
                        (s, e, k)
                        for s, e, k in spans
                        if k in types and not any(s < ie and is_ < e for is_, ie in ignored)
                    }
                    tp += len(kept & gold)
                    fp += len(kept - gold)
                    fn += len(gold - kept)
                    for _, _, k in kept & gold:
                        per_type[f"{k}_tp"] += 1
                    for _, _, k in gold - kept:
                        per_type[f"{k}_fn"] += 1
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            recall_by_type = {
                k: round(per_type[f"{k}_tp"] / max(1, per_type[f"{k}_tp"] + per_type[f"{k}_fn"]), 3) for k in types
            }
            figures[name] = {"precision": round(p, 3), "recall": round(r, 3),
                             "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
                             "spans": tp + fn, "recall_by_type": recall_by_type}  # fmt: skip
    network.train()
    return figures


def data_hashes() -> dict[str, str]:
    found = {f"ner/{f.name}": hashlib.sha256(f.read_bytes()).hexdigest()[:16] for f in sorted(NER.glob("*.jsonl.gz"))}
    for split in (*OURS_SPLITS, OURS_VALID):
        path = LABELLED / f"{split}.jsonl"
        if path.exists():
            found[f"eval/entities/{split}.jsonl"] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return found


def prepared(args: argparse.Namespace, tokenizer) -> tuple[list, dict]:
    spec = [args.limit, SEED, MAX_TOKENS, PIECE_CHARS, MSRA_ROWS, CLUENER_ROWS, ADDRESS_ROWS, OURS_REPEAT, OURS_SPLITS]
    spec.append(MIXTURE_VERSION)
    key = hashlib.sha256(json.dumps([spec, data_hashes(), LABELS], sort_keys=True).encode()).hexdigest()[:12]
    path = CACHE / f"tagger-mixture-{key}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    started = time.time()
    examples, counts = mixture(args.limit)
    tokens = encode(tokenizer, examples)
    logger.info("mixture built in %.0f s: %s", time.time() - started, counts)
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump((tokens, counts), fh)
    return tokens, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=85, help="stop (with a checkpoint) after this long")
    parser.add_argument("--limit", type=int, default=0, help="only the first N examples (smoke runs)")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--resume", action="store_true", help="continue from training/cache/tagger_checkpoint.pt")
    parser.add_argument("--checkpoint-minutes", type=float, default=10)
    parser.add_argument("--device", default="cpu", help="cpu, or cuda on a lent GPU")
    parser.add_argument("--export-partial", action="store_true", help="write the weights when stopped by the budget")
    parser.add_argument("--out", default=str(MODELS))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch
    from transformers import AutoTokenizer

    torch.manual_seed(SEED)
    base = bundled_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    tokens, counts = prepared(args, tokenizer)
    one_pass = bucketed_batches([len(t[0]) for t in tokens], args.batch, SEED)
    batches = (one_pass * (int(args.epochs) + 1))[: max(1, int(len(one_pass) * args.epochs))]
    logger.info("%d examples, %d batches planned: %s", len(tokens), len(batches), counts)

    network = build_tagger(base, RANK, ALPHA).to(args.device)
    adapters = [p for n, p in network.named_parameters() if p.requires_grad and not n.startswith("head")]
    optimizer = torch.optim.AdamW(
        [{"params": adapters, "lr": 5e-4}, {"params": network.head.parameters(), "lr": 2e-3}], weight_decay=0.01
    )
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[5e-4, 2e-3], total_steps=len(batches), pct_start=0.06, anneal_strategy="linear"
    )
    checkpoint = CACHE / "tagger_checkpoint.pt"
    plan = {"batch": args.batch, "batches": len(batches), "limit": args.limit}
    start, spent = 0, 0.0
    if args.resume and checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False, map_location=args.device)
        if state.get("plan") != plan:
            raise SystemExit(f"checkpoint was made for {state.get('plan')}, not {plan}: run with the same settings")
        network.load_state_dict(state["network"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        start, spent = state["step"], state["seconds"]
        logger.info("resumed at batch %d of %d (%.0f s spent)", start, len(batches), spent)

    def save(step: int) -> None:
        learned = {n: p for n, p in network.state_dict().items() if "lora_" in n or n.startswith("head")}
        state = {"network": learned, "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict()}
        torch.save({**state, "step": step, "seconds": spent + time.time() - began, "plan": plan}, checkpoint)

    network.train()
    began = last_save = time.time()
    step = start
    losses: list[float] = []
    for step in range(start, len(batches)):
        batch, labels = collate(tokens, batches[step], args.device)
        with torch.autocast(args.device.split(":")[0], dtype=torch.bfloat16):
            logits = network(**batch)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(LABELS)), labels.reshape(-1),
                                                 ignore_index=IGNORE)  # fmt: skip
        loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(loss.item())
        if step % 100 == 0:
            rate = (step - start + 1) * args.batch / (time.time() - began)
            logger.info("batch %d/%d loss %.4f (%.1f examples/s)", step, len(batches), np.mean(losses[-100:]), rate)
        if time.time() - last_save > args.checkpoint_minutes * 60:
            save(step + 1)
            last_save = time.time()
        if time.time() - began > args.minutes * 60:
            save(step + 1)
            logger.info("time budget reached at batch %d of %d: run again with --resume", step + 1, len(batches))
            break
    finished = step + 1 >= len(batches)
    if not finished and not args.export_partial:
        logger.info("not exporting a partial model (pass --export-partial to do so)")
        return
    figures = span_scores(network, tokenizer, validation_sets(), args.device)
    logger.info("validation: %s", json.dumps(figures, ensure_ascii=False))
    network.to("cpu")
    weights = {
        name: param.detach().float().numpy().astype(np.float16)
        for name, param in network.named_parameters()
        if param.requires_grad
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "entity_tagger.npz", **weights)
    meta = {
        "base_model": f"m3e-small@{M3E_SMALL_SHA256}",
        "rank": RANK,
        "alpha": ALPHA,
        "max_tokens": MAX_TOKENS,
        "labels": list(LABELS),
        "types": list(TYPES),
        "weights_sha256": hashlib.sha256((out / "entity_tagger.npz").read_bytes()).hexdigest(),
        "licence": f"{STRICTEST_LICENCE} (m3e-small; the NER sets state no licence)",
        "command": " ".join(["python -m training.entity_tagger", *sys.argv[1:]]),
        "finished": finished,
        "batches": f"{step + 1}/{len(batches)}",
        "seconds": round(spent + time.time() - began),
        "data": data_hashes(),
        "mixture": counts,
        "validation": figures,
    }
    (out / "entity_tagger.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    logger.info("wrote %s", out / "entity_tagger.npz")


if __name__ == "__main__":
    main()
