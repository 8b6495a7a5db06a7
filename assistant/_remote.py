"""Answers from the process that holds the store: ``from assistant import answer`` while
the app serves.

A local store is held by one process (see ``docs_store._service``). When the app holds it,
:func:`assistant.answer`, :func:`assistant.entities` and :func:`assistant.entity` send
their request to the app's store service and rebuild the same :class:`Answer` and
:class:`Entity` values from its reply — the app's own assistant answered, so the results
are the ones the app shows. :func:`serve_queries` is the app's side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from docs_store import query
from ingest import NewsAssistantError

from ._entities import Entity, find_entity, list_entities
from ._history import normalize_history
from ._types import Answer

ENTITY_OPTIONS = ("kind", "region", "query", "limit", "mentions")


class RemoteAssistant:
    """The subset of :class:`Assistant` a second process needs, answered by the holder."""

    def __init__(self, service: str | Path) -> None:
        self.service = Path(service)

    def answer(self, question: str, history: Iterable[Any] | None = None, **options: Any) -> Answer:
        if not isinstance(question, str):  # the holder's message, before anything is sent
            raise NewsAssistantError(f"question must be text, not {type(question).__name__}")
        turns = [[t.question, t.answer] for t in normalize_history(history)]
        reply = query(self.service, {"op": "answer", "question": question, "history": turns, "options": options})
        return Answer.from_dict(reply)

    def stream(self, question: str, history: Iterable[Any] | None = None, **options: Any) -> Iterator[Answer]:
        yield self.answer(question, history, **options)

    def entities(self, **request: Any) -> list[Entity]:
        return [Entity.from_dict(e) for e in query(self.service, {"op": "entities", **request})]

    def entity(self, name: str) -> Entity | None:
        found = query(self.service, {"op": "entity", "name": name})
        return Entity.from_dict(found) if found else None


def serve_queries(assistant: Any) -> dict[str, Callable[[dict], Any]]:
    """The handlers the app gives its :class:`~docs_store.StoreService`: the requests of
    :class:`RemoteAssistant`, answered by ``assistant`` over its own store."""

    def answer(request: dict) -> dict:
        options = {k: v for k, v in (request.get("options") or {}).items() if k in ("mode", "k", "use_llm")}
        res = assistant.answer(request.get("question"), request.get("history") or None, **options)
        return res.to_dict() | {"score": res.score}  # unrounded: the same value as in the app

    def entities(request: dict) -> list[dict]:
        options = {k: request[k] for k in ENTITY_OPTIONS if request.get(k) is not None}
        return [e.to_dict() for e in list_entities(assistant.store, **options)]

    def entity(request: dict) -> dict | None:
        found = find_entity(assistant.store, str(request.get("name") or ""))
        return found.to_dict() if found else None

    return {"answer": answer, "entities": entities, "entity": entity}
