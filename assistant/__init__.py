"""Answers with sentence-level citations: ``from assistant import answer``.

>>> from assistant import answer
>>> res = answer("定襄法兰2024年产值多少？")
>>> res.text, res.found, [c.quote for c in res.citations]
"""

from ._answer import Assistant, answer, default_assistant
from ._history import normalize_history
from ._llm import LLMClient, LLMError
from ._types import Answer, Citation, Turn

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "LLMClient",
    "LLMError",
    "Turn",
    "answer",
    "default_assistant",
    "normalize_history",
]
