"""Accept the conversation history in every form users hand it over."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ingest import NewsAssistantError

from ._types import Turn

_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")


def normalize_history(history: Iterable[Any] | None) -> list[Turn]:
    """Turn history into ``Turn`` objects.

    Accepted: ``None``; ``(question, answer)`` pairs; ``{"role", "content"}`` messages (or
    objects with ``.role``/``.content``, as Gradio's ``ChatMessage``) where ``content`` is a
    string or a list of parts ``{"type": "text", "text": ...}`` (Gradio 6); ``Turn`` objects.
    """
    if history is None:
        return []
    if isinstance(history, (str, bytes, Mapping)) or not isinstance(history, Iterable):
        raise NewsAssistantError(
            f"history must be a list of (question, answer) pairs or role/content messages, not {type(history).__name__}"
        )
    turns: list[Turn] = []
    for item in history:
        if isinstance(item, Turn):
            turns.append(item)
        elif isinstance(item, (list, tuple)) and len(item) == 2 and not _is_message(item):
            turns.append(Turn(_content_text(item[0]), _content_text(item[1])))
        elif _is_message(item):
            role, content = _role_and_content(item)
            text = _content_text(content)
            if role == "user":
                turns.append(Turn(text))
            elif role == "assistant" and turns:  # Gradio may split one reply into several messages
                previous = turns[-1]
                turns[-1] = Turn(previous.question, f"{previous.answer}\n{text}" if previous.answer else text)
            elif role == "assistant":
                turns.append(Turn("", text))
        else:
            raise NewsAssistantError(
                f"history item not understood: {item!r:.80} — use (question, answer) pairs or"
                ' {"role": ..., "content": ...} messages'
            )
    return [t for t in turns if t.question or t.answer]


def _is_message(item: Any) -> bool:
    if isinstance(item, Mapping):
        return "role" in item
    return hasattr(item, "role") and hasattr(item, "content")


def _role_and_content(item: Any) -> tuple[str, Any]:
    if isinstance(item, Mapping):
        return str(item.get("role", "")), item.get("content", "")
    return str(item.role), item.content


def _content_text(content: Any) -> str:
    """Plain text of a message: parts joined, HTML tags dropped, entities unescaped (the
    app shows answers as escaped HTML; matching needs the article's own characters)."""
    return html.unescape(_TAG_RE.sub("", _raw_text(content)))


def _raw_text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        return str(content.get("text", "")) if content.get("type", "text") == "text" else ""
    if isinstance(content, (list, tuple)):
        return "".join(_raw_text(part) for part in content)
    text = getattr(content, "text", None)
    return text if isinstance(text, str) else ""
