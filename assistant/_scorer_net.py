"""The answer scorer's network: the bundled m3e-small encoder read as a cross-encoder.

(question, candidate) pairs go through m3e-small's BERT with low-rank adapters (LoRA) on
every attention and feed-forward projection, mean pooling, and one linear unit that gives
the logit "this candidate states the answer". Only the adapters and the unit are learned
(``training/answer_scorer.py``); they are a few hundred thousand numbers, committed in
``assistant/models/``, and merged into a copy of the checksum-verified base weights when
the scorer is first built. torch is needed for training and for that one-time build only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ingest._lora import add_adapters, merge_trained


def candidate_text(title: str, section: str, sentence: str) -> str:
    """What the scorer reads beside the question: the headline (and sub-heading) give a
    sentence the subject it often leaves out ("该区 …" under "长治高新区 …")."""
    head = "｜".join(part for part in (title, section) if part)
    return f"{head}：{sentence}" if head else sentence


def build_network(base_path: Path, rank: int, alpha: float) -> Any:
    """A trainable scorer: base BERT frozen, LoRA adapters and the output unit trainable."""
    import torch
    from transformers import AutoModel

    class Scorer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = add_adapters(AutoModel.from_pretrained(str(base_path)), rank, alpha)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            return self.head(pooled.float()).squeeze(-1)

    return Scorer()


def trained_weights(network: Any) -> dict[str, np.ndarray]:
    """The learned numbers only (adapters and output unit), as float16 arrays."""
    return {
        name: param.detach().float().numpy().astype(np.float16)
        for name, param in network.named_parameters()
        if param.requires_grad
    }


def merged_network(base_path: Path, weights: dict[str, np.ndarray], rank: int, alpha: float) -> Any:
    """A plain (adapter-free) scorer: each adapter folded into its base weight, ready to export."""
    return merge_trained(build_network(base_path, rank, alpha), weights, "scorer")
