"""Gradio app: chat with cited sources, a knowledge-base tab, and the ``/answer`` API.

    python app.py            # or `make run`; APP_HOST / APP_PORT / APP_AUTH from the environment

This file wires components to ``assistant`` and ``docs_store``; it holds no retrieval,
parsing or storage logic. Everything rendered from article text is HTML-escaped.
"""

from __future__ import annotations

import asyncio
import html
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Answer, Assistant, Citation, Related, entities, entity
from docs_store import DocsStore, Event, RetrievalMode, Settings, StoreService, load_file, open_store
from ingest import SUPPORTED_SUFFIXES, Article, IngestError, NewsAssistantError, Paragraph, stage_upload

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
    "clear": ("清空对话", "Clear"),
    "plain": ("复制答案（含出处）", "Copy answer with sources"),
    "k": ("检索段落数", "Passages retrieved"),
    "mode": ("检索方式", "Retrieval mode"),
    "use_llm": ("使用大模型生成答案", "Generate with the LLM"),
    "files": (f"上传文章（可多选；支持 {FORMATS}）", f"Upload articles (several at once; {FORMATS})"),
    "upload": ("导入", "Ingest"),
    "chosen": ("选择来源", "Source"),
    "refresh": ("刷新", "Refresh"),
    "reingest": ("重新导入", "Re-ingest"),
    "delete": ("删除", "Delete"),
    "confirm": ("确认删除", "Confirm delete"),
    "cancel": ("取消", "Cancel"),
    "cancel_upload": ("取消导入", "Stop ingest"),
}
"""Every interface text in both languages, written once: used to build the UI in Chinese
and to switch it (see :class:`UiTexts`)."""
ENTITY_KINDS: dict[str, str | None] = {
    "全部": None, "专业镇/镇": "town", "园区": "park", "项目": "project", "企业/机构": "company", "地区": "place"
}  # fmt: skip
KIND_LABELS = {kind: label for label, kind in ENTITY_KINDS.items() if kind}
MODES: dict[str, RetrievalMode] = {"混合检索（推荐）": "hybrid", "语义检索": "dense", "关键词检索（BM25）": "bm25"}
STATUS_TEXT = {"added": "✅ 已新增", "unchanged": "⏸ 未变化", "replaced": "🔄 已替换"}
CSS = """
.cite-card {border:1px solid var(--border-color-primary); border-radius:8px; padding:10px 12px; margin:8px 0;}
.cite-card h4 {margin:0 0 4px 0; font-size:1rem;}
.cite-meta {color:var(--body-text-color-subdued); font-size:.85rem; margin-bottom:6px; word-break:break-all;}
.cite-card mark {background:#ffe58a; padding:0 2px;}
.cite-card mark b.answer {font-weight:700;}
.cite-card.other {border-style:dashed;}
.cite-card.other mark {background:#e6e6e6;}
.related-card {border-left:3px solid var(--border-color-primary); padding:4px 10px; margin:6px 0;}
.related-card h4 {margin:0; font-size:.95rem; font-weight:500;}
.cite-card details {margin-top:6px;} .cite-card details p {margin:.4em 0;}
@media (max-width: 640px) {.cite-card {padding:8px;} .gradio-container {padding:4px !important;}}
"""


# ---------------------------------------------------------------- rendering (escaped HTML)


def answer_text(res: Answer) -> str:
    """The chat bubble: escaped text with Markdown rendering off, so article or model text
    shows exactly as written and can never become a link, an image or a script."""
    text = f"{res.text}\n\n⚠️ {res.notice}" if res.notice else res.text
    if res.found and res.mode in MODE_LINES:
        text = f"{text}\n\n{MODE_LINES[res.mode]}"
    return html.escape(text)


MODE_LINES = {
    "llm": "（大模型根据原文作答，每个数字已与所引原句核对）",
    "fallback": "（原文摘录：大模型的回答未采用）",
}
"""Which path produced a found answer, said under it where an LLM was involved; a plain
extractive answer (verbatim sentences) needs no label."""


def sources_html(res: Answer | None, store: DocsStore) -> str:
    """Evidence cards for an answer (sentence highlighted, direct answer in bold); for a near
    miss, the other year's or place's sentence marked as such; for a refusal, the related
    articles as plain links — no highlight, no marker, no figure to copy by mistake."""
    if res is None:
        return "<p>答案的出处会显示在这里。</p>"
    parts = []
    if res.citations:
        header = "出处" if res.found else "文章报道的是（不是所问的）"
        kind = "evidence" if res.found else "other"
        parts.append(f"<h3>{header}</h3>" + "".join(_citation_card(c, store, kind) for c in res.citations))
    if not res.found and res.related:
        parts.append("<h3>相关文章</h3>" + "".join(_related_card(r, store) for r in res.related))
    return "".join(parts)


def _article(store: DocsStore, article_id: str) -> Article | None:
    try:
        return store.article(article_id)
    except NewsAssistantError:
        return None


def _meta(*parts: str) -> str:
    return " · ".join(html.escape(part) for part in parts if part)


def _citation_card(c: Citation, store: DocsStore, kind: str) -> str:
    article = _article(store, c.article_id)
    meta = _meta(c.byline, c.date, Path(c.source).name, f"第{c.paragraph + 1}段")
    paragraph = _highlight(article.paragraphs[c.paragraph], c) if article else html.escape(c.text)
    full = ""
    if article:
        body = "".join(f"<p>{_highlight(p, c)}</p>" for p in article.paragraphs)
        full = f"<details><summary>查看全文</summary>{body}</details>"
    return (
        f"<div class='cite-card {kind}' id='cite-{c.number}'><h4>[{c.number}] {html.escape(c.title)}</h4>"
        f"<div class='cite-meta'>{meta}</div><div>{paragraph}</div>{full}</div>"
    )


def _related_card(r: Related, store: DocsStore) -> str:
    article = _article(store, r.article_id)
    body = "".join(f"<p>{html.escape(p.text)}</p>" for p in article.paragraphs) if article else ""
    full = f"<details><summary>查看全文</summary>{body}</details>" if body else ""
    return (
        f"<div class='related-card'><h4>{html.escape(r.title)}</h4>"
        f"<div class='cite-meta'>{_meta(r.byline, r.date, Path(r.source).name)}</div>{full}</div>"
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


def source_choices(store: DocsStore) -> list[tuple[str, str]]:
    """Dropdown entries: the file name shown, the stored source name as value."""
    return [(Path(s.source).name, s.source) for s in store.sources()]


def sources_table(store: DocsStore) -> list[list]:
    rows = []
    for s in store.sources():
        dates = s.first_date if s.first_date == s.last_date else f"{s.first_date} – {s.last_date}"
        rows.append([Path(s.source).name, s.articles, s.chunks, dates or "—", s.ingested_at.replace("T", " ")[:19]])
    return rows


# ---------------------------------------------------------------- the app


class NewsApp:
    """Event handlers bound to one store and one assistant (one process owns the store)."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.store = assistant.store
        self.settings = settings
        self.upload_dir = settings.uploads

    # chat ----------------------------------------------------------------

    def respond(self, message: str, history: list, k: int, mode_label: str, use_llm: bool) -> Iterator[tuple]:
        question = (message or "").strip()
        history = list(history or [])
        if not question:
            yield history, gr.skip(), gr.skip(), ""
            return
        chat = history + [{"role": "user", "content": html.escape(question)}]
        try:
            for res in self.assistant.stream(
                question, history, k=int(k), mode=MODES.get(mode_label, "hybrid"), use_llm=bool(use_llm)
            ):
                done = res.mode != "llm" or res.found  # partial LLM text has no sources yet
                bubble = {"role": "assistant", "content": answer_text(res)}
                copy = res.plain_text() if done else ""
                yield chat + [bubble], sources_html(res, self.store) if done else gr.skip(), copy, ""
        except NewsAssistantError as exc:
            yield chat + [{"role": "assistant", "content": html.escape(f"⚠️ {exc}")}], "", "", ""
        except Exception:
            logger.exception("chat request failed")
            yield chat + [{"role": "assistant", "content": "⚠️ 出错了，请稍后再试。"}], "", "", ""

    def api_answer(self, question: str, history: list | None = None) -> dict:
        """The ``/answer`` API: answer text, ``found`` and citations as plain JSON data."""
        try:
            return self.assistant.answer(question, history).to_dict()
        except NewsAssistantError as exc:
            return {"text": "", "found": False, "error": str(exc), "citations": []}

    # knowledge base -------------------------------------------------------

    def ingest_files(self, files: list | None, progress=gr.Progress()) -> Iterator[tuple[str, Any, Any]]:  # noqa: B008 - how Gradio injects a progress bar
        """Upload handler. A generator, so the 取消 button stops it: the file in progress is
        rolled back (a bulk file keeps its committed batches) and its staged copy removed."""
        uploads = [_uploaded(item) for item in files or [] if item]
        if not uploads:
            yield "请先选择要上传的文件。", gr.skip(), gr.skip()
            return
        lines: list[str] = []
        cancel = threading.Event()
        try:
            for i, (path, name) in enumerate(uploads):
                progress((i, len(uploads)), desc=f"导入 {name}")
                outcome: dict[str, str] = {}
                worker = threading.Thread(target=self._ingest_upload, args=(Path(path), name, cancel, outcome))
                worker.start()
                while worker.is_alive():
                    worker.join(0.5)
                    yield _lines(lines + [f"⏳ 正在导入 {html.escape(name)} …"]), gr.skip(), gr.skip()
                lines.append(outcome.get("line", f"❌ 失败 {html.escape(name)}"))
            yield _lines(lines), sources_table(self.store), self._source_choices()
        finally:
            cancel.set()

    def _ingest_upload(self, path: Path, name: str, cancel: threading.Event, outcome: dict[str, str]) -> None:
        """Stage the upload, store it under its final name, then keep or drop the copy."""
        try:
            upload = stage_upload(path, name, self.upload_dir, self.settings.app_max_upload_bytes)
        except IngestError as exc:
            outcome["line"] = f"❌ 失败 {html.escape(name)}：{_reason_zh(exc.reason, exc.detail)}"
            return
        try:
            result = load_file(
                self.store, upload.staged, self.settings.limits, _ignore, source=upload.source, cancelled=cancel.is_set
            )
        except BaseException:
            upload.discard()
            logger.exception("ingest of %s failed", name)
            outcome["line"] = f"❌ 失败 {html.escape(name)}：内部错误"
            return
        if result.status in ("added", "replaced"):
            upload.commit()
        else:
            upload.discard()
        outcome["line"] = _result_line(result, upload.final.name)

    def _source_choices(self) -> dict:
        return gr.update(choices=source_choices(self.store), value=None)

    def refreshed(self) -> tuple[list, dict]:
        """The knowledge-base view as it is now (page load, after every change)."""
        return sources_table(self.store), self._source_choices()

    def ask_delete(self, source: str | None) -> tuple[dict, str, str | None]:
        """Show the confirmation and remember, on the server, what it is for."""
        if not source:
            return gr.update(visible=False), "请先选择要删除的来源。", None
        return gr.update(visible=True), f"确定要删除 **{html.escape(Path(source).name)}** 及其全部文章吗？", source

    def delete_confirmed(self, pending: str | None) -> tuple[dict, str, list, dict, None]:
        """Delete what :meth:`ask_delete` asked about in this session — nothing else, and
        nothing without that question first."""
        if not pending:
            return gr.update(visible=False), "请先选择要删除的来源并确认。", *self.refreshed(), None
        return gr.update(visible=False), self._delete(pending), *self.refreshed(), None

    def _delete(self, source: str) -> str:
        try:
            removed = self.store.delete_source(source)
        except NewsAssistantError as exc:
            return f"❌ {html.escape(str(exc))}"
        return f"🗑 已删除 {html.escape(Path(source).name)}（{removed} 个片段）"

    def reingest(self, source: str | None) -> tuple[str, list, dict]:
        if not source:
            return "请先选择要重新导入的来源。", *self.refreshed()
        return self._ingest_existing(source), *self.refreshed()

    def _ingest_existing(self, source: str) -> str:
        try:
            path = Path(self.store.resolve_source(source))  # only sources the store knows
        except NewsAssistantError as exc:
            return f"❌ {html.escape(str(exc))}"
        if not path.is_file():
            return f"❌ 原文件已不存在：{html.escape(source)}，请重新上传。"
        result = load_file(self.store, path, self.settings.limits, _ignore, source=str(path))
        return _result_line(result, path.name)

    # entities -------------------------------------------------------------

    def entity_rows(self, query: str, kind_label: str, region: str) -> list[list]:
        """The entity table: one row per entity, most mentioned first, key figures inline."""
        kind = ENTITY_KINDS.get(kind_label)
        where, named = (region or "").strip() or None, (query or "").strip() or None
        found = entities(kind, where, named, store=self.store, limit=300, mentions=0)
        return [
            [e.name, KIND_LABELS.get(e.kind, e.kind), e.region, e.mention_count, e.articles, e.latest or "—",
             "；".join(f"{f.attribute}{f.value}" for f in e.facts[:3])]
            for e in found
        ]  # fmt: skip

    def entity_selected(self, rows: Any, selected: gr.SelectData) -> tuple[list[list], str]:
        """A click on a row: the entity's facts (sortable) and its mentions, highlighted."""
        try:
            name = rows.iloc[selected.index[0], 0] if hasattr(rows, "iloc") else rows[selected.index[0]][0]
        except (IndexError, KeyError, TypeError):
            return [], ""
        found = entity(str(name), store=self.store)
        if found is None:
            return [], f"<p>没有找到 {html.escape(str(name))}。</p>"
        facts = [[f.attribute, f.number if f.number is not None else "", f.unit, f.value, f.period, f.date or "—"]
                 for f in found.facts]  # fmt: skip
        aliases = f"（又称：{html.escape('、'.join(found.aliases))}）" if found.aliases else ""
        head = f"<h3>{html.escape(found.name)}{aliases}</h3><p>{html.escape(KIND_LABELS.get(found.kind, ''))}"
        head += f" · {html.escape(found.region)}" if found.region else ""
        head += f" · {found.articles} 篇文章</p>"
        cited = [f.citation for f in found.facts] + list(found.mentions)
        cards = "".join(_citation_card(replace(c, number=i), self.store, "evidence") for i, c in enumerate(cited, 1))
        return facts, head + cards

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


def _result_line(result: Event, name: str) -> str:
    if result.status == "failed":
        return f"❌ 失败 {html.escape(name)}：{_reason_zh(result.reason, result.detail)}"
    return _report_line(result.status, name, result.articles, result.chunks)


def _report_line(status: str, name: str, articles: int, chunks: int) -> str:
    return f"{STATUS_TEXT[status]} {html.escape(name)}：{articles} 篇文章，{chunks} 个片段"


def _reason_zh(reason: str, detail: str) -> str:
    reasons = {
        "empty": "文件为空或没有正文",
        "binary": "不是文本文件",
        "undecodable": "无法识别文字编码（支持 UTF-8、GB18030）",
        "unsupported type": f"不支持的文件类型（支持 {' '.join(SUPPORTED_SUFFIXES)}）",
        "too large": "文件太大",
        "invalid": "文件已损坏或格式不对",
        "not found": "文件不存在",
        "not a file": "不是普通文件",
        "cancelled": "已取消，未导入",
        "store error": "知识库写入失败",
    }
    extra = f"（{html.escape(detail)}）" if detail else ""
    return reasons.get(reason, html.escape(reason)) + extra


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
            ui(gr.Markdown, "header", "value")
            lang = gr.Radio(list(LANGUAGES), value=LANGUAGES[0], show_label=False, scale=0, min_width=180)
        with ui(gr.Tab, "chat_tab"), gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = ui(
                    gr.Chatbot, "chatbot", height=420, buttons=["copy"], sanitize_html=True, render_markdown=False
                )
                with gr.Row():
                    question = ui(gr.Textbox, "question", "placeholder", show_label=False, scale=5, elem_id="question")
                    send = ui(gr.Button, "send", "value", variant="primary", scale=1, min_width=80)
                with gr.Row():
                    example_buttons = [gr.Button(q, size="sm") for q in EXAMPLES]
                clear = ui(gr.Button, "clear", "value", size="sm")
                plain = ui(gr.Textbox, "plain", lines=4, max_lines=12, interactive=False, buttons=["copy"])
            with gr.Column(scale=2, min_width=300):
                sources = gr.HTML(sources_html(None, app.store), elem_id="sources")
                with gr.Accordion("设置", open=False):
                    k = ui(gr.Slider, "k", minimum=1, maximum=20, value=settings.top_k, step=1)
                    mode = ui(gr.Radio, "mode", choices=list(MODES), value=_mode_label(settings.retrieval_mode))
                    use_llm = ui(gr.Checkbox, "use_llm", value=bool(settings.llm_base_url), visible=bool(assistant.llm))
                    health = gr.Markdown(visible=bool(assistant.llm))
        with ui(gr.Tab, "kb_tab"):
            # no file_types filter: our own check answers unsupported files with a specific message
            files = ui(gr.File, "files", file_count="multiple", elem_id="upload-files")
            with gr.Row():
                upload = ui(gr.Button, "upload", "value", variant="primary", scale=3)
                cancel_upload = ui(gr.Button, "cancel_upload", "value", scale=1)
            results = gr.Markdown(elem_id="ingest-results")
            table = gr.Dataframe(
                value=sources_table(app.store),
                headers=["来源", "文章数", "片段数", "日期", "导入时间"],
                interactive=False,
                wrap=True,
                elem_id="sources-table",
            )
            with gr.Row():
                chosen = ui(gr.Dropdown, "chosen", choices=source_choices(app.store), value=None, scale=4)
                refresh = ui(gr.Button, "refresh", "value", size="sm", scale=1)
                reingest = ui(gr.Button, "reingest", "value", size="sm", scale=1)
                delete = ui(gr.Button, "delete", "value", variant="stop", size="sm", scale=1)
            with gr.Row(visible=False) as confirm_row:
                confirm_text = gr.Markdown()
                confirm = ui(gr.Button, "confirm", "value", variant="stop")
                cancel = ui(gr.Button, "cancel", "value")
            kb_message = gr.Markdown()
        with ui(gr.Tab, "entity_tab"):
            with gr.Row():
                entity_query = ui(gr.Textbox, "entity_query", scale=3)
                entity_kind = ui(gr.Dropdown, "entity_kind", choices=list(ENTITY_KINDS), value="全部", scale=1)
                entity_region = ui(gr.Textbox, "entity_region", scale=2)
                entity_search = ui(gr.Button, "entity_search", "value", variant="primary", scale=1)
            entity_table = gr.Dataframe(
                value=app.entity_rows("", "全部", ""),
                headers=["名称", "类别", "地区", "提及次数", "文章数", "最新日期", "主要数据"],
                interactive=False,
                wrap=True,
                elem_id="entity-table",
            )
            entity_facts = gr.Dataframe(
                headers=["数据", "数值", "单位", "原文", "时期", "发布日期"],
                interactive=False,
                wrap=True,
                elem_id="entity-facts",
            )
            entity_detail = gr.HTML("<p>点击表中的实体，查看它的数据和提到它的句子。</p>", elem_id="entity-detail")

        asking = gr.State("")  # the question as it was when sent, whatever the box holds later
        chat_inputs = [asking, chatbot, k, mode, use_llm]
        chat_outputs = [chatbot, sources, plain, question]
        busy = [question, send, *example_buttons]

        def ask(trigger: Any, fill: str | None = None) -> None:
            """One question at a time per page: the first step takes the question (with the
            request it sends, before anything else can change the box) and disables the
            inputs, so a second submit can never replace the first one's exchange."""
            if fill is None:
                first = trigger(_taking(len(busy)), question, [asking, *busy], js=LOCK_JS, api_visibility="private")
            else:
                first = trigger(
                    _taking(len(busy), fill), None, [asking, question, *busy], js=LOCK_JS, api_visibility="private"
                )
            first.then(app.respond, chat_inputs, chat_outputs, api_visibility="private").then(
                _inputs(True, len(busy)), None, busy, api_visibility="private"
            )

        ask(send.click)
        ask(question.submit)
        for button in example_buttons:
            ask(button.click, str(button.value))
        clear.click(
            lambda: ([], sources_html(None, app.store), ""), None, [chatbot, sources, plain], api_visibility="private"
        )
        pending_delete = gr.State(None)
        # UI events stay callable by whoever can open the UI (that is how the page calls
        # them): exposing the app beyond localhost needs APP_AUTH. Their names are distinct
        # from the documented write API (/ingest_files, /reingest, /delete_source).
        writes: dict[str, Any] = {"api_visibility": "private"}
        uploading = upload.click(app.ingest_files, files, [results, table, chosen], api_name="ui_upload", **writes)
        cancel_upload.click(None, None, None, cancels=[uploading], api_visibility="private")
        refresh.click(app.refreshed, None, [table, chosen], api_visibility="private")
        reingest.click(app.reingest, chosen, [kb_message, table, chosen], api_name="ui_reingest", **writes)
        delete.click(app.ask_delete, chosen, [confirm_row, confirm_text, pending_delete], api_visibility="private")
        confirm.click(
            app.delete_confirmed,
            pending_delete,
            [confirm_row, kb_message, table, chosen, pending_delete],
            api_name="ui_delete",
            **writes,
        )
        cancel.click(lambda: (gr.update(visible=False), None), None, [confirm_row, pending_delete], **writes)
        demo.load(app.refreshed, None, [table, chosen], api_visibility="private")
        entity_inputs = [entity_query, entity_kind, entity_region]
        for trigger in (entity_search.click, entity_query.submit, entity_region.submit, entity_kind.change):
            trigger(app.entity_rows, entity_inputs, entity_table, api_visibility="private")
        entity_table.select(app.entity_selected, entity_table, [entity_facts, entity_detail], api_visibility="private")
        demo.load(app.entity_rows, entity_inputs, entity_table, api_visibility="private")
        gr.api(app.api_entities, api_name="entities")
        gr.api(app.api_entity, api_name="entity")
        if assistant.llm is not None:
            llm = assistant.llm
            demo.load(lambda: f"大模型服务：{llm.health()}", None, health, api_visibility="private")
        lang.change(ui.switch, lang, [c for c, *_ in ui.bound], api_visibility="private")
        gr.api(app.api_answer, api_name="answer")
        if settings.app_api_writes:  # Settings guarantees a login is on
            gr.api(app.api_ingest, api_name="ingest_files")
            gr.api(app.api_delete, api_name="delete_source")
            gr.api(app.api_reingest, api_name="reingest")
    return demo


def _mode_label(mode: str) -> str:
    return next(label for label, value in MODES.items() if value == mode)


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


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
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
    service = StoreService(store, settings.limits) if store.backend == "local" else None
    if service is not None:
        logger.info("accepting writes from other processes at %s", service.start())
    demo = build_app(assistant, settings)
    try:
        demo.queue(default_concurrency_limit=4).launch(
            server_name=settings.app_host,
            server_port=settings.app_port,
            auth=login_check(settings.app_auth) if settings.app_auth else None,
            # Gradio's own cap is a backstop; below it our check answers with a clear message
            max_file_size=f"{int(settings.app_max_upload_mb * 2) + 1}mb",
            show_error=False,
            css=CSS,
            theme=gr.themes.Soft(),
        )
    finally:
        if service is not None:
            service.stop()


if __name__ == "__main__":
    main()
