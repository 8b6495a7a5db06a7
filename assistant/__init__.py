"""Answers with sentence-level citations: ``from assistant import answer``.

>>> from assistant import answer
>>> res = answer("定襄法兰2024年产值多少？")
>>> res.text, res.found, [c.quote for c in res.citations]
"""

from ._answer import Assistant, answer, default_assistant, entities, entity
from ._entities import Entity, Fact
from ._export import export_docx, export_markdown
from ._history import normalize_history
from ._llm import LLMClient, LLMError
from ._remote import serve_queries
from ._time import TimeScope, resolve_time
from ._types import MARKER_RE, Answer, Citation, Related, Turn

__all__ = [
    "MARKER_RE",
    "Answer",
    "Assistant",
    "Citation",
    "Entity",
    "Fact",
    "LLMClient",
    "LLMError",
    "Related",
    "TimeScope",
    "Turn",
    "answer",
    "default_assistant",
    "entities",
    "entity",
    "export_docx",
    "export_markdown",
    "normalize_history",
    "resolve_time",
    "serve_queries",
]
