"""Gradio app: chat with cited sources, a knowledge-base tab, and the ``/answer`` API.

    python app.py            # or `make run`; APP_HOST / APP_PORT / APP_AUTH from the environment

This file wires components to ``assistant`` and ``docs_store``; it holds no retrieval,
parsing or storage logic. Everything rendered from article text is HTML-escaped.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Answer, Assistant
from docs_store import DocsStore, RetrievalMode, Settings, open_store
from ingest import SUPPORTED_SUFFIXES, IngestError, NewsAssistantError, parse_file, store_upload

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
}
"""Every interface text in both languages, written once: used to build the UI in Chinese
and to switch it (see :class:`UiTexts`)."""
MODES: dict[str, RetrievalMode] = {"混合检索（推荐）": "hybrid", "语义检索": "dense", "关键词检索（BM25）": "bm25"}
STATUS_TEXT = {"added": "✅ 已新增", "unchanged": "⏸ 未变化", "replaced": "🔄 已替换"}
CSS = """
.cite-card {border:1px solid var(--border-color-primary); border-radius:8px; padding:10px 12px; margin:8px 0;}
.cite-card h4 {margin:0 0 4px 0; font-size:1rem;}
.cite-meta {color:var(--body-text-color-subdued); font-size:.85rem; margin-bottom:6px; word-break:break-all;}
.cite-card mark {background:#ffe58a; padding:0 2px;}
.cite-card details {margin-top:6px;} .cite-card details p {margin:.4em 0;}
@media (max-width: 640px) {.cite-card {padding:8px;} .gradio-container {padding:4px !important;}}
"""


# ---------------------------------------------------------------- rendering (escaped HTML)


def answer_text(res: Answer) -> str:
    """The chat bubble: escaped text with Markdown rendering off, so article or model text
    shows exactly as written and can never become a link, an image or a script."""
    text = f"{res.text}\n\n⚠️ {res.notice}" if res.notice else res.text
    return html.escape(text)


def sources_html(res: Answer | None, store: DocsStore) -> str:
    if res is None or not res.citations:
        return "<p>答案的出处会显示在这里。</p>" if res is None else ""
    header = "<h3>出处</h3>" if res.found else "<h3>没有找到答案。最相关的文章：</h3>"
    return header + "".join(_citation_card(c, store) for c in res.citations)


def _citation_card(c, store: DocsStore) -> str:
    try:
        article = store.article(c.article_id)
    except NewsAssistantError:
        article = None
    meta = " · ".join(
        html.escape(part) for part in (c.byline, c.date, Path(c.source).name, f"第{c.paragraph + 1}段") if part
    )
    paragraph = _highlight(article.paragraphs[c.paragraph], c) if article else html.escape(c.text)
    full = ""
    if article:
        body = "".join(f"<p>{_highlight(p, c)}</p>" for p in article.paragraphs)
        full = f"<details><summary>查看全文</summary>{body}</details>"
    return (
        f"<div class='cite-card' id='cite-{c.number}'><h4>[{c.number}] {html.escape(c.title)}</h4>"
        f"<div class='cite-meta'>{meta}</div><div>{paragraph}</div>{full}</div>"
    )


def _highlight(paragraph, c) -> str:
    """The paragraph, escaped, with the cited span wrapped in <mark> when it lies inside."""
    if not (paragraph.start <= c.start and c.end <= paragraph.end):
        return html.escape(paragraph.text)
    s, e = c.start - paragraph.start, c.end - paragraph.start
    t = paragraph.text
    return f"{html.escape(t[:s])}<mark>{html.escape(t[s:e])}</mark>{html.escape(t[e:])}"


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

    def ingest_files(self, files: list | None, progress=gr.Progress()) -> tuple[str, list, dict]:  # noqa: B008 - how Gradio injects a progress bar
        lines = []
        files = [f for f in (files or []) if f]
        for i, item in enumerate(files):
            path = item if isinstance(item, str) else getattr(item, "name", str(item))
            name = Path(path).name
            progress((i, len(files)), desc=f"导入 {name}")
            lines.append(self._ingest_one(Path(path), name))
        if not lines:
            lines = ["请先选择要上传的文件。"]
        return "\n".join(f"- {line}" for line in lines), sources_table(self.store), self._source_choices()

    def _ingest_one(self, path: Path, name: str) -> str:
        """Copy an upload into the upload folder under a safe name, then ingest it."""
        limit = self.settings.app_max_upload_bytes
        return self._ingest_path(lambda: store_upload(path, name, self.upload_dir, limit), name)

    def _ingest_path(self, locate, name: str) -> str:
        """Ingest the file ``locate()`` returns; one result line, never an exception, so one
        bad file cannot take the app down."""
        try:
            path = locate()
            report = self.store.ingest(parse_file(path, max_bytes=self.settings.max_file_bytes))
        except IngestError as exc:
            return f"❌ 失败 {html.escape(name)}：{_reason_zh(exc)}"
        except NewsAssistantError as exc:
            return f"❌ 失败 {html.escape(name)}：{html.escape(str(exc))}"
        except Exception as exc:  # noqa: BLE001
            logger.exception("ingest of %s failed", name)
            return f"❌ 失败 {html.escape(name)}：{type(exc).__name__}"
        return _report_line(report.status, path.name, report.articles, report.chunks)

    def _source_choices(self) -> dict:
        return gr.update(choices=source_choices(self.store), value=None)

    def ask_delete(self, source: str | None):
        if not source:
            return gr.update(visible=False), "请先选择要删除的来源。"
        return gr.update(visible=True), f"确定要删除 **{html.escape(Path(source).name)}** 及其全部文章吗？"

    def delete_source(self, source: str | None):
        if not source:
            return gr.update(visible=False), "请先选择要删除的来源。", sources_table(self.store), self._source_choices()
        try:
            removed = self.store.delete_source(source)
            message = f"🗑 已删除 {html.escape(Path(source).name)}（{removed} 个片段）"
        except NewsAssistantError as exc:
            message = f"❌ {html.escape(str(exc))}"
        return gr.update(visible=False), message, sources_table(self.store), self._source_choices()

    def reingest(self, source: str | None):
        if not source:
            return "请先选择要重新导入的来源。", sources_table(self.store), gr.skip()
        line = self._ingest_existing(source)
        return line, sources_table(self.store), gr.skip()

    def _ingest_existing(self, source: str) -> str:
        try:
            path = Path(self.store.resolve_source(source))  # only sources the store knows
        except NewsAssistantError as exc:
            return f"❌ {html.escape(str(exc))}"
        if not path.is_file():
            return f"❌ 原文件已不存在：{html.escape(source)}，请重新上传。"
        return self._ingest_path(lambda: path, path.name)


def _report_line(status: str, name: str, articles: int, chunks: int) -> str:
    return f"{STATUS_TEXT[status]} {html.escape(name)}：{articles} 篇文章，{chunks} 个片段"


def _reason_zh(exc: IngestError) -> str:
    reasons = {
        "empty": "文件为空或没有正文",
        "binary": "不是文本文件",
        "undecodable": "无法识别文字编码（支持 UTF-8、GB18030）",
        "unsupported type": f"不支持的文件类型（支持 {' '.join(SUPPORTED_SUFFIXES)}）",
        "too large": "文件太大",
        "invalid": "文件已损坏或格式不对",
        "not found": "文件不存在",
        "not a file": "不是普通文件",
    }
    detail = f"（{html.escape(exc.detail)}）" if exc.detail else ""
    return reasons.get(exc.reason, html.escape(exc.reason)) + detail


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
                    question = ui(gr.Textbox, "question", "placeholder", show_label=False, scale=5)
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
            upload = ui(gr.Button, "upload", "value", variant="primary")
            results = gr.Markdown(elem_id="ingest-results")
            table = gr.Dataframe(
                value=sources_table(app.store),
                headers=["来源", "文章数", "片段数", "日期", "导入时间"],
                interactive=False,
                wrap=True,
                elem_id="sources-table",
            )
            with gr.Row():
                chosen = ui(gr.Dropdown, "chosen", choices=source_choices(app.store), scale=4)
                refresh = ui(gr.Button, "refresh", "value", size="sm", scale=1)
                reingest = ui(gr.Button, "reingest", "value", size="sm", scale=1)
                delete = ui(gr.Button, "delete", "value", variant="stop", size="sm", scale=1)
            with gr.Row(visible=False) as confirm_row:
                confirm_text = gr.Markdown()
                confirm = ui(gr.Button, "confirm", "value", variant="stop")
                cancel = ui(gr.Button, "cancel", "value")
            kb_message = gr.Markdown()

        chat_inputs = [question, chatbot, k, mode, use_llm]
        chat_outputs = [chatbot, sources, plain, question]
        send.click(app.respond, chat_inputs, chat_outputs, api_visibility="private")
        question.submit(app.respond, chat_inputs, chat_outputs, api_visibility="private")
        for button in example_buttons:
            button.click(lambda q=button.value: q, None, question, api_visibility="private").then(
                app.respond, chat_inputs, chat_outputs, api_visibility="private"
            )
        clear.click(
            lambda: ([], sources_html(None, app.store), ""), None, [chatbot, sources, plain], api_visibility="private"
        )
        upload.click(app.ingest_files, files, [results, table, chosen], api_name="ingest_files")
        refresh.click(
            lambda: (sources_table(app.store), app._source_choices()), None, [table, chosen], api_visibility="private"
        )
        reingest.click(app.reingest, chosen, [kb_message, table, chosen])
        delete.click(app.ask_delete, chosen, [confirm_row, confirm_text], api_visibility="private")
        confirm.click(app.delete_source, chosen, [confirm_row, kb_message, table, chosen], api_name="delete_source")
        cancel.click(lambda: gr.update(visible=False), None, confirm_row, api_visibility="private")
        if assistant.llm is not None:
            demo.load(lambda: f"大模型服务：{assistant.llm.health()}", None, health, api_visibility="private")
        lang.change(ui.switch, lang, [c for c, *_ in ui.bound], api_visibility="private")
        gr.api(app.api_answer, api_name="answer")
    return demo


def _mode_label(mode: str) -> str:
    return next(label for label, value in MODES.items() if value == mode)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    store = open_store(settings)
    demo = build_app(Assistant(store, settings), settings)
    auth = tuple(settings.app_auth.split(":", 1)) if settings.app_auth else None  # validated by Settings
    demo.queue(default_concurrency_limit=4).launch(
        server_name=settings.app_host,
        server_port=settings.app_port,
        auth=auth,
        # Gradio's own cap is a backstop; below it our check answers with a clear message
        max_file_size=f"{int(settings.app_max_upload_mb * 2) + 1}mb",
        show_error=False,
        css=CSS,
        theme=gr.themes.Soft(),
    )


if __name__ == "__main__":
    main()
