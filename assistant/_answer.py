"""The answer pipeline: resolve follow-ups → retrieve → pick sentences → compose → verify."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from docs_store import DocsStore, RetrievalMode, Settings, open_store
from ingest import NewsAssistantError

from ._compose import extractive_answer, not_found_answer
from ._extract import RELEVANCE_THRESHOLD, rank_sentences, select
from ._followup import resolve_followup
from ._history import normalize_history
from ._llm import NOTICES, LLMClient, LLMError, Passage, build_messages, verify
from ._question import analyze
from ._types import Answer

logger = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 500


class Assistant:
    """Answers questions from one store.

    Args:
        store: the article store to answer from.
        settings: retrieval mode, passages retrieved per question, the answer threshold and
            the optional LLM endpoint.
        llm: an :class:`LLMClient`; default is one built from ``settings.llm_base_url``
            (none when it is unset: answers are extractive).
    """

    def __init__(self, store: DocsStore, settings: Settings | None = None, llm: LLMClient | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        s = self.settings
        if llm is None and s.llm_base_url:
            llm = LLMClient(s.llm_base_url, s.llm_model, s.llm_api_key, s.llm_timeout)
        self.llm = llm
        threshold = self.settings.answer_threshold
        self.threshold = RELEVANCE_THRESHOLD if threshold is None else threshold

    def answer(
        self,
        question: str,
        history: Iterable[Any] | None = None,
        *,
        mode: RetrievalMode | None = None,
        k: int | None = None,
        use_llm: bool | None = None,
    ) -> Answer:
        """Answer ``question``; see :func:`assistant.answer`."""
        *_, final = self.stream(question, history, mode=mode, k=k, use_llm=use_llm)
        return final

    def stream(
        self,
        question: str,
        history: Iterable[Any] | None = None,
        *,
        mode: RetrievalMode | None = None,
        k: int | None = None,
        use_llm: bool | None = None,
    ) -> Iterator[Answer]:
        """Yield partial answers while an LLM streams, then the final (verified) answer.

        Without an LLM this yields exactly one answer. Partial answers have ``found=False``
        and no citations: only the last one counts.
        """
        question = _check_question(question)
        turns = normalize_history(history)
        resolved = resolve_followup(question, turns)
        query = resolved.query
        hits = self.store.search(query, k=k or self.settings.top_k, mode=mode or self.settings.retrieval_mode)
        asked = analyze(query)
        candidates = rank_sentences(asked, hits, self.store)
        exclude = set()
        if resolved.more:  # "还有呢": nothing already said in this conversation
            said = "\n".join(t.answer for t in turns)
            exclude = {c.sentence for c in candidates if c.sentence in said}
        chosen = select(candidates, threshold=self.threshold, exclude=exclude)
        if chosen:
            extractive = extractive_answer(chosen, query)
        else:
            extractive = not_found_answer(candidates, hits, query, store_empty=len(self.store) == 0)
        wants_llm = use_llm if use_llm is not None else True
        if self.llm is None or not wants_llm or not hits or not extractive.found:
            yield extractive
            return
        passages = [Passage(i, h.chunk) for i, h in enumerate(hits[: self.settings.llm_passages], start=1)]
        text = ""
        try:
            for piece in self.llm.stream(build_messages(query, passages)):
                text += piece
                yield Answer(_mask_digits(text), (), found=False, mode="llm", notice=VERIFYING, query=query)
            yield verify(text, passages, query)
        except LLMError as exc:
            logger.warning("LLM answer not used: %s", exc)
            yield _with_notice(extractive, NOTICES.get(exc.kind, NOTICES["unavailable"]))


VERIFYING = "生成中，数字核验后显示…"


def _mask_digits(text: str) -> str:
    """Unverified model text is shown while it streams, but never its figures."""
    return re.sub(r"\d", "▢", text)


def _with_notice(answer: Answer, notice: str) -> Answer:
    return Answer(answer.text, answer.citations, answer.found, "fallback", notice, answer.query)


def _check_question(question: str) -> str:
    if not isinstance(question, str):
        raise NewsAssistantError(f"question must be text, not {type(question).__name__}")
    question = question.strip()
    if not question:
        raise NewsAssistantError("question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise NewsAssistantError(f"question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
    return question


_default: Assistant | None = None
_default_lock = threading.Lock()


def default_assistant() -> Assistant:
    """The process-wide assistant over the store named by the environment (opened once)."""
    global _default
    with _default_lock:
        if _default is None:
            settings = Settings.from_env()
            _default = Assistant(open_store(settings), settings)
        return _default


def answer(question: str, history: Iterable[Any] | None = None, *, store: DocsStore | None = None, **options) -> Answer:
    """Answer a question about the stored articles, with sentence-level citations.

    >>> res = answer("定襄法兰2024年产值多少？")
    >>> res.found, res.citations[0].quote
    (True, '定襄法兰作为省级专业镇标杆，2024年产值突破了170亿元，…')

    ``history`` takes ``(question, answer)`` pairs or ``{"role", "content"}`` messages
    (content as text or as Gradio's list of ``{"type": "text", "text": ...}`` parts).
    Uses the store named by ``DOCS_STORE_DIR`` unless ``store`` is given. ``options``:
    ``mode`` (hybrid/dense/bm25), ``k`` (passages retrieved), ``use_llm``.
    """
    assistant = Assistant(store, Settings.from_env()) if store is not None else default_assistant()
    return assistant.answer(question, history, **options)
