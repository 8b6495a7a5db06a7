"""The answer pipeline: resolve follow-ups → retrieve → judge sentences → compose → verify."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from docs_store import DocsStore, Hit, RetrievalMode, Settings, StoreBusy, open_store, tokenize
from ingest import NewsAssistantError, fold

from ._about import about_answer, asked_field, subject_words
from ._agreement import article_years
from ._answerability import AnswerabilityModel, complete
from ._candidates import candidates
from ._combine import choose, rejected, vetoed
from ._compose import MAX_LIST_ITEMS, Quote, ask_back, fact_answer, list_answer, near_miss, quote_of, refusal
from ._entities import KINDS, MAX_MENTIONS, Entity, find_entity, list_entities
from ._entity_answers import answer_from_index
from ._explain import explain
from ._followup import resolve_followup
from ._history import normalize_history
from ._judge import Judge, Judged
from ._llm import LLMClient, LLMError, Passage, build_messages, verify
from ._outlets import Outlets
from ._question import Question, analyze, described_names, with_label_spellings
from ._remote import RemoteAssistant
from ._scorer import AnswerScorer
from ._span import answer_span
from ._time import TimeScope, resolve_time
from ._types import Answer
from ._wording import reporters_words

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
        judge: the answer scorer and answerability model; default the bundled ones.
    """

    def __init__(
        self,
        store: DocsStore,
        settings: Settings | None = None,
        llm: LLMClient | None = None,
        judge: Judge | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or Settings()
        s = self.settings
        if llm is None and s.llm_base_url:
            llm = LLMClient(s.llm_base_url, s.llm_model, s.llm_api_key, s.llm_timeout)
        self.llm = llm
        self.judge = judge or default_judge(s)
        self.outlets = Outlets(store)
        model = self.judge.model
        self.threshold = model.threshold if s.answer_threshold is None else s.answer_threshold

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
        and no citations: only the last one counts. Every citation names its outlet.
        """
        for res in self._stream(question, history, mode=mode, k=k, use_llm=use_llm):
            yield self.outlets.fill(res)

    def _answers(self, question: str, mode: RetrievalMode | None, k: int | None) -> bool:
        """Does the store answer ``question`` (no LLM, no suggestions of its own)? What a
        refusal's suggestion must pass."""
        *_, final = self._stream(question, None, mode=mode, k=k, use_llm=False, suggest=False)
        return final.found

    def _stream(
        self,
        question: str,
        history: Iterable[Any] | None,
        *,
        mode: RetrievalMode | None,
        k: int | None,
        use_llm: bool | None,
        suggest: bool = True,
    ) -> Iterator[Answer]:
        question = fold(_check_question(question))  # typed in Traditional script or full width: one spelling
        turns = [
            dataclasses.replace(t, question=fold(t.question), answer=fold(t.answer)) for t in normalize_history(history)
        ]
        resolved = resolve_followup(question, turns)
        if resolved.unresolved:
            yield ask_back(resolved.unresolved, question)
            return
        query = resolved.query
        about = self._about_article(query, turns)
        if about is not None:
            yield about
            return
        scope = resolve_time(query, self.settings.current_date())
        from_index = answer_from_index(self.store, query, scope)
        if from_index is not None:
            yield _scoped(from_index, scope)
            return
        published = scope.published if scope else None
        formal = reporters_words(query)
        hits = self.store.search(
            with_label_spellings(formal),
            k=k or self.settings.top_k,
            mode=mode or self.settings.retrieval_mode,
            published=published,
            undated=bool(scope and scope.years),
        )
        asked = dataclasses.replace(analyze(formal, scope), described=described_names(query))
        said = "\n".join(t.answer for t in turns) if resolved.more else ""  # "还有呢": only what is new
        extractive = _scoped(self._extractive(asked, query, hits, said), scope)

        def explained(res: Answer) -> Answer:
            if res.found or not suggest:
                return res
            return explain(res, query, asked, scope, hits, self.store, lambda q: self._answers(q, mode, k))

        wants_llm = use_llm if use_llm is not None else True
        if self.llm is None or not wants_llm or not hits:
            yield explained(extractive)
            return
        # The model reads the passages even when the extractive judge refused (the paraphrases
        # it reads best); its answer counts only verified and past the same vetoes (_combine).
        passages = [Passage(i, h.chunk) for i, h in enumerate(hits[: self.settings.llm_passages], start=1)]
        text = ""
        try:
            for piece in self.llm.stream(build_messages(query, passages)):
                text += piece
                yield Answer(_mask_digits(text), (), found=False, mode="llm", notice=VERIFYING, query=query)
            generated = verify(text, passages, query)
            veto = vetoed(asked, generated, hits, self.store)
            if veto is not None:
                reported = veto.reported or "something else"
                raise LLMError(f"a cited sentence reports {reported}, not {veto.asked}", kind="near miss")
            yield explained(choose(extractive, generated))
        except LLMError as exc:
            logger.warning("LLM answer not used: %s", exc)
            yield explained(rejected(extractive, exc))

    def _about_article(self, query: str, turns: list) -> Answer | None:
        """ "这篇文章的作者是谁？": the byline, date or outlet of the article the question's other
        words retrieve (with none, the article the conversation was last about)."""
        field = asked_field(query)
        if field is None:
            return None
        words = subject_words(query)
        if len(words) < 2 and turns:
            words = f"{turns[-1].question} {turns[-1].answer}"[:200]
        if len(words) < 2:
            return None
        return about_answer(field, self.store.search(words, k=3), self.store, query)

    def warm(self) -> None:
        """Compile the encoder and the answer scorer and load the indexes now (app start),
        so the first question is as quick as the others."""
        warm = getattr(self.store.embedding.embeddings, "warm", None)
        if warm is not None:
            warm()
        self.judge.scorer.warm()
        self.store.prepare_search()

    def judged(self, question: Question, hits: Sequence[Hit]) -> list[Judged]:
        """Every sentence of the hits with its answerability, best first (for evaluation)."""
        found = candidates(question, list(hits), self.store.idf(question.terms))
        return self.judge.judge(question, found, article_years(question, hits, self.store))

    def _extractive(self, asked: Question, query: str, hits: list[Hit], said: str) -> Answer:
        if not hits:
            return refusal(hits, query, store_empty=len(self.store) == 0)
        judged = [j for j in self.judged(asked, hits) if not (said and _already_said(j, said))]
        usable = [j for j in judged if j.disagreement is None]
        best = usable[0].probability if usable else 0.0
        if asked.is_list:
            items = _list_items(usable, self.judge.model.list_threshold, self.threshold)
            if items:
                return list_answer([_quote(j) for j in items], query, best)
        chosen = _chosen(usable, self.threshold)
        if chosen is not None:
            span = answer_span(asked, chosen.candidate.sentence)
            focus = _focus(asked, chosen.candidate.sentence) if span is None and asked.kind != "other" else None
            return fact_answer(_quote(chosen, span, focus), query, chosen.probability)
        model = self.judge.model
        for j in judged:
            if j.disagreement is not None and j.disagreement.reported and _near(j, model.near_miss_threshold):
                return near_miss(j.disagreement.asked, j.disagreement.reported, _quote(j), hits, query, best)
        return refusal(hits, query, score=best)


def _already_said(judged: Judged, said: str) -> bool:
    """Was this sentence quoted in an earlier answer ("还有呢" wants new ones)? Quotes may
    start after a lead marker or keep only the clauses around the answer, so any long
    stretch of the sentence in ``said`` counts."""
    sentence = judged.candidate.sentence
    if sentence in said:
        return True
    window = min(20, len(sentence))
    return any(sentence[i : i + window] in said for i in range(0, len(sentence) - window + 1, 5))


def _chosen(usable: Sequence[Judged], threshold: float) -> Judged | None:
    """The answering sentence: the most probable one at or above the threshold, else the most
    probable sentence that states the whole question in its own words (``complete``)."""
    if usable and usable[0].probability >= threshold:
        return usable[0]
    return next((j for j in usable if complete(j.candidate)), None)


def _list_items(usable: Sequence[Judged], list_threshold: float, threshold: float) -> list[Judged]:
    """Sentences that each contribute an item: one that would answer on its own, and the
    others above the list threshold or stating the whole question in their own words (the
    third of three parallel "园区还签约了…项目" sentences reads less like an answer to the
    scorer, but holds every term of the question), in the order the articles print them."""
    first = _chosen(usable, threshold)
    if first is None:
        return []
    items = [first] + [
        j for j in usable if (j.probability >= list_threshold or complete(j.candidate)) and j is not first
    ]
    items = items[:MAX_LIST_ITEMS]
    article_rank: dict[str, int] = {}
    for j in sorted(items, key=lambda j: j.candidate.rank):
        article_rank.setdefault(j.candidate.chunk.article_id, len(article_rank))
    return sorted(items, key=lambda j: (article_rank[j.candidate.chunk.article_id], j.candidate.start))


def _near(judged: Judged, near_miss_threshold: float) -> bool:
    """Would this sentence have answered, but for the year, period or name it reports?"""
    c = judged.candidate
    return judged.probability >= near_miss_threshold or (c.fits_type and c.coverage >= 0.6)


def _quote(judged: Judged, span: tuple[int, int] | None = None, focus: tuple[int, int] | None = None) -> Quote:
    c = judged.candidate
    answer = (c.start + span[0], c.start + span[1]) if span else None
    around = (c.start + focus[0], c.start + focus[1]) if focus else None
    return quote_of(c.chunk, c.start, c.end, answer, around)


_CLAUSE_RE = re.compile(r"[^，,；;：:。！？!?]+")


def _focus(question: Question, sentence: str) -> tuple[int, int] | None:
    """The clause of ``sentence`` that shares most of the question's terms: where a
    single-fact answer without a direct answer span is quoted from."""
    terms = set(question.terms)
    best = max(_CLAUSE_RE.finditer(sentence), key=lambda m: len(terms & set(tokenize(m.group(0)))), default=None)
    return best.span() if best is not None else None


_judges: dict[tuple[Any, ...], Judge] = {}
_judges_lock = threading.Lock()


def default_judge(settings: Settings) -> Judge:
    """The bundled scorer and answerability model, shared by every assistant of the process."""
    key = (settings.model_cache_dir,)
    with _judges_lock:
        if key not in _judges:
            _judges[key] = Judge(AnswerScorer(cache_dir=settings.model_cache_dir), AnswerabilityModel.load())
        return _judges[key]


VERIFYING = "生成中，数字核验后显示…"


def _mask_digits(text: str) -> str:
    """Unverified model text is shown while it streams, but never its figures (digits or
    Chinese numerals)."""
    return re.sub(r"\d|[零一二三四五六七八九十百千万亿两]", "▢", text)


def _scoped(answer: Answer, scope: TimeScope | None) -> Answer:
    """State the dates a time phrase was read as ("按2025年1月1日至…发布的文章")."""
    return dataclasses.replace(answer, scope=scope.describe()) if scope is not None else answer


def _check_question(question: str) -> str:
    if not isinstance(question, str):
        raise NewsAssistantError(f"question must be text, not {type(question).__name__}")
    question = _CONTROL_RE.sub(" ", question).strip()  # a pasted \x0b or NUL: a space, not an error later
    if not question:
        raise NewsAssistantError("question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise NewsAssistantError(f"question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
    return question


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_default: Assistant | None = None
_remote: RemoteAssistant | None = None
_default_lock = threading.Lock()


def default_assistant() -> Assistant:
    """The process-wide assistant over the store named by the environment (opened once)."""
    global _default
    with _default_lock:
        if _default is None:
            settings = Settings.from_env()
            _default = Assistant(open_store(settings), settings)
        return _default


def _default_backend() -> Assistant | RemoteAssistant:
    """The default assistant, or — when another process (the app) holds the local store and
    serves requests for it — a client of that process, so the Python route works while
    the app runs. Where the holder runs no service, its one-line :class:`StoreBusy`."""
    global _remote
    if _remote is not None:  # found before: no model loaded and hashed again to learn it
        return _remote
    try:
        return default_assistant()
    except StoreBusy as busy:
        if not busy.service:
            raise
        _remote = RemoteAssistant(busy.service)
        return _remote


def answer(question: str, history: Iterable[Any] | None = None, *, store: DocsStore | None = None, **options) -> Answer:
    """Answer a question about the stored articles, with sentence-level citations.

    >>> res = answer("定襄法兰2024年产值多少？")
    >>> res.found, res.citations[0].quote
    (True, '定襄法兰作为省级专业镇标杆，2024年产值突破了170亿元，…')

    ``history`` takes ``(question, answer)`` pairs or ``{"role", "content"}`` messages
    (content as text or as Gradio's list of ``{"type": "text", "text": ...}`` parts).
    Uses the store named by ``DOCS_STORE_DIR`` unless ``store`` is given; while the app
    holds that store, the app answers (the same answer it shows). ``options``:
    ``mode`` (hybrid/dense/bm25), ``k`` (passages retrieved), ``use_llm``.
    """
    assistant = Assistant(store, Settings.from_env()) if store is not None else _default_backend()
    return assistant.answer(question, history, **options)


def entities(
    kind: str | None = None,
    region: str | None = None,
    query: str | None = None,
    *,
    store: DocsStore | None = None,
    limit: int = 200,
    mentions: int = MAX_MENTIONS,
) -> list[Entity]:
    """Towns, parks, projects, companies or places in the stored articles, most mentioned first.

    >>> [e.name for e in entities(kind="town", region="忻州")][:3]
    ['定襄法兰专业镇', …]

    ``kind`` is one of ``"town"``, ``"park"``, ``"project"``, ``"company"``, ``"place"``;
    ``region`` keeps entities the articles place there; ``query`` matches any name or alias.
    Each :class:`Entity` carries its facts and up to ``mentions`` mentions with citations
    (``mention_count`` has them all). Uses the store named by ``DOCS_STORE_DIR`` (through
    the app while it holds it) unless ``store`` is given.
    """
    if kind is not None and kind not in KINDS:  # the same error here as in the holder
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if store is None:  # an empty store is falsy (len 0)
        backend = _default_backend()
        if isinstance(backend, RemoteAssistant):
            return backend.entities(kind=kind, region=region, query=query, limit=limit, mentions=mentions)
        store = backend.store
    return list_entities(store, kind=kind, region=region, query=query, limit=limit, mentions=mentions)


def entity(name: str, *, store: DocsStore | None = None) -> Entity | None:
    """The entity any article calls ``name`` (full name or alias), or None."""
    if not isinstance(name, str):
        raise NewsAssistantError(f"name must be text, not {type(name).__name__}")
    if store is None:
        backend = _default_backend()
        if isinstance(backend, RemoteAssistant):
            return backend.entity(name)
        store = backend.store
    return find_entity(store, name)
