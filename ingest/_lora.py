"""Low-rank adapters (LoRA) over the bundled m3e-small BERT, shared by every learned part.

Training (``training/``) adds adapters to a frozen copy of the checksum-verified base and
learns only them and a small head: a few hundred thousand numbers, committed beside the
code. At run time they are folded into the base weights once (:func:`merge_adapters`), so
inference runs a plain BERT. torch is imported only when a network is built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense")


def add_adapters(bert: Any, rank: int, alpha: float) -> Any:
    """Freeze ``bert`` and wrap every encoder projection in :data:`LORA_TARGETS` with an
    adapter (parameter names ``….lora_a`` / ``….lora_b``); returns ``bert``."""
    import torch

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

    for p in bert.parameters():
        p.requires_grad = False
    for name, module in list(bert.named_modules()):
        for child_name, child in list(module.named_children()):
            full = f"{name}.{child_name}"
            if isinstance(child, torch.nn.Linear) and "encoder.layer" in full and full.endswith(LORA_TARGETS):
                setattr(module, child_name, LoRALinear(child))
    return bert


def merge_trained(network: Any, weights: Mapping[str, np.ndarray], what: str) -> Any:
    """``network`` with its learned numbers (``weights``: every trainable parameter, as
    committed) loaded and its adapters folded in: a plain network, ready to export."""
    import torch

    state = {name: torch.from_numpy(value.astype(np.float32)) for name, value in weights.items()}
    missing = [name for name, p in network.named_parameters() if p.requires_grad and name not in state]
    if missing:
        raise ValueError(f"{what} weights lack {missing[:3]}")
    network.load_state_dict(state, strict=False)
    return merge_adapters(network)


def merge_adapters(network: Any) -> Any:
    """Fold each adapter into its base weight and drop it: a plain network, ready to export."""
    import torch

    with torch.no_grad():
        for module in list(network.modules()):
            for child_name, child in list(module.named_children()):
                if hasattr(child, "lora_a"):
                    child.base.weight += (child.lora_b @ child.lora_a) * child.scale
                    setattr(module, child_name, child.base)
    return network.eval()
