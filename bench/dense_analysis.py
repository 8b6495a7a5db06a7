"""Why does the dense list lose CMRC recall once news distractors are in? (an investigation)

    python -m bench.dense_analysis --store bench/results/store_mix20k

Reads every vector of a store holding the CMRC passages and news distractors, encodes the
3,219 CMRC dev questions, and compares for each question:
- Chroma's HNSW search against exact (brute-force) cosine search;
- which chunks win rank 1 when the gold passage does not ("hubs" that win for many
  unrelated questions point at anisotropy of the vector space);
- the same with vectors centred on the mean of the news vectors (a common fix for hubs).
Prints recall@1/@5 for each variant.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from docs_store import Settings, open_store
from training.data import cmrc_part


def recall(ranked: np.ndarray, gold: list[set[int]], k: int) -> float:
    return float(np.mean([bool(set(ranked[i, :k].tolist()) & gold[i]) for i in range(len(gold))]))


def top5(queries: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    out = []
    for i in range(0, len(queries), 256):
        scores = queries[i : i + 256] @ matrix.T
        part = np.argpartition(-scores, 5, axis=1)[:, :5]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
        out.append(np.take_along_axis(part, order, axis=1))
    return np.vstack(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True)
    args = parser.parse_args()
    with open_store(Settings.from_env(store_dir=Path(args.store))) as store:
        ids = sorted(store.chunk_ids())
        vectors_by_id = store._vectors.vectors(ids)  # an analysis script may read the raw vectors
        chunks = store.catalog.chunks_by_id(ids)
        matrix = np.stack([vectors_by_id[i] for i in ids]).astype(np.float32)
        refs = [chunks[i].ref for i in ids]
        is_news = np.array([r.startswith("crud") for r in refs])
        _, qas = cmrc_part("all")
        questions = store.embedding.embed_documents([q.question for q in qas])
        gold = [{j for j, r in enumerate(refs) if r == q.passage_id} for q in qas]
        position = {cid: j for j, cid in enumerate(ids)}
        hnsw = []
        for q in qas:
            got = [position[cid] for cid, _ in store._vectors.search(q.question, 5)]
            hnsw.append((got + [-1] * 5)[:5])
    exact = top5(questions, matrix)
    hnsw_ranked = np.array(hnsw)
    print(f"{len(ids)} chunks ({int(is_news.sum())} news), {len(qas)} questions")
    print(f"HNSW  recall@1 {recall(hnsw_ranked, gold, 1):.4f}  @5 {recall(hnsw_ranked, gold, 5):.4f}")
    print(f"exact recall@1 {recall(exact, gold, 1):.4f}  @5 {recall(exact, gold, 5):.4f}")
    wrong = [exact[i, 0] for i in range(len(qas)) if exact[i, 0] not in gold[i]]
    winners = Counter(int(w) for w in wrong)
    print(f"rank-1 misses: {len(wrong)}, by news chunks {sum(is_news[w] for w in wrong)};"
          f" distinct winners {len(winners)}, top winners {winners.most_common(5)}")  # fmt: skip
    for label, mean in (("news mean", matrix[is_news].mean(axis=0)), ("all mean", matrix.mean(axis=0))):
        centred = matrix - mean
        centred /= np.linalg.norm(centred, axis=1, keepdims=True)
        q = questions - mean
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        ranked = top5(q, centred)
        print(f"centred ({label}) recall@1 {recall(ranked, gold, 1):.4f}  @5 {recall(ranked, gold, 5):.4f}")


if __name__ == "__main__":
    main()
