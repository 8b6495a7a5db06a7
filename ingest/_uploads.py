"""Uploaded files → a safe copy inside the upload folder, ready for :func:`parse_file`."""

from __future__ import annotations

import os
import re
import shutil
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ._errors import IngestError
from ._readers import check_supported, describe_size, suffix_of
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


@dataclass(frozen=True)
class Upload:
    """An uploaded file staged beside its final place in the upload folder.

    It is parsed from ``staged`` but stored under the name ``final``; only once the store
    has it does :meth:`commit` move it into place, so a failed or cancelled upload leaves
    nothing behind and never replaces the file an earlier version was stored from.
    """

    staged: Path
    final: Path

    @property
    def source(self) -> str:
        """The source name the store records: the final path."""
        return str(self.final)

    def commit(self) -> Path:
        os.replace(self.staged, self.final)  # atomic: a concurrent upload of the same name never interleaves
        return self.final

    def discard(self) -> None:
        self.staged.unlink(missing_ok=True)


def stage_upload(path: str | Path, original_name: str, upload_dir: str | Path, max_bytes: int) -> Upload:
    """Check an uploaded file (type, size) and copy it next to its place in ``upload_dir``
    under a safe name. The same name uploaded again replaces the earlier copy on commit,
    so a corrected page replaces its old version in the store. Raises
    :class:`IngestError` naming the file and the reason.
    """
    name = safe_upload_name(original_name)
    check_supported(Path(name))
    size = Path(path).stat().st_size
    if size > max_bytes:
        raise IngestError(name, "too large", f"{describe_size(size)} > limit {describe_size(max_bytes)}")
    folder = Path(upload_dir).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    final = (folder / name).resolve()
    if final.parent != folder:
        raise IngestError(original_name, "invalid", "file name points outside the upload folder")
    # the suffix stays last: the staged copy is read by the same reader as the final file
    staged = final.with_name(f".{final.name}.{os.getpid()}.{threading.get_ident()}.part{suffix_of(final)}")
    try:
        shutil.copyfile(path, staged)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise IngestError(name, "invalid", f"cannot copy the upload: {exc.strerror or exc}") from exc
    return Upload(staged, final)
