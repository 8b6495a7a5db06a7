"""What extraction hands the store: entities with their mentions, facts, and the kinds and
attributes they come in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .._types import Span

ENTITY_INDEX_VERSION = "2026-12-04.2"
"""Changes when what extraction stores changes (2026-12-02: region chains; .2: roles in more
shapes, bureau names); a store whose entity index is older is re-extracted when it opens
(see ``DocsStore``)."""

EntityKind = Literal["place", "town", "park", "project", "company"]
Attribute = Literal[
    "产值", "营收", "投资", "总投资", "产能", "税收", "就业", "面积", "签约", "开工", "投产", "获批", "入选"
]

DATE_ATTRIBUTES: frozenset[str] = frozenset({"签约", "开工", "投产", "获批", "入选"})
"""Attributes whose value is a date or a designation, compared as strings (no number)."""


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: ``article.text[start:end] == name``."""

    name: str
    start: int
    end: int
    sentence: Span
    paragraph: int


@dataclass(frozen=True)
class EntityRecord:
    """One real-world entity of an article, under its fullest name, with the other forms used."""

    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    region: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class FactRecord:
    """A figure or event the article states about one entity, in one sentence.

    ``value`` is verbatim (``article.text[start:end] == value``); ``number``/``unit`` make
    amounts comparable (170亿元 → 1.7e10 元); dates and designations have ``number=None``.
    """

    entity: str
    attribute: Attribute
    value: str
    number: float | None
    unit: str
    period: str
    start: int
    end: int
    sentence: Span
    paragraph: int


@dataclass(frozen=True)
class Extraction:
    """Everything one article yielded."""

    entities: tuple[EntityRecord, ...]
    facts: tuple[FactRecord, ...]
