"""What the assistant hands back: an answer and its sentence-level citations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

AnswerMode = Literal["extractive", "llm", "fallback", "refusal"]
MARKER_RE = re.compile(r"\[(\d+)\]")
"""A citation marker in answer text: ``[1]`` points at ``Answer.citations[0]``."""


def strip_markers(text: str) -> str:
    """Answer text without its ``[n]`` markers."""
    return MARKER_RE.sub("", text or "")


@dataclass(frozen=True)
class Citation:
    """One cited sentence (or run of sentences) and where it stands.

    ``quote`` is verbatim ``article.text[start:end]``; ``text`` is the whole stored chunk
    the quote came from; ``paragraph`` is the paragraph index in the article.
    ``answer_start``/``answer_end`` locate the direct answer (e.g. "170亿元") inside the
    quote, in the same article coordinates, when the answer starts with one.
    :meth:`reference` is how a report cites it.
    """

    number: int
    quote: str
    text: str
    title: str
    byline: str
    date: str
    source: str
    paragraph: int
    start: int
    end: int
    article_id: str
    chunk_id: str
    answer_start: int | None = None
    answer_end: int | None = None
    outlet: str = ""
    """Who published the article ("科学导报"), when the page says (see ``ingest.outlet_of``)."""

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict) -> Citation:
        """The inverse of :meth:`to_dict` (answers sent between processes)."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def reference(self) -> str:
        """《title》（outlet，date or 未注明日期，author，第n段） — what a citation in a report needs."""
        where = "，".join(part for part in (self.outlet, self.date or "未注明日期", self.byline) if part)
        return f"《{self.title}》（{where}，第{self.paragraph + 1}段）"

    @property
    def answer(self) -> str:
        """The direct answer span, verbatim ("" when there is none)."""
        if self.answer_start is None or self.answer_end is None:
            return ""
        return self.quote[self.answer_start - self.start : self.answer_end - self.start]


@dataclass(frozen=True)
class Related:
    """An article near the question, listed when no sentence answers it: where to read
    further, deliberately without quotes or figures."""

    title: str
    byline: str
    date: str
    source: str
    article_id: str
    outlet: str = ""

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict) -> Related:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class Answer:
    """The answer text with inline ``[n]`` markers, its citations in marker order, and
    whether the store held an answer at all (``found``). ``mode`` says how it was made and
    ``notice`` carries a short message for the user (e.g. the LLM endpoint was down).

    A refusal (``found=False``) cites nothing, except a near miss — the question fixed a
    year, period, place or company and the articles report another one — where the text
    says so and cites what they do report. ``related`` lists the nearest articles.
    ``score`` is the answerability of the best sentence (0–1).
    """

    text: str
    citations: tuple[Citation, ...]
    found: bool
    mode: AnswerMode = "extractive"
    notice: str = ""
    query: str = ""
    related: tuple[Related, ...] = ()
    score: float = 0.0
    scope: str = ""
    """The dates a time phrase in the question was read as, e.g. "按2025年1月1日至2025年11月26日发布的文章"."""
    llm: str = ""
    """What became of the LLM's answer: "" (no LLM asked), "used", "figures differ" (the
    extractive figure was kept), or why it was rejected ("no answer", "no markers", "bad
    marker", "number", "near miss", "unavailable")."""
    reason: str = ""
    """Why a refusal refused: "not found", "dates" (nothing published in the dates searched),
    "undated" (the articles say no date), "near miss", "ask back", "empty" ("" when found)."""
    suggestions: tuple[str, ...] = ()
    """Questions the articles do answer, offered with a refusal (each one was answered)."""

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "found": self.found,
            "mode": self.mode,
            "notice": self.notice,
            "query": self.query,
            "score": round(self.score, 4),
            "scope": self.scope,
            "llm": self.llm,
            "reason": self.reason,
            "suggestions": list(self.suggestions),
            "citations": [c.to_dict() for c in self.citations],
            "related": [r.to_dict() for r in self.related],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Answer:
        """The inverse of :meth:`to_dict`: an answer made in another process is the same
        value as one made here."""
        return cls(
            text=data["text"],
            citations=tuple(Citation.from_dict(c) for c in data.get("citations", ())),
            found=bool(data["found"]),
            mode=data.get("mode", "extractive"),
            notice=data.get("notice", ""),
            query=data.get("query", ""),
            related=tuple(Related.from_dict(r) for r in data.get("related", ())),
            score=float(data.get("score", 0.0)),
            scope=data.get("scope", ""),
            llm=data.get("llm", ""),
            reason=data.get("reason", ""),
            suggestions=tuple(data.get("suggestions", ())),
        )

    def plain_text(self) -> str:
        """The answer followed by its references, for copying into a report."""
        lines = [self.text, f"（{self.scope}）" if self.scope else "", ""]
        for c in self.citations:
            lines.append(f"[{c.number}] {c.reference()}：“{c.quote}”")
        return "\n".join(lines).rstrip()


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""
