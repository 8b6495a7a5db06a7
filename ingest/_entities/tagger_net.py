"""The name tagger's network: m3e-small's BERT with LoRA adapters and a per-token BIO head.

It finds where names begin and end in a sentence; which *kind* of entity a name is, and
whether it counts (a suffix, the gazetteer), stays with the rules. Trained by
``training/entity_tagger.py``; the adapters and head are committed in ``ingest/models/``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from .._lora import add_adapters

TYPES = ("PER", "LOC", "ORG", "TOWN", "PARK", "PROJECT")
"""Span types: people, places, organisations (companies, government bodies, associations),
towns (镇 / 乡 / 街道 / 专业镇), parks (园区 / 开发区 / 高新区 …), named projects."""

LABELS = ("O", *(f"{prefix}-{kind}" for kind in TYPES for prefix in ("B", "I")))
IGNORE = -100
"""Label of a token the loss skips (special tokens, spans a source labels in another way)."""
PIECE_CHARS = 120
"""The tagger reads a text in pieces of at most about this many characters (128 tokens)."""


def piece_bounds(text: str, keep_whole: Collection[int] = ()) -> list[tuple[int, int]]:
    """Where to cut ``text`` for the tagger: at sentence ends, about every
    :data:`PIECE_CHARS` characters, never at a position in ``keep_whole`` (inside a name);
    a piece with no sentence end in reach is cut hard."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > PIECE_CHARS:
        window = text[start : start + PIECE_CHARS]
        cut = max((i + 1 for i, ch in enumerate(window) if ch in "。！？；\n" and start + i + 1 not in keep_whole),
                  default=0)  # fmt: skip
        if cut < PIECE_CHARS // 4:
            cut = PIECE_CHARS
        bounds.append((start, start + cut))
        start += cut
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def build_tagger(base_path: Path, rank: int, alpha: float) -> Any:
    """A trainable tagger: base BERT frozen, adapters and the token head trainable."""
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = add_adapters(AutoModel.from_pretrained(str(base_path)), rank, alpha)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, len(LABELS))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return self.head(hidden.float())

    return Tagger()


def decode(label_ids: Sequence[int], offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """BIO label ids of a sentence's tokens → ``(start, end, type)`` character spans.

    An ``I-`` continues the open span whatever its type, and the span takes the type of its
    last token: a Chinese name is head-final, so 廊坊开发区管委会 read B-PARK … I-PARK I-ORG I-ORG
    is one organisation, not a park and a stray 管委会. An ``I-`` with no span open starts one
    (the model's way of saying "inside a name" is kept rather than dropped); special tokens
    have ``(0, 0)`` offsets and end any open span."""
    spans: list[tuple[int, int, str]] = []
    open_span: list[Any] | None = None
    for label_id, (start, end) in zip(label_ids, offsets, strict=True):
        label = LABELS[label_id] if 0 <= label_id < len(LABELS) else "O"
        if end <= start or label == "O":
            _close(spans, open_span)
            open_span = None
            continue
        prefix, kind = label.split("-", 1)
        if prefix == "I" and open_span is not None:
            open_span[1], open_span[2] = end, kind
            continue
        _close(spans, open_span)
        open_span = [start, end, kind]
    _close(spans, open_span)
    return spans


def _close(spans: list[tuple[int, int, str]], open_span: list[Any] | None) -> None:
    if open_span is not None:
        spans.append((open_span[0], open_span[1], open_span[2]))
