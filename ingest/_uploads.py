"""Uploaded files → a safe copy inside the upload folder, ready for :func:`parse_file`."""

from __future__ import annotations

import os
import re
import shutil
import threading
import unicodedata
from pathlib import Path

from ._errors import IngestError
from ._readers import check_supported, describe_size
from ._text import CJK

_UNSAFE = re.compile(f"[^\\w.\\-()（）{CJK}]+")


def safe_upload_name(name: str) -> str:
    """A file name that cannot leave its folder: no separators, no "..", no control chars.

    >>> safe_upload_name("../../etc/科学导报 第3版.txt")
    '科学导报_第3版.txt'
    """
    base = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    base = _UNSAFE.sub("_", base).strip("._ ") or "upload"
    stem, dot, suffix = base.rpartition(".")
    if dot and len(base) > 120:
        base = stem[: 120 - len(suffix) - 1] + "." + suffix
    return base[:120]


def store_upload(path: str | Path, original_name: str, upload_dir: str | Path, max_bytes: int) -> Path:
    """Check an uploaded file (type, size) and copy it into ``upload_dir`` under a safe name.

    The same name uploaded again replaces the earlier copy, so a corrected page replaces
    its old version in the store. Raises :class:`IngestError` naming the file and reason.
    """
    name = safe_upload_name(original_name)
    check_supported(Path(name))
    size = Path(path).stat().st_size
    if size > max_bytes:
        raise IngestError(name, "too large", f"{describe_size(size)} > limit {describe_size(max_bytes)}")
    folder = Path(upload_dir).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    target = (folder / name).resolve()
    if target.parent != folder:
        raise IngestError(original_name, "invalid", "file name points outside the upload folder")
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.part")
    shutil.copyfile(path, partial)
    os.replace(partial, target)  # atomic: a concurrent upload of the same name never interleaves
    return target
