"""Models run through OpenVINO: exported once from checksum-verified weights, cached, re-checked.

An exported model is a folder ``<cache>/<name>-<key>/`` holding the OpenVINO IR
(``model.xml`` + ``model.bin``) and ``manifest.json`` with the SHA-256 of both files and of
what it was built from. Loading checks the files against the manifest; a folder that does
not match (a partial copy, a disk error, tampering) is rebuilt from the verified source.
Exports are written beside the cache and renamed into place, so two processes exporting
at once never see half a model.

The ``.bin`` holds the weights in float32 and is byte-for-byte reproducible from the source
weights, so its checksum identifies the encoder a store's vectors came from.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import StoreError

logger = logging.getLogger(__name__)

DEFAULT_CACHE = Path(sys.prefix) / "share" / "news-assistant" / "models"
"""Inside the virtual environment, beside the packages the models are built from."""


@dataclass(frozen=True)
class ExportedModel:
    """A cached OpenVINO IR and the checksum of its weights file."""

    xml: Path
    weights_sha256: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cached_export(
    name: str, source_key: str, build: Callable[[], tuple[Any, dict[str, Any]]], cache_dir: Path | None = None
) -> ExportedModel:
    """The IR for ``name`` built from the source identified by ``source_key``.

    ``build()`` returns ``(torch module, example inputs)``; it is called only when the cache
    lacks a verified copy.
    """
    folder = (cache_dir or DEFAULT_CACHE) / f"{name}-{source_key[:12]}"
    found = _verified(folder, source_key)
    if found is not None:
        return found
    logger.info("building %s for OpenVINO (once) in %s", name, folder)
    staging = folder.with_name(f".{folder.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        _export(build, staging)
        manifest = {
            "source": source_key,
            "files": {f: sha256_of(staging / f) for f in ("model.xml", "model.bin")},
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if (found := _verified(folder, source_key)) is not None:  # another process won the race
            return found
        raise StoreError(f"cannot write the model cache {folder}: {exc} (set MODEL_CACHE_DIR)") from exc
    found = _verified(folder, source_key)
    if found is None:
        raise StoreError(f"exported model in {folder} does not match its manifest")
    return found


def _verified(folder: Path, source_key: str) -> ExportedModel | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest["source"] != source_key:
            return None
        for file, expected in manifest["files"].items():
            if sha256_of(folder / file) != expected:
                logger.warning("%s does not match its checksum; rebuilding", folder / file)
                return None
        return ExportedModel(folder / "model.xml", manifest["files"]["model.bin"])
    except (OSError, ValueError, KeyError):
        return None


def _export(build: Callable[[], tuple[Any, dict[str, Any]]], folder: Path) -> None:
    """Trace the module and save its IR. Tracing warns about shape-dependent Python branches
    in transformers' masking code; those branches take the same way for every input (the
    mask always covers the whole sequence), which a test checks against torch's vectors."""
    import openvino as ov
    import torch
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module, example = build()
        with torch.no_grad():
            model = ov.convert_model(module.eval(), example_input=example)
    ov.save_model(model, str(folder / "model.xml"), compress_to_fp16=False)


def compile_model(xml: Path, threads: int) -> Any:
    """Compile for the CPU with ``threads`` inference threads (OpenVINO picks bf16 where
    the CPU has it, else float32)."""
    import openvino as ov

    core = ov.Core()
    return core.compile_model(
        core.read_model(str(xml)), "CPU", {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY"}
    )


def inference_precision(compiled: Any) -> str:
    """``"bf16"`` or ``"f32"``: what the CPU plugin computes in."""
    return str(compiled.get_property("INFERENCE_PRECISION_HINT").get_type_name())
