"""``python -m ingest`` — add, list and delete sources in the store.

    python -m ingest [--store DIR] PATH...    files or folders (recursively)
    python -m ingest --list                   never waits: reads the catalogue only
    python -m ingest --delete SOURCE
    python -m ingest --rebuild                re-embed every chunk with the current encoder
    python -m ingest --migrate                move the store to the backend MILVUS_URI / CHROMA_HOST name
    python -m ingest --migrate --from-milvus URI#STORE   bring a Milvus store back to --store DIR

When the app holds a local store, the request goes to the app (through the socket named in
the store's lock file), with the same progress, result lines and exit status.

Exit status: 0 all went in, 1 some file failed (the others still went in), 2 usage or
store error, 130 interrupted (the file being written is rolled back; a bulk file keeps
its committed batches and resumes when run again).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ._errors import NewsAssistantError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not (args.paths or args.list or args.delete or args.rebuild or args.migrate or args.reindex_entities):
        parser.print_usage(sys.stderr)
        print(
            "error: give PATH..., --list, --delete SOURCE, --rebuild, --reindex-entities or --migrate", file=sys.stderr
        )
        return 2
    from docs_store import Settings

    try:
        settings = Settings.from_env(**({"store_dir": Path(args.store)} if args.store else {}))
        if args.list:
            return _list(settings)
        return _write(settings, args)
    except NewsAssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "interrupted: the file being written was rolled back (a bulk file resumes when run again)", file=sys.stderr
        )
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Ingest Chinese news pages.")
    parser.add_argument("paths", nargs="*", help="files or folders to ingest")
    parser.add_argument("--store", help="store directory (default: $DOCS_STORE_DIR or data/store)")
    parser.add_argument("--list", action="store_true", help="list stored sources with counts")
    parser.add_argument("--delete", metavar="SOURCE", help="remove one source from the store")
    parser.add_argument("--rebuild", action="store_true", help="re-embed every chunk with the current encoder")
    parser.add_argument(
        "--reindex-entities", action="store_true", help="extract entities, facts and regions of every article again"
    )
    parser.add_argument(
        "--migrate", action="store_true", help="move the store to the backend MILVUS_URI / CHROMA_HOST name"
    )
    parser.add_argument(
        "--from-milvus", metavar="URI#STORE", help="with --migrate and no MILVUS_URI: the Milvus store to move back"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    return parser


def _list(settings: Any) -> int:
    from docs_store import read_sources

    sources = read_sources(settings)
    if not sources:
        print("(store is empty)")
        return 0
    for s in sources:
        dates = f"{s.first_date}…{s.last_date}" if s.first_date and s.first_date != s.last_date else s.first_date
        partial = "  (partial: run the import again to finish)" if s.status == "partial" else ""
        print(f"{s.articles:6d} articles {s.chunks:7d} chunks  {dates or '-':>23}  {s.source}{partial}")
    return 0


def _write(settings: Any, args: argparse.Namespace) -> int:
    """Open the store and write, or — when another process holds it — ask that process."""
    from docs_store import StoreBusy, open_store

    if args.migrate:
        return _migrate(settings, args)
    try:
        store = open_store(settings, rebuilding=args.rebuild)
    except StoreBusy as busy:
        if not busy.service or args.rebuild or args.reindex_entities:  # the app answers from what these replace
            raise
        print(f"the store is held by process {busy.pid}; sending the request to it", file=sys.stderr)
        return _forward(Path(busy.service), _request(args), quiet=args.quiet)
    with store:
        if args.delete:
            print(f"deleted {args.delete}: {store.delete_source(args.delete)} chunks removed")
            return 0
        if args.reindex_entities:
            print(f"re-extracted the entities of {store.reindex_entities()} articles")
            return 0
        if args.rebuild:
            with _bar("embedding", "chunk", args.quiet) as update:
                count = store.rebuild_vectors(progress=update)
            print(f"re-embedded {count} chunks with {store.model_id}")
            return 0
        return _ingest(store, settings, args.paths, quiet=args.quiet)


def _request(args: argparse.Namespace) -> dict:
    """What another process should do: paths resolved here, where the user typed them."""
    if args.delete:
        named = Path(args.delete)
        return {"op": "delete", "source": str(named.resolve()) if named.exists() else args.delete}
    return {"op": "ingest", "paths": [str(Path(p).resolve()) for p in args.paths]}


def _ingest(store: Any, settings: Any, paths: list[str], *, quiet: bool) -> int:
    from docs_store import load_paths

    printer = _Printer(quiet)
    summary = load_paths(store, paths, settings.limits, printer)
    store.prepare_search()  # so the first question after a big import does not wait
    return 1 if summary.counts.get("failed") else 0


def _forward(service: Path, request: dict, *, quiet: bool) -> int:
    from docs_store import Event, forward

    printer = _Printer(quiet)
    for reply in forward(service, request):
        kind = reply.get("kind")
        if kind == "done":
            return int(reply["exit"])
        if kind == "error":
            print(f"error: {reply['text']}", file=sys.stderr)
            return 2
        if kind == "message":
            print(reply["text"])
        else:
            printer(Event.from_dict(reply))
    print("error: the process holding the store closed the connection", file=sys.stderr)
    return 2


def _migrate(settings: Any, args: argparse.Namespace) -> int:
    from docs_store import migrate

    with _bar("copying", "chunk", args.quiet) as update:
        old, new, count = migrate(settings, progress=update, from_milvus=args.from_milvus)
    print(f"moved {count} chunks from {old} to {new}" if old != new else f"the store is already in {new}")
    return 0


class _Printer:
    """Events → progress bars on stderr and one line per file (failures first-class)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.started = time.monotonic()

    def __call__(self, event: Any) -> None:
        if event.kind == "file":
            self._close()
            if not self.quiet:
                # disable=None: no bar when stderr is not a terminal (logs get the summaries)
                self.bar = tqdm(desc=event.name[-30:], unit="", leave=False, file=sys.stderr, disable=None)
            self.started = time.monotonic()
        elif event.kind == "progress" and self.bar is not None:
            self.bar.unit = event.unit
            self.bar.total = event.total or None
            if event.unit == "article":
                rate = event.done / max(time.monotonic() - self.started, 1e-6)
                self.bar.set_postfix_str(f"{rate:.1f} articles/s, {event.articles} already stored", refresh=False)
            self.bar.update(event.done - self.bar.n)  # redraws at most every tqdm mininterval
        elif event.kind == "result":
            self._close()
            line = event.line()
            print(line, file=sys.stderr if event.status == "failed" else sys.stdout)
        elif event.kind == "summary":
            self._close()
            c = event.counts
            print(
                f"{c.get('files', 0)} files: {c.get('added', 0)} added, {c.get('replaced', 0)} replaced,"
                f" {c.get('unchanged', 0)} unchanged, {c.get('failed', 0)} failed;"
                f" {c.get('articles', 0)} articles, {c.get('chunks', 0)} chunks"
            )

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class _bar:  # noqa: N801 - a context manager read as a phrase
    """A progress bar for one long step; yields its ``update(done, total)``."""

    def __init__(self, desc: str, unit: str, quiet: bool) -> None:
        self.tqdm = tqdm(desc=desc, unit=unit, disable=True if quiet else None, leave=False, file=sys.stderr)

    def __enter__(self) -> Callable[[int, int], None]:
        def update(done: int, total: int) -> None:
            self.tqdm.total = total
            self.tqdm.update(done - self.tqdm.n)

        return update

    def __exit__(self, *exc: object) -> None:
        self.tqdm.close()


if __name__ == "__main__":
    sys.exit(main())
