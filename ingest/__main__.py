"""``python -m ingest`` — add, list and delete sources in the store.

    python -m ingest [--store DIR] PATH...    files or folders (recursively)
    python -m ingest --list
    python -m ingest --delete SOURCE

Exit status: 0 all went in, 1 some file failed (the others still went in), 2 usage or
store error, 130 interrupted (the file being written is rolled back).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from ._errors import IngestError, NewsAssistantError
from ._parse import parse_file
from ._readers import SUPPORTED_SUFFIXES, suffix_of


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from docs_store import Settings, open_store

    settings = Settings.from_env(**({"store_dir": Path(args.store)} if args.store else {}))
    if not (args.paths or args.list or args.delete):
        _parser().print_usage(sys.stderr)
        print("error: give PATH..., --list or --delete SOURCE", file=sys.stderr)
        return 2
    try:
        store = open_store(settings)
    except NewsAssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with store:
        try:
            if args.delete:
                removed = store.delete_source(args.delete)
                print(f"deleted {args.delete}: {removed} chunks removed")
                return 0
            if args.list:
                _print_sources(store)
                return 0
            return _ingest_paths(store, settings, args.paths, show_progress=not args.quiet)
        except NewsAssistantError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("interrupted: the file being written was rolled back", file=sys.stderr)
            return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Ingest Chinese news pages.")
    parser.add_argument("paths", nargs="*", help="files or folders to ingest")
    parser.add_argument("--store", help="store directory (default: $DOCS_STORE_DIR or data/store)")
    parser.add_argument("--list", action="store_true", help="list stored sources with counts")
    parser.add_argument("--delete", metavar="SOURCE", help="remove one source from the store")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    return parser


def expand_paths(paths: list[str]) -> list[Path]:
    """Files as given; folders expanded to their supported files (hidden ones skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and suffix_of(p) in SUPPORTED_SUFFIXES and not p.name.startswith(".")
            )
        else:
            files.append(path)
    return files


def _ingest_paths(store, settings, paths: list[str], *, show_progress: bool) -> int:
    files = expand_paths(paths)
    totals: Counter[str] = Counter()
    bar = tqdm(files, unit="file", disable=not show_progress, file=sys.stderr)
    for path in bar:
        bar.set_postfix_str(path.name[-30:])
        try:
            parsed = parse_file(path, max_bytes=settings.max_file_bytes)
            with _chunk_bar(show_progress) as on_progress:
                report = store.ingest(parsed, progress=on_progress)
        except IngestError as exc:
            tqdm.write(f"failed: {exc}", file=sys.stderr)
            totals["failed"] += 1
            continue
        totals[report.status] += 1
        totals["articles"] += report.articles
        totals["chunks"] += report.chunks
    bar.close()
    print(
        f"{len(files)} files: {totals['added']} added, {totals['replaced']} replaced,"
        f" {totals['unchanged']} unchanged, {totals['failed']} failed;"
        f" {totals['articles']} articles, {totals['chunks']} chunks"
    )
    return 1 if totals["failed"] else 0


@contextlib.contextmanager
def _chunk_bar(show: bool):
    """A second bar for the chunks of a big file (bulk .jsonl), shown while embedding."""
    bar = tqdm(unit="chunk", desc="embedding", disable=not show, leave=False, file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()


def _print_sources(store) -> None:
    sources = store.sources()
    if not sources:
        print("(store is empty)")
        return
    for s in sources:
        dates = f"{s.first_date}…{s.last_date}" if s.first_date and s.first_date != s.last_date else s.first_date
        print(f"{s.articles:6d} articles {s.chunks:7d} chunks  {dates or '-':>23}  {s.source}")


if __name__ == "__main__":
    sys.exit(main())
