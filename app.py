"""Gradio app: chat with cited sources, a knowledge-base tab, and the ``/answer`` API.

    python app.py            # or `make run`; APP_HOST / APP_PORT / APP_AUTH from the environment

This file wires components to ``assistant`` and ``docs_store``; it holds no retrieval,
parsing or storage logic. Everything rendered from article text is HTML-escaped.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant import (
    MARKER_RE,
    Answer,
    Assistant,
    Citation,
    Related,
    entities,
    entity,
    export_docx,
    export_markdown,
    serve_queries,
)
from docs_store import DocsStore, Event, RetrievalMode, Settings, SourceInfo, StoreService, load_file, open_store
from ingest import (
    PAGE_ARTICLES,
    SUPPORTED_SUFFIXES,
    Article,
    IngestError,
    NewsAssistantError,
    Paragraph,
    page_outlet,
    stage_upload,
)

logger = logging.getLogger("app")

EXAMPLES = [
    "定襄法兰2024年产值多少？",
    "长治高新区获批了什么试点？",
    "长治高新区的四大主导产业是什么？",
    "兴县和哪家公司签约了？",
    "忻州市专业镇主导产业产值突破多少？",
]
LANGUAGES = ("中文", "English")
FORMATS = " ".join(SUPPORTED_SUFFIXES)
TEXTS: dict[str, tuple[str, str]] = {
    "header": (
        "## 新闻助手 · 有出处的问答\n提问关于已收录新闻文章的问题，每个答案都标注到文章、段落和句子。",
        "## News assistant · answers with sources\nAsk about the stored Chinese news articles; every answer"
        " is cited to the article, paragraph and sentence.",
    ),
    "chat_tab": ("问答", "Ask"),
    "kb_tab": ("知识库", "Articles"),
    "entity_tab": ("实体", "Entities"),
    "entity_query": ("名称（可输入简称）", "Name (any alias)"),
    "entity_kind": ("类别", "Kind"),
    "entity_region": ("地区", "Region"),
    "entity_search": ("查找", "Search"),
    "chatbot": ("对话", "Conversation"),
    "question": ("例如：定襄法兰2024年产值多少？", "Ask in Chinese, e.g. 定襄法兰2024年产值多少？"),
    "send": ("提问", "Ask"),
    "examples": ("示例问题", "Example questions"),
    "clear": ("清空对话", "Clear"),
    "export_md": ("导出对话 .md", "Export .md"),
    "export_docx": ("导出对话 .docx", "Export .docx"),
    "copy_box": ("复制答案（含出处）", "Copy the answer with its sources"),
    "plain": ("最近一个答案及出处", "The last answer and its sources"),
    "settings": ("设置", "Settings"),
    "k": ("参考的段落数", "Passages to read"),
    "mode": ("查找方式", "How to search"),
    "use_llm": ("使用大模型生成答案", "Generate with the LLM"),
    "files": (f"选择文章并导入（可多选；{FORMATS}）", f"Choose articles to add (several at once; {FORMATS})"),
    "chosen": ("选择来源（或点击表格中的一行）", "Source (or click a row of the table)"),
    "refresh": ("刷新", "Refresh"),
    "reingest": ("重新导入", "Re-import"),
    "delete": ("删除", "Delete"),
    "confirm": ("确认删除", "Confirm delete"),
    "cancel": ("取消", "Cancel"),
    "cancel_upload": ("停止导入", "Stop importing"),
}
"""Every interface text in both languages, written once: used to build the UI in Chinese
and to switch it (see :class:`UiTexts`)."""
WORDS: dict[str, tuple[str, str]] = {
    "placeholder": ("答案的出处会显示在这里。", "The sources of each answer show here."),
    "sources": ("出处", "Sources"),
    "reported": ("文章报道的是（不是所问的）", "What the articles report (not what was asked)"),
    "related": ("相关文章", "Related articles"),
    "full": ("查看全文", "Whole article"),
    "undated": ("未注明日期", "undated"),
    "paragraph": ("第{n}段", "paragraph {n}"),
    "asked": ("问", "Q"),
    "earlier": ("之前的问题", "Earlier questions"),
    "notice": ("提示", "Note"),
    "suggest": ("可以这样问", "Try asking"),
    "llm": (
        "（大模型根据原文作答，每个数字已与所引原句核对）",
        "(Written by the LLM from the quoted sentences; every figure checked against them)",
    ),
    "fallback": ("（原文摘录：大模型的回答未采用）", "(Quoted from the article: the LLM's answer was not used)"),
    "error": ("出错了，请稍后再试。", "Something went wrong; please try again."),
    "articles": ("{n}篇文章", "{n} articles"),
    "entity_hint": (
        "点击表中的实体，查看它的数据和提到它的句子。",
        "Click an entity to see its figures and the sentences that name it.",
    ),
    "choose_file": ("请先选择要导入的文件。", "Choose the files to add first."),
    "choose_source": (
        "请先选择一个来源（点击表格中的一行，或在下拉框中选择）。",
        "Choose a source first (click a row of the table or pick it in the list).",
    ),
    "importing": ("正在导入 {name} …", "Importing {name} …"),
    "internal": ("内部错误，未导入（详见日志）", "internal error, nothing stored (see the log)"),
    "confirm_delete": ("确定要删除 **{name}** 及其全部文章吗？", "Delete **{name}** and all its articles?"),
    "deleted": ("【已删除】{name}", "[deleted] {name}"),
    "file_gone": ("原文件已不存在：{name}，请重新上传。", "the original file is gone: {name}; upload it again."),
    "report": ("{status} {name}：{articles} 篇文章", "{status} {name}: {articles} articles"),
}
"""Words of the rendered panels (sources, notes), in both languages."""
TABLES: dict[str, tuple[list[str], list[str]]] = {
    "sources": (
        ["文章来源", "文件", "文章数", "发布日期", "导入时间"],
        ["Source", "File", "Articles", "Published", "Imported"],
    ),
    "entities": (
        ["名称", "类别", "地区", "提及次数", "文章数", "最新日期", "主要数据"],
        ["Name", "Kind", "Region", "Mentions", "Articles", "Latest", "Key figures"],
    ),
    "facts": (
        ["数据", "原文", "折算数值", "时期", "发布日期"],
        ["Figure", "As written", "Value", "Period", "Published"],
    ),
}
KIND_WORDS: dict[str, tuple[str, str]] = {
    "all": ("全部", "All"), "town": ("专业镇/镇", "Town"), "park": ("园区", "Park"), "project": ("项目", "Project"),
    "company": ("企业/机构", "Company"), "place": ("地区", "Place"),
}  # fmt: skip
"""Entity kinds as the 类别 filter and the table name them; "all" is no filter."""
MODE_WORDS: dict[RetrievalMode, tuple[str, str]] = {
    "hybrid": ("综合查找（推荐）", "By meaning and words (best)"),
    "dense": ("按意思查找", "By meaning"),
    "bm25": ("按关键词查找", "By exact words"),
}


def choices(words: dict[Any, tuple[str, str]], en: bool) -> list[tuple[str, Any]]:
    """``(label in the language, value)`` pairs: the value a handler gets never changes with it."""
    return [(pair[en], value) for value, pair in words.items()]


def kind_label(kind: str, en: bool = False) -> str:
    return KIND_WORDS[kind][en] if kind in KIND_WORDS else kind


STATUS_TEXT = {"added": "【已新增】", "unchanged": "【未变化】", "replaced": "【已替换】", "failed": "【失败】"}
"""Status words in brackets, not emoji: they render in any font (the machine may have none)."""
CSS = """
.cite-card {border:1px solid var(--border-color-primary); border-radius:8px; padding:10px 12px; margin:8px 0;}
.cite-card h4 {margin:0 0 4px 0; font-size:1rem;}
.cite-card.flash {outline:3px solid #f5b400;}
.cite-meta {color:var(--body-text-color-subdued); font-size:.85rem; margin-bottom:6px; word-break:break-all;}
.cite-card mark {background:#ffe58a; padding:0 2px;}
.cite-card mark b.answer {font-weight:700;}
.cite-card.other {border-style:dashed;}
.cite-card.other mark {background:#e6e6e6;}
.related-card {border-left:3px solid var(--border-color-primary); padding:4px 10px; margin:6px 0;}
.related-card h4 {margin:0; font-size:.95rem; font-weight:500;}
.cite-card details {margin-top:6px;} .cite-card details p {margin:.4em 0;}
.turn-q {font-weight:600; margin:.6em 0 .2em 0;} summary .turn-q {display:inline;}
a.cite-link {text-decoration:none; font-weight:600;}
.answer-note {color:var(--body-text-color-subdued); font-size:.9em;}
@media (max-width: 640px) {
  .cite-card {padding:8px;} .gradio-container {padding:4px !important;}
  #header p {display:none;} #header h2 {font-size:1.1rem; margin:0;}
  #chatbot {height:auto !important; min-height:90px; max-height:45vh;}
  #lang {min-width:150px !important; overflow:hidden !important;} #lang label {padding:2px 6px; font-size:.8rem;}
  #chat-tools {flex-wrap:nowrap; gap:4px;} #chat-tools button {font-size:.8rem; padding:4px;}
}
"""
HEAD = """<script>
// [n] in an answer jumps to its source card (and opens the earlier turn it belongs to)
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a.cite-link');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const card = document.getElementById(link.getAttribute('href').slice(1));
  if (!card) return;
  const older = card.closest('details.older');
  if (older) older.open = true;
  const target = card.closest('.cite-card') || card;
  target.scrollIntoView({behavior: 'smooth', block: 'start'});
  target.classList.add('flash');
  setTimeout(() => target.classList.remove('flash'), 1500);
}, true);
</script>"""


def word(key: str, en: bool, **values: Any) -> str:
    return WORDS[key][en].format(**values)


# ---------------------------------------------------------------- rendering (escaped HTML)


def answer_html(res: Answer, turn: int, en: bool = False) -> str:
    """The chat bubble: escaped text (article or model text shows exactly as written, never
    as markup), each ``[n]`` a link to its card, then the dates the answer is about, a
    notice, and which path wrote it where an LLM was involved."""
    text = html.escape(res.text)
    if en and res.reason in REFUSAL_EN:  # the why in the reader's language; the quote stays as printed
        text = f"{REFUSAL_EN[res.reason]}\n{text}"
    text = MARKER_RE.sub(lambda m: f"<a class='cite-link' href='#cite-{turn}-{m[1]}'>[{m[1]}]</a>", text)
    notes = []
    if res.scope:
        notes.append(f"（{html.escape(res.scope)}）")
    if res.notice:
        notes.append(f"{word('notice', en)}：{html.escape(res.notice)}")
    if res.found and res.mode in NOTED_MODES:
        notes.append(word(res.mode, en))
    if res.suggestions:
        asks = "、".join(f"“{html.escape(q)}”" for q in res.suggestions)
        notes.append(f"{word('suggest', en)}：{asks}")
    return text + "".join(f"\n<span class='answer-note'>{note}</span>" for note in notes)


REFUSAL_EN = {
    "not found": "No stored article answers this question.",
    "dates": "No article published in the dates searched answers this (they are named below, in Chinese).",
    "undated": "The stored articles are undated, so which ones are recent cannot be told.",
    "near miss": "The articles report another year, period, place or company than the one asked (quoted below).",
    "ask back": "Which one do you mean? The question names nothing, and the conversation has not either.",
    "empty": "No articles are stored yet: add some in the Articles tab first.",
}
"""A refusal's reason in English, shown above the assistant's own (Chinese) sentence."""
NOTED_MODES = ("llm", "fallback")
"""Which path produced a found answer, said under it where an LLM was involved; a plain
extractive answer (verbatim sentences) needs no label."""


def turn_html(res: Answer, turn: int, store: DocsStore, en: bool = False) -> str:
    """Evidence cards for one answer (sentence highlighted, direct answer in bold, one card
    per distinct quote); for a near miss, the other year's or place's sentence marked as
    such; for a refusal, the related articles as plain links — no highlight, no marker, no
    figure to copy by mistake."""
    parts = []
    if res.citations:
        header = word("sources" if res.found else "reported", en)
        kind = "evidence" if res.found else "other"
        cards = "".join(citation_card(group, store, kind, turn, en) for group in merged(res.citations))
        parts.append(f"<h3>{header}</h3>{cards}")
    if not res.found and res.related:
        parts.append(f"<h3>{word('related', en)}</h3>" + "".join(_related_card(r, store, en) for r in res.related))
    return "".join(parts)


def sources_html(conversation: list[tuple[str, Answer]], store: DocsStore, en: bool = False) -> str:
    """The sources of the whole conversation: the last answer's open, earlier ones folded
    (a ``[n]`` of an earlier answer opens its fold)."""
    if not conversation:
        return f"<p>{word('placeholder', en)}</p>"
    blocks = []
    for turn, (question, res) in reversed(list(enumerate(conversation, 1))):
        body = turn_html(res, turn, store, en)
        head = f"<div class='turn-q'>{word('asked', en)}{turn}：{html.escape(question)}</div>"
        if turn == len(conversation):
            blocks.append(f"<section id='turn-{turn}'>{head}{body}</section>")
        else:
            blocks.append(f"<details class='older' id='turn-{turn}'><summary>{head}</summary>{body}</details>")
    return "".join(blocks)


def merged(citations: tuple[Citation, ...]) -> list[list[Citation]]:
    """Citations grouped by the sentence they quote: the same sentence is one card."""
    groups: dict[tuple[str, int, int], list[Citation]] = {}
    for c in citations:
        groups.setdefault((c.article_id, c.start, c.end), []).append(c)
    return list(groups.values())


def _article(store: DocsStore, article_id: str) -> Article | None:
    try:
        return store.article(article_id)
    except NewsAssistantError:
        return None


def _meta(*parts: str) -> str:
    return " · ".join(html.escape(part) for part in parts if part)


def citation_card(group: list[Citation], store: DocsStore, kind: str, turn: int = 0, en: bool = False) -> str:
    """One quoted sentence: ``[1][3]`` (every marker that cites it), the headline, outlet ·
    date · author · paragraph, the paragraph with the quote marked, and the whole article."""
    c = group[0]
    article = _article(store, c.article_id)
    if article is not None and not 0 <= c.paragraph < len(article.paragraphs):
        article = None  # a citation from an older version of the article: its own text only
    meta = _meta(c.outlet, c.date or word("undated", en), c.byline, word("paragraph", en, n=c.paragraph + 1))
    paragraph = _highlight(article.paragraphs[c.paragraph], c) if article else html.escape(c.text)
    full = ""
    if article:
        body = "".join(f"<p>{_highlight(p, c)}</p>" for p in article.paragraphs)
        full = f"<details><summary>{word('full', en)}</summary>{body}</details>"
    numbers = "".join(f"[{g.number}]" for g in group)
    anchors = "".join(f"<span id='cite-{turn}-{g.number}'></span>" for g in group[1:])
    return (
        f"<div class='cite-card {kind}' id='cite-{turn}-{c.number}'>{anchors}<h4>{numbers} {html.escape(c.title)}</h4>"
        f"<div class='cite-meta'>{meta}</div><div>{paragraph}</div>{full}</div>"
    )


def _related_card(r: Related, store: DocsStore, en: bool) -> str:
    article = _article(store, r.article_id)
    body = "".join(f"<p>{html.escape(p.text)}</p>" for p in article.paragraphs) if article else ""
    full = f"<details><summary>{word('full', en)}</summary>{body}</details>" if body else ""
    return (
        f"<div class='related-card'><h4>{html.escape(r.title)}</h4>"
        f"<div class='cite-meta'>{_meta(r.outlet, r.date or word('undated', en), r.byline)}</div>{full}</div>"
    )


def _highlight(paragraph: Paragraph, c: Citation) -> str:
    """The paragraph, escaped, with the cited span in <mark> and the direct answer in <b>."""
    if not (paragraph.start <= c.start and c.end <= paragraph.end):
        return html.escape(paragraph.text)
    t, base = paragraph.text, paragraph.start
    s, e = c.start - base, c.end - base
    inner = html.escape(t[s:e])
    if c.answer_start is not None and c.answer_end is not None and c.start <= c.answer_start < c.answer_end <= c.end:
        a, b = c.answer_start - base, c.answer_end - base
        inner = f"{html.escape(t[s:a])}<b class='answer'>{html.escape(t[a:b])}</b>{html.escape(t[b:e])}"
    return f"{html.escape(t[:s])}<mark>{inner}</mark>{html.escape(t[e:])}"


def source_name(store: DocsStore, source: SourceInfo) -> str:
    """How a person names a stored page: its headline (one article), or its outlet or first
    headline and how many articles it holds — not a hashed file name."""
    articles = store.articles(source.source) if source.articles <= PAGE_ARTICLES else []
    if len(articles) == 1:
        return articles[0].title or Path(source.source).name
    outlet = page_outlet(articles)
    first = articles[0].title if articles else Path(source.source).name
    label = f"{outlet}（{first} 等）" if outlet else f"{first} 等"
    return f"{label} · {source.articles}篇"


def source_choices(store: DocsStore) -> list[tuple[str, str]]:
    """Dropdown entries: the page's readable name and file, the stored source name as value."""
    return [(f"{source_name(store, s)} — {Path(s.source).name}", s.source) for s in store.sources()]


def sources_table(store: DocsStore, en: bool = False) -> pd.DataFrame:
    rows = []
    for s in store.sources():
        dates = s.first_date if s.first_date == s.last_date else f"{s.first_date} – {s.last_date}"
        when = s.ingested_at.replace("T", " ")[:16]
        rows.append([source_name(store, s), Path(s.source).name, s.articles, dates or word("undated", en), when])
    return pd.DataFrame(rows, columns=TABLES["sources"][en])


def figure(number: float | None, unit: str) -> str:
    """A normalised value as a person reads it: 17000000000 元 → "170亿元" (""when none)."""
    if number is None:
        return ""
    for size, name in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"), (1, "")):
        if abs(number) >= size or size == 1:
            return f"{number / size:,.2f}".rstrip("0").rstrip(".") + f"{name}{unit}"
    return ""


# ---------------------------------------------------------------- the app


class NewsApp:
    """Event handlers bound to one store and one assistant (one process owns the store)."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.store = assistant.store
        self.settings = settings
        self.upload_dir = settings.uploads
        self.exports = Path(tempfile.mkdtemp(prefix="news-assistant-export-"))

    # chat ----------------------------------------------------------------

    def respond(
        self, message: str, saved: list | None, k: int, mode: RetrievalMode, use_llm: bool, language: str
    ) -> Iterator[tuple]:
        """Answer one question; yield (chat, sources, copy box, question box, conversation,
        Markdown export, Word export, examples fold). The conversation lives in the browser
        (``gr.BrowserState``), so it survives a reload."""
        question = (message or "").strip()
        conversation = load_conversation(saved)
        en = language == LANGUAGES[1]
        if not question:
            yield (gr.skip(),) * 8
            return
        history = [(q, res.text) for q, res in conversation]
        chat = chat_messages(conversation, en) + [{"role": "user", "content": html.escape(question)}]
        turn = len(conversation) + 1
        try:
            for res in self.assistant.stream(
                question, history, k=int(k), mode=mode if mode in MODE_WORDS else "hybrid", use_llm=bool(use_llm)
            ):
                bubble = {"role": "assistant", "content": answer_html(res, turn, en)}
                if res.mode == "llm" and not res.found:  # partial LLM text: no sources yet
                    yield chat + [bubble], *(gr.skip(),) * 7
                    continue
                done = conversation + [(question, res)]
                yield (
                    chat + [bubble], sources_html(done, self.store, en), res.plain_text(), "",
                    save_conversation(done), *self.export_buttons(done), gr.update(open=False),
                )  # fmt: skip
        except NewsAssistantError as exc:
            note = f"{word('notice', en)}：{html.escape(str(exc))}"
            yield chat + [{"role": "assistant", "content": note}], *(gr.skip(),) * 7
        except Exception:
            logger.exception("chat request failed")
            yield chat + [{"role": "assistant", "content": word("error", en)}], *(gr.skip(),) * 7

    def restore(self, saved: list | None, language: str) -> tuple:
        """Page load or language switch: the conversation from the browser, drawn again."""
        conversation = load_conversation(saved)
        en = language == LANGUAGES[1]
        last = conversation[-1][1].plain_text() if conversation else ""
        return (
            chat_messages(conversation, en), sources_html(conversation, self.store, en), last,
            *self.export_buttons(conversation), gr.update(open=not conversation),
        )  # fmt: skip

    def cleared(self, language: str) -> tuple:
        return ([], sources_html([], self.store, language == LANGUAGES[1]), "", [], *self.export_buttons([]),
                gr.update(open=True))  # fmt: skip

    def export_buttons(self, conversation: list[tuple[str, Answer]]) -> tuple[dict, dict]:
        """The two download buttons, holding this conversation as Markdown and as Word."""
        if not conversation:
            return gr.update(value=None, interactive=False), gr.update(value=None, interactive=False)
        text = export_markdown(conversation)
        folder = self.exports / hashlib.sha1(text.encode()).hexdigest()[:16]  # one folder per conversation
        stamp = time.strftime("%Y%m%d-%H%M")
        try:
            folder.mkdir(exist_ok=True)
            markdown = folder / f"对话记录-{stamp}.md"
            markdown.write_text(text, encoding="utf-8")
            docx = export_docx(conversation, folder / f"对话记录-{stamp}.docx")
        except (OSError, ValueError):  # an export that fails never costs the answer
            logger.exception("export failed")
            return gr.update(value=None, interactive=False), gr.update(value=None, interactive=False)
        return gr.update(value=str(markdown), interactive=True), gr.update(value=str(docx), interactive=True)

    def switched_choices(self, language: str) -> tuple:
        """What the language switch changes beyond labels: choice words, the entity panel."""
        en = language == LANGUAGES[1]
        return (
            gr.update(choices=choices(MODE_WORDS, en)), gr.update(choices=choices(KIND_WORDS, en)),
            pd.DataFrame([], columns=TABLES["facts"][en]), f"<p>{word('entity_hint', en)}</p>",
        )  # fmt: skip

    def api_answer(self, question: str, history: list | None = None) -> dict:
        """The ``/answer`` API: answer text, ``found`` and citations as plain JSON data."""
        try:
            return self.assistant.answer(question, history).to_dict()
        except NewsAssistantError as exc:
            return {"text": "", "found": False, "error": str(exc), "citations": []}

    # knowledge base -------------------------------------------------------

    def ingest_files(self, files: list | None, language: str = LANGUAGES[0], progress=gr.Progress()) -> Iterator[tuple]:  # noqa: B008 - how Gradio injects a progress bar
        """Upload handler. A generator, so 停止导入 stops it: the file in progress is
        rolled back (a bulk file keeps its committed batches) and its staged copy removed."""
        en = language == LANGUAGES[1]
        uploads = [_uploaded(item) for item in files or [] if item]
        if not uploads:
            yield word("choose_file", en), gr.skip(), gr.skip()
            return
        lines: list[str] = []
        cancel = threading.Event()
        try:
            for i, (path, name) in enumerate(uploads):
                progress((i, len(uploads)), desc=word("importing", en, name=name))
                outcome: dict[str, str] = {}
                worker = threading.Thread(target=self._ingest_upload, args=(Path(path), name, cancel, outcome, en))
                worker.start()
                while worker.is_alive():
                    worker.join(0.5)
                    yield _lines(lines + [word("importing", en, name=html.escape(name))]), gr.skip(), gr.skip()
                lines.append(outcome.get("line", f"{STATUS_TEXT['failed']} {html.escape(name)}"))
            yield _lines(lines), sources_table(self.store, en), self._source_choices()
        finally:
            cancel.set()

    def _ingest_upload(
        self, path: Path, name: str, cancel: threading.Event, outcome: dict[str, str], en: bool = False
    ) -> None:
        """Stage the upload, store it under its final name, then keep or drop the copy."""
        try:
            upload = stage_upload(path, name, self.upload_dir, self.settings.app_max_upload_bytes)
        except IngestError as exc:
            outcome["line"] = f"{_status('failed', en)} {html.escape(name)}：{reason_text(exc.reason, exc.detail, en)}"
            return
        try:
            result = load_file(
                self.store, upload.staged, self.settings.limits, _ignore, source=upload.source, cancelled=cancel.is_set
            )
        except BaseException:
            upload.discard()
            logger.exception("ingest of %s failed", name)
            outcome["line"] = f"{_status('failed', en)} {html.escape(name)}：{word('internal', en)}"
            return
        if result.status in ("added", "replaced"):
            upload.commit()
        else:
            upload.discard()
        outcome["line"] = _result_line(result, upload.final.name, en)

    def _source_choices(self, value: str | None = None) -> dict:
        return gr.update(choices=source_choices(self.store), value=value)

    def refreshed(self, language: str = LANGUAGES[0]) -> tuple[Any, dict]:
        """The knowledge-base view as it is now (page load, after every change)."""
        return sources_table(self.store, language == LANGUAGES[1]), self._source_choices()

    def row_selected(self, selected: gr.SelectData) -> dict:
        """A click on a row of the sources table chooses that source for 重新导入 / 删除 — by
        the file named in the row, not its position (the table may be older than the store)."""
        row = getattr(selected, "row_value", None) or []
        name = str(row[1]) if len(row) > 1 else ""
        found = [s.source for s in self.store.sources() if Path(s.source).name == name]
        return self._source_choices(found[0]) if len(found) == 1 else gr.skip()

    def ask_delete(self, source: str | None, language: str = LANGUAGES[0]) -> tuple[dict, str, str, str | None]:
        """Show the confirmation and remember, on the server, what it is for."""
        en = language == LANGUAGES[1]
        if not source:
            return gr.update(visible=False), "", word("choose_source", en), None
        ask = word("confirm_delete", en, name=html.escape(self._named(source)))
        return gr.update(visible=True), ask, "", source

    def delete_confirmed(self, pending: str | None, language: str = LANGUAGES[0]) -> tuple:
        """Delete what :meth:`ask_delete` asked about in this session — nothing else, and
        nothing without that question first."""
        en = language == LANGUAGES[1]
        if not pending:
            return gr.update(visible=False), word("choose_source", en), *self.refreshed(language), None
        return gr.update(visible=False), self._delete(pending, en), *self.refreshed(language), None

    def _named(self, source: str) -> str:
        found = next((s for s in self.store.sources() if s.source == source), None)
        name = Path(source).name
        return f"{source_name(self.store, found)}（{name}）" if found else name

    def _delete(self, source: str, en: bool = False) -> str:
        named = self._named(source)
        try:
            self.store.delete_source(source)
        except NewsAssistantError as exc:
            return f"{_status('failed', en)} {html.escape(str(exc))}"
        return word("deleted", en, name=html.escape(named))

    def reingest(self, source: str | None, language: str = LANGUAGES[0]) -> tuple:
        en = language == LANGUAGES[1]
        if not source:
            return word("choose_source", en), *self.refreshed(language)
        return self._ingest_existing(source, en), *self.refreshed(language)

    def _ingest_existing(self, source: str, en: bool = False) -> str:
        try:
            path = Path(self.store.resolve_source(source))  # only sources the store knows
        except NewsAssistantError as exc:
            return f"{_status('failed', en)} {html.escape(str(exc))}"
        if not path.is_file():
            return f"{_status('failed', en)} {word('file_gone', en, name=html.escape(source))}"
        result = load_file(self.store, path, self.settings.limits, _ignore, source=str(path))
        return _result_line(result, path.name, en)

    # entities -------------------------------------------------------------

    def entity_rows(self, query: str, kind: str, region: str, language: str = LANGUAGES[0]) -> pd.DataFrame:
        """The entity table: one row per entity, most mentioned first, key figures as written."""
        en = language == LANGUAGES[1]
        wanted = kind if kind in KIND_WORDS and kind != "all" else None
        where, named = (region or "").strip() or None, (query or "").strip() or None
        found = entities(wanted, where, named, store=self.store, limit=300, mentions=0)
        rows = [
            [e.name, kind_label(e.kind, en), " › ".join(e.regions) or e.region, e.mention_count, e.articles,
             e.latest or word("undated", en), "；".join(f"{f.attribute}{f.value}" for f in e.facts[:3])]
            for e in found
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=TABLES["entities"][en])

    def entity_selected(self, rows: Any, language: str, selected: gr.SelectData) -> tuple[Any, str]:
        """A click on a row: the entity's facts (as written, normalised value beside) and its
        mentions, highlighted — each sentence once."""
        en = language == LANGUAGES[1]
        empty = pd.DataFrame([], columns=TABLES["facts"][en])
        try:
            name = rows.iloc[selected.index[0], 0] if hasattr(rows, "iloc") else rows[selected.index[0]][0]
        except (IndexError, KeyError, TypeError):
            return empty, ""
        found = entity(str(name), store=self.store)
        if found is None:
            return empty, f"<p>{html.escape(str(name))}?</p>"
        facts = [[f.attribute, f.value, figure(f.number, f.unit), f.period, f.date or word("undated", en)]
                 for f in found.facts]  # fmt: skip
        aliases = f"（{'aka ' if en else '又称：'}{html.escape('、'.join(found.aliases))}）" if found.aliases else ""
        head = f"<h3>{html.escape(found.name)}{aliases}</h3><p>{html.escape(kind_label(found.kind, en))}"
        head += f" · {html.escape(found.region)}" if found.region else ""
        head += f" · {word('articles', en, n=found.articles)}</p>"
        cited = [f.citation for f in found.facts] + list(found.mentions)
        outlets, sources = self.assistant.outlets, self.assistant.outlets.sources()
        numbered = [replace(outlets.cite(c, sources), number=i) for i, c in enumerate(cited, 1)]
        cards = "".join(citation_card(group, self.store, "evidence", 0, en) for group in merged(tuple(numbered)))
        return pd.DataFrame(facts, columns=TABLES["facts"][en]), head + cards

    def api_entities(self, kind: str | None = None, region: str | None = None, query: str | None = None) -> list:
        """``/entities``: entities as plain data (facts and mentions with citations)."""
        try:
            return [e.to_dict() for e in entities(kind or None, region or None, query or None, store=self.store)]
        except ValueError as exc:
            return [{"error": str(exc)}]

    def api_entity(self, name: str) -> dict | None:
        """``/entity``: one entity by any of its names, or null."""
        found = entity(name or "", store=self.store)
        return found.to_dict() if found else None

    # the write API (off unless APP_API_WRITES, which needs APP_AUTH) ----------

    def api_ingest(self, files: list) -> str:
        """``/ingest_files``: store files uploaded to this app; one result line each. Only
        Gradio's own upload folder is read — a client cannot name a file on the server."""
        from gradio.utils import get_upload_folder, is_in_or_equal

        uploads = [_uploaded(item) for item in files or []]
        foreign = [path for path, _ in uploads if not path or not is_in_or_equal(path, get_upload_folder())]
        if foreign:
            return f"❌ 只能导入上传到本应用的文件（{html.escape(str(foreign[0]))[:80]} 不是）。"
        items = [{"path": path, "orig_name": name} for path, name in uploads]
        *_, (lines, _table, _choices) = self.ingest_files(items, progress=_no_progress)
        return str(lines)

    def api_delete(self, source: str) -> str:
        """``/delete_source``: the source must be named; there is no default."""
        if not isinstance(source, str) or not source.strip():
            return "❌ 请指定要删除的来源。"
        return self._delete(source.strip())

    def api_reingest(self, source: str) -> str:
        if not isinstance(source, str) or not source.strip():
            return "❌ 请指定要重新导入的来源。"
        return self._ingest_existing(source.strip())


MAX_TURNS = 100
"""Turns kept in the browser (each with its citations): well inside localStorage's quota."""


def load_conversation(saved: Any) -> list[tuple[str, Answer]]:
    """The conversation as the browser kept it; anything unreadable (an older format, a
    hand-edited store) is dropped rather than shown wrong."""
    conversation = []
    for item in saved if isinstance(saved, list) else []:
        try:
            res = Answer.from_dict(item["a"])
            answer_html(res, 1)  # what cannot be drawn is not kept (the browser's data is input)
            conversation.append((str(item["q"]), res))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            continue
    return conversation[-MAX_TURNS:]


def save_conversation(conversation: list[tuple[str, Answer]]) -> list[dict]:
    return [{"q": q, "a": res.to_dict() | {"score": res.score}} for q, res in conversation[-MAX_TURNS:]]


def chat_messages(conversation: list[tuple[str, Answer]], en: bool = False) -> list[dict]:
    messages = []
    for turn, (question, res) in enumerate(conversation, 1):
        messages.append({"role": "user", "content": html.escape(question)})
        messages.append({"role": "assistant", "content": answer_html(res, turn, en)})
    return messages


def _uploaded(item: Any) -> tuple[str, str]:
    """``(path on this server, the name the user gave it)`` of one upload, in any of the
    forms Gradio hands over (a path, a file object, a FileData dict)."""
    if isinstance(item, dict):
        path = str(item.get("path", ""))
        return path, Path(str(item.get("orig_name") or path)).name
    path = item if isinstance(item, str) else getattr(item, "name", str(item))
    return path, Path(path).name


def _ignore(event: Event) -> None:
    return None


def _no_progress(*args: Any, **kwargs: Any) -> None:
    return None


def _lines(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


STATUS_EN = {"added": "[added]", "unchanged": "[unchanged]", "replaced": "[replaced]", "failed": "[failed]"}
REASONS: dict[str, tuple[str, str]] = {
    "empty": ("文件为空或没有正文", "the file is empty or has no text"),
    "binary": ("不是文本文件", "not a text file"),
    "undecodable": ("无法识别文字编码（支持 UTF-8、GB18030）", "unknown text encoding (UTF-8 and GB18030 work)"),
    "unsupported type": (f"不支持的文件类型（支持 {FORMATS}）", f"this file type is not supported ({FORMATS} are)"),
    "too large": ("文件太大", "the file is too large"),
    "invalid": ("文件已损坏或格式不对", "the file is damaged or not in its format"),
    "not found": ("文件不存在", "the file does not exist"),
    "not a file": ("不是普通文件", "not a regular file"),
    "cancelled": ("已停止，未导入", "stopped, nothing stored"),
    "store error": ("知识库写入失败", "the store could not be written"),
}
"""One message per reason, in the reader's language: the library's English detail is not
added to it (it said the same thing twice, in two languages)."""


def _status(status: str, en: bool) -> str:
    return (STATUS_EN if en else STATUS_TEXT)[status]


def _result_line(result: Event, name: str, en: bool = False) -> str:
    if result.status == "failed":
        return f"{_status('failed', en)} {html.escape(name)}：{reason_text(result.reason, result.detail, en)}"
    return word("report", en, status=_status(result.status, en), name=html.escape(name), articles=result.articles)


def reason_text(reason: str, detail: str, en: bool = False) -> str:
    """Why a file was not stored, once. Only a size limit adds its figures ("3.2 MB，上限 1 MB")."""
    known = REASONS.get(reason)
    if known is None:
        return html.escape(detail or reason)
    sizes = re.findall(r"\d+(?:\.\d+)?\s*[KMG]?B", detail or "") if reason == "too large" else []
    return known[en] + (f"（{' / '.join(sizes)}）" if sizes else "")


class UiTexts:
    """Binds components to their :data:`TEXTS` entries, so the language switch updates
    exactly what was built and no text is written twice."""

    def __init__(self) -> None:
        self.bound: list[tuple[gr.components.Component, str, str]] = []

    def __call__(self, factory: Any, key: str, attr: str = "label", **kwargs: Any) -> Any:
        """``factory(**kwargs)`` with its ``attr`` set to the Chinese text of ``key``."""
        component = factory(**{attr: TEXTS[key][0]}, **kwargs)
        self.bound.append((component, attr, key))
        return component

    def switch(self, language: str) -> list:
        english = language == LANGUAGES[1]
        updates: list[dict[str, Any]] = [{attr: TEXTS[key][english]} for _, attr, key in self.bound]
        return [gr.update(**update) for update in updates]


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    app = NewsApp(assistant, settings)
    ui = UiTexts()
    with gr.Blocks(title="新闻助手") as demo:
        with gr.Row():
            ui(gr.Markdown, "header", "value", elem_id="header")
            lang = gr.Radio(
                list(LANGUAGES), value=LANGUAGES[0], show_label=False, scale=0, min_width=180, elem_id="lang"
            )
        saved = gr.BrowserState([], storage_key="news-assistant-conversation", secret=browser_secret(settings))
        with ui(gr.Tab, "chat_tab"), gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320, elem_id="chat-column"):
                chatbot = ui(
                    gr.Chatbot, "chatbot", height=420, show_label=False, buttons=["copy"], sanitize_html=True,
                    render_markdown=False, elem_id="chatbot",
                )  # fmt: skip
                with gr.Row():
                    question = ui(gr.Textbox, "question", "placeholder", show_label=False, scale=5, elem_id="question")
                    send = ui(gr.Button, "send", "value", variant="primary", scale=1, min_width=64)
                with ui(gr.Accordion, "examples", open=True, elem_id="examples") as examples, gr.Row():
                    example_buttons = [gr.Button(q, size="sm") for q in EXAMPLES]
                with gr.Row(elem_id="chat-tools"):
                    clear = ui(gr.Button, "clear", "value", size="sm", min_width=60)
                    export_md = ui(
                        gr.DownloadButton, "export_md", size="sm", interactive=False, elem_id="export-md", min_width=60
                    )
                    export_docx = ui(
                        gr.DownloadButton, "export_docx", size="sm", interactive=False, elem_id="export-docx",
                        min_width=60,
                    )  # fmt: skip
            with gr.Column(scale=2, min_width=300):
                sources = gr.HTML(sources_html([], app.store), elem_id="sources")
                with ui(gr.Accordion, "copy_box", open=False):
                    plain = ui(gr.Textbox, "plain", lines=4, max_lines=12, interactive=False, buttons=["copy"])
                with ui(gr.Accordion, "settings", open=False):
                    k = ui(gr.Slider, "k", minimum=1, maximum=20, value=settings.top_k, step=1)
                    mode = ui(gr.Radio, "mode", choices=choices(MODE_WORDS, False), value=settings.retrieval_mode)
                    use_llm = ui(gr.Checkbox, "use_llm", value=bool(settings.llm_base_url), visible=bool(assistant.llm))
                    health = gr.Markdown(visible=bool(assistant.llm))
        with ui(gr.Tab, "kb_tab"):
            # an upload button, not a drop box: its words are ours (in both languages), and
            # nothing stays in it after the import; our own check answers unsupported files
            upload = ui(gr.UploadButton, "files", file_count="multiple", variant="primary", elem_id="upload-files")
            cancel_upload = ui(gr.Button, "cancel_upload", "value", size="sm")
            results = gr.Markdown(elem_id="ingest-results")
            table = gr.Dataframe(
                value=sources_table(app.store), interactive=False, wrap=True, elem_id="sources-table",
                static_columns=list(range(len(TABLES["sources"][0]))),
            )  # fmt: skip
            with gr.Row():
                chosen = ui(gr.Dropdown, "chosen", choices=source_choices(app.store), value=None, scale=4)
                refresh = ui(gr.Button, "refresh", "value", size="sm", scale=1)
                reingest = ui(gr.Button, "reingest", "value", size="sm", scale=1)
                delete = ui(gr.Button, "delete", "value", variant="stop", size="sm", scale=1)
            with gr.Row(visible=False) as confirm_row:
                confirm_text = gr.Markdown()
                confirm = ui(gr.Button, "confirm", "value", variant="stop")
                cancel = ui(gr.Button, "cancel", "value")
            kb_message = gr.Markdown(elem_id="kb-message")
        with ui(gr.Tab, "entity_tab"):
            with gr.Row():
                entity_query = ui(gr.Textbox, "entity_query", scale=3)
                entity_kind = ui(
                    gr.Dropdown, "entity_kind", choices=choices(KIND_WORDS, False), value="all", scale=1,
                    elem_id="entity-kind",
                )  # fmt: skip
                entity_region = ui(gr.Textbox, "entity_region", scale=2, elem_id="entity-region")
                entity_search = ui(gr.Button, "entity_search", "value", variant="primary", scale=1)
            entity_table = gr.Dataframe(
                value=app.entity_rows("", "all", ""), interactive=False, wrap=True, elem_id="entity-table",
                static_columns=list(range(len(TABLES["entities"][0]))),
            )  # fmt: skip
            entity_facts = gr.Dataframe(
                value=pd.DataFrame([], columns=TABLES["facts"][0]), interactive=False, wrap=True,
                elem_id="entity-facts", static_columns=list(range(len(TABLES["facts"][0]))),
            )  # fmt: skip
            entity_detail = gr.HTML(f"<p>{word('entity_hint', False)}</p>", elem_id="entity-detail")

        asking = gr.State("")  # the question as it was when sent, whatever the box holds later
        chat_inputs = [asking, saved, k, mode, use_llm, lang]
        exports = [export_md, export_docx]
        chat_outputs = [chatbot, sources, plain, question, saved, *exports, examples]
        busy = [question, send, *example_buttons]
        private: dict[str, Any] = {"api_visibility": "private"}

        def ask(trigger: Any, fill: str | None = None) -> None:
            """One question at a time per page: the first step takes the question (with the
            request it sends, before anything else can change the box) and disables the
            inputs, so a second submit can never replace the first one's exchange."""
            if fill is None:
                first = trigger(_taking(len(busy)), question, [asking, *busy], js=LOCK_JS, **private)
            else:
                first = trigger(_taking(len(busy), fill), None, [asking, question, *busy], js=LOCK_JS, **private)
            first.then(app.respond, chat_inputs, chat_outputs, **private).then(
                _inputs(True, len(busy)), None, busy, **private
            )

        ask(send.click)
        ask(question.submit)
        for button in example_buttons:
            ask(button.click, str(button.value))
        restored = [chatbot, sources, plain, *exports, examples]
        demo.load(app.restore, [saved, lang], restored, **private)
        cleared = [chatbot, sources, plain, saved, *exports, examples]
        clear.click(app.cleared, lang, cleared, **private)
        chatbot.clear(app.cleared, lang, cleared, **private)  # the chat's own bin clears what is kept too
        pending_delete = gr.State(None)
        # UI events stay callable by whoever can open the UI (that is how the page calls
        # them): exposing the app beyond localhost needs APP_AUTH. Their names are distinct
        # from the documented write API (/ingest_files, /reingest, /delete_source).
        writes: dict[str, Any] = {"api_visibility": "private"}
        uploading = upload.upload(
            app.ingest_files, [upload, lang], [results, table, chosen], api_name="ui_upload", **writes
        )
        cancel_upload.click(None, None, None, cancels=[uploading], **private)
        refresh.click(app.refreshed, lang, [table, chosen], **private)
        table.select(app.row_selected, None, chosen, **private)
        reingest.click(app.reingest, [chosen, lang], [kb_message, table, chosen], api_name="ui_reingest", **writes)
        delete.click(app.ask_delete, [chosen, lang], [confirm_row, confirm_text, kb_message, pending_delete], **private)
        confirm.click(
            app.delete_confirmed,
            [pending_delete, lang],
            [confirm_row, kb_message, table, chosen, pending_delete],
            api_name="ui_delete",
            **writes,
        )
        cancel.click(lambda: (gr.update(visible=False), None), None, [confirm_row, pending_delete], **writes)
        demo.load(app.refreshed, lang, [table, chosen], **private)
        entity_inputs = [entity_query, entity_kind, entity_region, lang]
        for trigger in (entity_search.click, entity_query.submit, entity_region.submit, entity_kind.change):
            trigger(app.entity_rows, entity_inputs, entity_table, **private)
        entity_table.select(app.entity_selected, [entity_table, lang], [entity_facts, entity_detail], **private)
        demo.load(app.entity_rows, entity_inputs, entity_table, **private)
        gr.api(app.api_entities, api_name="entities")
        gr.api(app.api_entity, api_name="entity")
        if assistant.llm is not None:
            llm = assistant.llm
            demo.load(lambda: f"大模型服务：{llm.health()}", None, health, **private)
        switched = lang.change(ui.switch, lang, [c for c, *_ in ui.bound], **private)
        switched.then(app.restore, [saved, lang], restored, **private)
        switched.then(app.refreshed, lang, [table, chosen], **private)
        switched.then(app.entity_rows, entity_inputs, entity_table, **private)
        switched.then(app.switched_choices, lang, [mode, entity_kind, entity_facts, entity_detail], **private)
        gr.api(app.api_answer, api_name="answer")
        if settings.app_api_writes:  # Settings guarantees a login is on
            gr.api(app.api_ingest, api_name="ingest_files")
            gr.api(app.api_delete, api_name="delete_source")
            gr.api(app.api_reingest, api_name="reingest")
    return demo


def browser_secret(settings: Settings) -> str:
    """The key Gradio encrypts the kept conversation with: one per store, kept beside it, so a
    conversation survives an app restart as well as a reload. The page itself decrypts, so
    this hides nothing from the browser's owner: what comes back is treated as input."""
    path = settings.store_dir / ".browser-secret"
    try:
        return path.read_text().strip() or _new_secret(path)
    except FileNotFoundError:
        return _new_secret(path)


def _new_secret(path: Path) -> str:
    import secrets

    secret = secrets.token_hex(16)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


LOCK_JS = """(...values) => {
  document.querySelectorAll('#question textarea').forEach((box) => { box.disabled = true; });
  return values;
}"""
"""Runs in the browser as the question is sent: the box is locked at once, not after a
round trip, so nothing typed meanwhile can be lost (the server unlocks it when done)."""


def _taking(count: int, example: str | None = None) -> Callable[..., list]:
    """The first step of a question: (the question, [the example into the box,] the inputs
    disabled)."""
    if example is None:
        return lambda text: [text, *_inputs(False, count)()]
    return lambda: [example, example, *_inputs(False, count)()]


def _inputs(interactive: bool, count: int) -> Callable[[], list[dict]]:
    return lambda: [gr.update(interactive=interactive)] * count


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
FAILED_LOGIN_DELAY = 1.0
"""Seconds each wrong login waits, one at a time: 200 guesses take over three minutes."""


def login_check(credentials: str) -> Callable[[str, str], Awaitable[bool]]:
    """Gradio's auth function for ``APP_AUTH=user:password``: wrong logins wait, one at a
    time, so guessing a password is impractical. A coroutine: Gradio awaits it on its event
    loop, so the wait never stalls other users' answers."""
    import hmac

    user, _, password = credentials.partition(":")
    serial = asyncio.Lock()

    async def check(username: str, given: str) -> bool:
        ok = hmac.compare_digest(username.encode(), user.encode()) & hmac.compare_digest(
            given.encode(), password.encode()
        )
        if not ok:
            async with serial:
                await asyncio.sleep(FAILED_LOGIN_DELAY)
        return bool(ok)

    return check


STOP_GRACE_S = 10.0
"""How long a stopping app waits for Gradio to wind down before it releases the store itself."""


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    if settings.app_host not in LOCAL_HOSTS and not settings.app_auth:
        logger.warning(
            "APP_HOST=%s serves the app beyond this machine WITHOUT a login: anyone who can reach it can read"
            " every article; set APP_AUTH=user:password",
            settings.app_host,
        )
    store = open_store(settings)
    assistant = Assistant(store, settings)
    started = time.monotonic()
    assistant.warm()  # models compiled and indexes loaded now, not on the first question
    logger.info("models and indexes ready in %.1f s", time.monotonic() - started)
    service = StoreService(store, settings.limits, serve_queries(assistant)) if store.backend == "local" else None
    if service is not None:
        logger.info("serving other processes (writes, answers, entities) at %s", service.start())
    demo = build_app(assistant, settings)
    closing = threading.Lock()
    closed: list[bool] = []

    def stop() -> None:
        """Release the store once: the service socket and the lock go, whoever gets here first
        (the other waits until it is done, so the process never exits halfway through)."""
        with closing:
            if closed:
                return
            if service is not None:
                service.stop()
            store.close()
            closed.append(True)
            logger.info("stopped: store %s closed", settings.store_dir)

    def force_stop() -> None:
        stop()
        logging.shutdown()
        os._exit(0)

    def on_signal(signum: int, frame: Any) -> None:
        # Ctrl-C and SIGTERM (systemd, docker stop, kill) stop the app the same way; should a
        # library's shutdown hang (Gradio's server thread has), the store is released anyway
        timer = threading.Timer(STOP_GRACE_S, force_stop)
        timer.daemon = True
        timer.start()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        demo.queue(default_concurrency_limit=4).launch(
            server_name=settings.app_host,
            server_port=settings.app_port,
            auth=login_check(settings.app_auth) if settings.app_auth else None,
            # Gradio's own cap is a backstop; below it our check answers with a clear message
            max_file_size=f"{int(settings.app_max_upload_mb * 2) + 1}mb",
            show_error=False,
            css=CSS,
            head=HEAD,
            theme=gr.themes.Soft(),
        )
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM before Gradio's own loop took over
        demo.close()  # its server thread would keep the process alive
    finally:
        stop()
    # The store is closed and the socket gone; a library thread still winding down (Gradio's
    # server, a queue worker) must not keep a stopped app's process alive.
    logging.shutdown()
    os._exit(0)


if __name__ == "__main__":
    main()
