"""Hostile and broken source files through ``parse_file``: outcome, time and peak memory.

    python -m bench.nasty_files [--only NAME ...] [--timeout 120] [--keep DIR]

Builds each nasty file in a temporary folder (never in the repository; ``--keep DIR``
writes them to DIR instead, for a closer look), parses it in a fresh subprocess with a
3 GiB address-space cap, and prints a Markdown table: the one-line error or the
articles/chunks made, the parse time measured inside the child, and the child's peak RSS
(its own ``VmHWM``; ``os.wait4``'s ``ru_maxrss`` if it crashed before reporting). The table goes
into ``docs/reliability.md``; "baseline" is an empty interpreter with ``ingest`` imported.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRUD = ROOT.parent / "shared" / "data" / "crud_news" / "articles.jsonl.gz"
MB = 1024 * 1024
ADDRESS_SPACE_CAP = 3 * 1024 * MB
SENTENCE = "晋中高新区今年新签约项目二十六个，总投资一百三十八亿元。"
UNFINISHED = "这是一个没有句号结尾的比较长的段落用于测试列断行修复的工作量第{}段内容"

CHILD = r"""
import json, sys, time, resource
mode, path = sys.argv[1], sys.argv[2]
from ingest import IngestError, chunk_article, iter_bulk_articles, parse_file
result = {}
start = time.perf_counter()
try:
    if mode == "parse":
        parsed = parse_file(path)
        result = {"outcome": "ok", "articles": len(parsed.articles),
                  "chunks": sum(len(chunk_article(a)) for a in parsed.articles)}
    elif mode == "stream":
        articles = chunks = 0
        for article in iter_bulk_articles(path):
            articles += 1
            chunks += len(chunk_article(article))
        result = {"outcome": "ok", "articles": articles, "chunks": chunks}
    else:
        result = {"outcome": "ok", "articles": 0, "chunks": 0}
except IngestError as exc:
    result = {"outcome": "error", "message": str(exc)}
except BaseException as exc:
    result = {"outcome": "crash", "message": f"{type(exc).__name__}: {exc}"[:300]}
result["seconds"] = time.perf_counter() - start
with open("/proc/self/status") as status:  # VmHWM: this process's own peak, fresh since exec
    result["hwm_kb"] = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps(result, ensure_ascii=False))
"""


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[Path], Path]
    mode: str = "parse"


# ---------------------------------------------------------------- builders


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _page(paragraphs: int = 3) -> str:
    return "晋中高新区新签约项目\n\n" + "\n\n".join(SENTENCE * 3 for _ in range(paragraphs)) + "\n\n刘洋\n"


def random_bytes(folder: Path) -> Path:
    return _write(folder, "random.txt", random.Random(1).randbytes(MB))


def random_bytes_no_nul(folder: Path) -> Path:
    rng = random.Random(2)
    return _write(folder, "random_no_nul.txt", bytes(rng.randrange(1, 256) for _ in range(256 * 1024)))


def nul_bytes(folder: Path) -> Path:
    return _write(folder, "nul_late.txt", (_page() * 200).encode() + b"\x00" * 100 + _page().encode())


def invalid_utf8(folder: Path) -> Path:
    return _write(folder, "invalid_utf8.txt", _page().encode() + b"\xff\xfe\xc3\x28\xa0\xa1" * 20 + _page().encode())


def lone_surrogates(folder: Path) -> Path:
    data = _page().encode() + "\ud800 孤立代理项 \udfff。".encode("utf-8", "surrogatepass") + b"\n"
    return _write(folder, "lone_surrogates.txt", data)


def lone_surrogates_jsonl(folder: Path) -> Path:
    record = '{"id": "s1", "title": "\\ud800标题", "text": "正文里有孤立代理项\\udc00。第二句。"}\n'
    return _write(folder, "lone_surrogates.jsonl", record)


def mixed_encodings(folder: Path) -> Path:
    lines = [SENTENCE.encode("gb18030") if i % 2 else SENTENCE.encode() for i in range(200)]
    return _write(folder, "mixed_gb18030_utf8.txt", "标题\n".encode() + b"\n".join(lines))


def single_line_5mb(folder: Path) -> Path:
    text = (SENTENCE * (5 * MB // len(SENTENCE.encode()) + 1)).encode()[: 5 * MB]
    return _write(folder, "one_line_5mb.txt", text.decode(errors="ignore"))


def single_line_no_stop(folder: Path) -> Path:
    unit = "产业园区建设进展顺利投资规模持续扩大"
    return _write(folder, "one_line_no_stop.txt", unit * (5 * MB // len(unit.encode())))


def ascii_line_5mb(folder: Path) -> Path:
    return _write(folder, "ascii_line_5mb.txt", "a" * (5 * MB))


def tiny_paragraphs(count: int) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return _write(folder, f"tiny_{count}.txt", "\n\n".join(f"第{i}段。" for i in range(count)))

    return build


def unfinished_lines(folder: Path) -> Path:
    return _write(folder, "unfinished_3000.txt", "\n".join(UNFINISHED.format(i) for i in range(3000)))


def nested_html(depth: int) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        body = "<div>" * depth + f"<p>{SENTENCE * 3}</p>" + "</div>" * depth
        return _write(folder, f"nested_{depth}.html", f"<html><body><h1>标题</h1>{body}</body></html>")

    return build


def big_html(folder: Path) -> Path:
    para = f"<p>{SENTENCE * 4}</p>\n"
    return _write(folder, "big_20mb.html", "<html><body>" + para * (20 * MB // len(para.encode())) + "</body></html>")


def pdf_without_text(folder: Path) -> Path:
    from reportlab.pdfgen import canvas

    path = folder / "scanned.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    return path


def pdf_empty(folder: Path) -> Path:
    return _write(folder, "zero.pdf", b"")


def pdf_truncated(folder: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, SENTENCE)
    c.save()
    data = buffer.getvalue()
    return _write(folder, "truncated.pdf", data[: len(data) // 2])


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("晋中高新区新签约项目")
    document.add_paragraph(SENTENCE * 3)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_truncated(folder: Path) -> Path:
    data = _docx_bytes()
    return _write(folder, "truncated.docx", data[: len(data) // 2])


def docx_bad_xml(folder: Path) -> Path:
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = b"<w:document><unclosed" if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item, data)
    return _write(folder, "bad_xml.docx", buffer.getvalue())


def zip_bomb_docx(expanded_mb: int) -> Callable[[Path], Path]:
    """A real .docx whose document.xml expands to ``expanded_mb`` MB of valid paragraphs."""

    def build(folder: Path) -> Path:
        source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
        path = folder / f"bomb_{expanded_mb}mb.docx"
        head = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        )
        para = f"<w:p><w:r><w:t>{SENTENCE}</w:t></w:r></w:p>".encode()
        block = para * (MB // len(para))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
            for item in source.infolist():
                if item.filename != "word/document.xml":
                    target.writestr(item, source.read(item))
            with target.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head)
                written = len(head)
                while written < expanded_mb * MB:
                    member.write(block)
                    written += len(block)
                member.write(b"</w:body></w:document>")
        return path

    return build


def zip_many_members(folder: Path) -> Path:
    buffer = io.BytesIO(_docx_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        for i in range(20_000):
            archive.writestr(f"junk/{i}.xml", b"")
    return _write(folder, "many_members.docx", buffer.getvalue())


def broken_jsonl(folder: Path) -> Path:
    rows = [json.dumps({"id": i, "text": SENTENCE}, ensure_ascii=False) for i in range(5)]
    rows[2] = '{"id": 3, "text": "unterminated'
    return _write(folder, "broken.jsonl", "\n".join(rows) + "\n")


def jsonl_wrong_shape(folder: Path) -> Path:
    return _write(folder, "wrong_shape.jsonl", '{"id": 1, "text": "好。"}\n[1, 2, 3]\n')


def jsonl_deep(folder: Path) -> Path:
    return _write(folder, "deep.jsonl", "[" * 200_000 + "]" * 200_000 + "\n")


def jsonl_huge_record(folder: Path) -> Path:
    text = SENTENCE * (6_000_000 // len(SENTENCE))
    return _write(folder, "huge_record.jsonl", json.dumps({"id": "big", "text": text}, ensure_ascii=False) + "\n")


def jsonl_gz_bomb(folder: Path) -> Path:
    path = folder / "newlines_bomb.jsonl.gz"
    block = b"\n" * MB
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(500):
            fh.write(block)
    return path


def jsonl_gz_truncated(folder: Path) -> Path:
    rows = "\n".join(json.dumps({"id": i, "text": SENTENCE * 5}, ensure_ascii=False) for i in range(2000))
    data = gzip.compress(rows.encode())
    return _write(folder, "truncated.jsonl.gz", data[: len(data) // 2])


def bulk_50mb(folder: Path) -> Path:
    """About 50 MB of bulk records (the real CRUD news file when it is there)."""
    if CRUD.exists():
        return CRUD
    path = folder / "bulk_50mb.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(60_000):
            text = f"2023-07-{i % 28 + 1:02d} 10:00，正文：" + SENTENCE * 30
            fh.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
    return path


def hostile_name(name: str, content: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return _write(folder, name, content)

    return build


CASES = [
    Case("baseline", "import ingest, parse nothing", lambda folder: _write(folder, "unused.txt", "x"), mode="none"),
    Case("random_bytes", "1 MB of random bytes as .txt", random_bytes),
    Case("random_no_nul", "256 KB random bytes without NUL", random_bytes_no_nul),
    Case("nul_late", "page with NUL bytes after 8 KB", nul_bytes),
    Case("invalid_utf8", "UTF-8 page with invalid sequences", invalid_utf8),
    Case("lone_surrogates", "UTF-8-encoded lone surrogates (.txt)", lone_surrogates),
    Case("surrogates_jsonl", '"\\ud800" escapes in a .jsonl record', lone_surrogates_jsonl),
    Case("mixed_encodings", "GB18030 and UTF-8 lines in one file", mixed_encodings),
    Case("line_5mb", "one 5 MB line of sentences", single_line_5mb),
    Case("line_5mb_no_stop", "one 5 MB line, no sentence end", single_line_no_stop),
    Case("ascii_line_5mb", "5 MiB of 'a', one line", ascii_line_5mb),
    Case("tiny_20k", "20,000 tiny paragraphs", tiny_paragraphs(20_000)),
    Case("tiny_100k", "100,000 tiny paragraphs", tiny_paragraphs(100_000)),
    Case("unfinished_3000", "3,000 lines that never end a sentence", unfinished_lines),
    Case("nested_190", "HTML nested 190 levels", nested_html(190)),
    Case("nested_10000", "HTML nested 10,000 levels", nested_html(10_000)),
    Case("html_20mb", "20 MB HTML page", big_html),
    Case("pdf_no_text", "PDF with a drawing, no text", pdf_without_text),
    Case("pdf_zero", "0-byte PDF", pdf_empty),
    Case("pdf_truncated", "PDF cut in half", pdf_truncated),
    Case("docx_truncated", "DOCX cut in half", docx_truncated),
    Case("docx_bad_xml", "DOCX with broken document.xml", docx_bad_xml),
    Case("zip_bomb_200", "DOCX bomb: document.xml → 200 MB", zip_bomb_docx(200)),
    Case("zip_members", "DOCX with 20,000 extra members", zip_many_members),
    Case("jsonl_broken", "JSONL with a broken line 3", broken_jsonl),
    Case("jsonl_shape", "JSONL line that is a list", jsonl_wrong_shape),
    Case("jsonl_deep", "JSONL line nested 200,000 deep", jsonl_deep),
    Case("jsonl_huge", "JSONL record of 6 M characters", jsonl_huge_record),
    Case("gz_bomb", ".jsonl.gz of 500 MB newlines", jsonl_gz_bomb),
    Case("gz_truncated", ".jsonl.gz cut in half", jsonl_gz_truncated),
    Case("bulk_50mb", "50 MB bulk file, streamed", bulk_50mb, mode="stream"),
    Case("bulk_50mb_tuple", "the same through parse_file (one tuple)", bulk_50mb),
    Case("name_traversal", "name ..\\..\\evil.txt", hostile_name("..\\..\\evil.txt", _page())),
    Case("name_long", "250-byte file name", hostile_name("长" * 82 + ".txt", _page())),
    Case("name_control", "name with newline + ESC, empty", hostile_name("bad\nname\x1b[31m.txt", " ")),
    Case("name_rtl", "name with U+202E RTL override, empty", hostile_name("invoice\u202etxt.exe.txt", "")),
]


# ---------------------------------------------------------------- running


def run_case(case: Case, folder: Path, timeout: float) -> dict:
    built = time.perf_counter()
    path = case.build(folder)
    build_seconds = time.perf_counter() - built

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))

    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, case.mode, str(path)],
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=ROOT,
            preexec_fn=cap_memory,
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    size = path.stat().st_size
    try:
        result = json.loads(out.decode().strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        killed = proc.returncode == -9
        tail = stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        result = {"outcome": "timeout" if killed else "crash", "message": tail[0], "seconds": None}
    # the child's own VmHWM when it could report it; wait4's ru_maxrss also counts the pages it
    # shared with this (bigger) parent right after fork, so it is only the fallback for crashes
    peak_kb = result.get("hwm_kb") or usage.ru_maxrss
    result.update(size=size, rss_mb=peak_kb / 1024, build_seconds=build_seconds)
    if "message" in result:
        result["message"] = result["message"].replace(f"{folder}/", "").replace(f"{CRUD.parent}/", "")
    return result


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _size(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= 100 * 1024 else f"{size / 1024:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("--keep", help="build the files here instead of a temporary folder")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or c.name in args.only]
    print("| case | input | size | outcome | articles | chunks | parse s | peak RSS MB |")
    print("|---|---|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="nasty-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for case in cases:
            sub = folder / case.name
            sub.mkdir(exist_ok=True)
            r = run_case(case, sub, args.timeout)
            outcome = "ok" if r["outcome"] == "ok" else f"{r['outcome']}: {r['message']}"
            seconds = "—" if r.get("seconds") is None else f"{r['seconds']:.2f}"
            print(
                f"| {case.name} | {_cell(case.what)} | {_size(r['size'])} | {_cell(outcome)} |"
                f" {r.get('articles', '')} | {r.get('chunks', '')} | {seconds} | {r['rss_mb']:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
