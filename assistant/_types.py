"""What the assistant hands back: an answer and its sentence-level citations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
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

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Answer:
    """The answer text with inline ``[n]`` markers, its citations in marker order, and
    whether the store held an answer at all (``found``). ``mode`` says how it was made and
    ``notice`` carries a short message for the user (e.g. the LLM endpoint was down)."""

    text: str
    citations: tuple[Citation, ...]
    found: bool
    mode: AnswerMode = "extractive"
    notice: str = ""
    query: str = ""

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "found": self.found,
            "mode": self.mode,
            "notice": self.notice,
            "query": self.query,
            "citations": [c.to_dict() for c in self.citations],
        }

    def plain_text(self) -> str:
        """The answer followed by its references, for copying into a report."""
        lines = [self.text, ""]
        for c in self.citations:
            where = "，".join(part for part in (c.byline, c.date, f"第{c.paragraph + 1}段") if part)
            lines.append(f"[{c.number}] 《{c.title}》（{where}）{Path(c.source).name}：“{c.quote}”")
        return "\n".join(lines).rstrip()


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""
