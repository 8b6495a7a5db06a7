"""The answer scorer's network: the bundled m3e-small encoder read as a cross-encoder.

(question, candidate) pairs go through m3e-small's BERT with low-rank adapters (LoRA) on
every attention and feed-forward projection, mean pooling, and one linear unit that gives
the logit "this candidate states the answer". Only the adapters and the unit are learned
(``training/answer_scorer.py``); they are a few hundred thousand numbers, committed in
``assistant/models/``, and merged into a copy of the checksum-verified base weights when
the scorer is first built. torch is needed for training and for that one-time build only.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense")


def candidate_text(title: str, section: str, sentence: str) -> str:
    """What the scorer reads beside the question: the headline (and sub-heading) give a
    sentence the subject it often leaves out ("该区 …" under "长治高新区 …")."""
    head = "｜".join(part for part in (title, section) if part)
    return f"{head}：{sentence}" if head else sentence


def build_network(base_path: Path, rank: int, alpha: float) -> Any:
    """A trainable scorer: base BERT frozen, LoRA adapters and the output unit trainable."""
    import torch
    from transformers import AutoModel

    class LoRALinear(torch.nn.Module):
        def __init__(self, base: torch.nn.Linear) -> None:
            super().__init__()
            self.base = base
            self.scale = alpha / rank
            self.lora_a = torch.nn.Parameter(torch.zeros(rank, base.in_features))
            self.lora_b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
            torch.nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
            for p in base.parameters():
                p.requires_grad = False

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.lora_a.t() @ self.lora_b.t()) * self.scale

    class Scorer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(base_path))
            for p in self.bert.parameters():
                p.requires_grad = False
            for name, module in list(self.bert.named_modules()):
                for child_name, child in list(module.named_children()):
                    full = f"{name}.{child_name}"
                    if isinstance(child, torch.nn.Linear) and "encoder.layer" in full and full.endswith(LORA_TARGETS):
                        setattr(module, child_name, LoRALinear(child))
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
    import torch

    network = build_network(base_path, rank, alpha)
    state = {name: torch.from_numpy(value.astype(np.float32)) for name, value in weights.items()}
    missing = [name for name, p in network.named_parameters() if p.requires_grad and name not in state]
    if missing:
        raise ValueError(f"scorer weights lack {missing[:3]}")
    network.load_state_dict(state, strict=False)
    with torch.no_grad():
        for module in list(network.modules()):
            for child_name, child in list(module.named_children()):
                if hasattr(child, "lora_a"):
                    child.base.weight += (child.lora_b @ child.lora_a) * child.scale
                    setattr(module, child_name, child.base)
    return network.eval()
