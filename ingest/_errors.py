"""One error hierarchy for the whole project.

``NewsAssistantError`` is the root; each stage raises its own subclass with a message that
names the culprit (the file, the line, the setting), so the CLI and the app can show it as is.

    NewsAssistantError
    ├── IngestError      a source could not be read or parsed
    ├── StoreError       the store cannot be opened, written or searched (docs_store)
    └── LLMError         the optional LLM endpoint failed (assistant)
"""

from __future__ import annotations


class NewsAssistantError(Exception):
    """Base class of every error this project raises on purpose."""


class IngestError(NewsAssistantError):
    """A source file could not be turned into articles.

    ``source`` is the file that failed and ``reason`` a short phrase (``"empty"``,
    ``"binary"``, ``"undecodable"``, ``"unsupported type"``, ``"too large"``, ``"invalid"``).
    """

    def __init__(self, source: str, reason: str, detail: str = "") -> None:
        self.source = source
        self.reason = reason
        self.detail = detail
        message = f"{source}: {reason}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)
