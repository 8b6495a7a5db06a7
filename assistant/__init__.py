"""Answers with sentence-level citations: ``from assistant import answer``.

>>> from assistant import answer
>>> res = answer("定襄法兰2024年产值多少？")
>>> res.text, res.found, [c.quote for c in res.citations]
"""

from ._answer import Assistant, answer, default_assistant, entities, entity
from ._entities import Entity, Fact
from ._history import normalize_history
from ._llm import LLMClient, LLMError
from ._time import TimeScope, resolve_time
from ._types import Answer, Citation, Related, Turn

__all__ = [
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
    "normalize_history",
    "resolve_time",
]
