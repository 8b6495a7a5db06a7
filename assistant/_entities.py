"""Entities as first-class objects: ``entities(kind=…, region=…, query=…)`` and ``entity(name)``.

Every fact and every mention comes with a :class:`Citation` to its sentence, the figure or
name in bold (``answer_start``/``answer_end``), so a list of towns or projects is as
quotable as an answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from docs_store import DocsStore, EntitySummary, StoredFact, StoredMention
from ingest import REGION_SEPARATOR

from ._compose import Quote, citation_for
from ._types import Citation

EntityKind = Literal["town", "park", "project", "company", "place"]
KINDS: tuple[EntityKind, ...] = ("town", "park", "project", "company", "place")
KIND_NAMES: dict[str, str] = {
    "town": "专业镇/镇",
    "park": "园区",
    "project": "项目",
    "company": "企业/机构",
    "place": "地区",
}
MAX_MENTIONS = 50


@dataclass(frozen=True)
class Fact:
    """A figure or event an article states about an entity.

    ``value`` is as printed ("170亿元"); ``number`` and ``unit`` are normalised for
    comparison (1.7e10, "元"; None for dates and designations); ``period`` is the time the
    figure is about, as printed ("2024年", "上半年"); ``citation`` quotes its sentence.
    """

    attribute: str
    value: str
    number: float | None
    unit: str
    period: str
    date: str
    citation: Citation


@dataclass(frozen=True)
class Entity:
    """A town, park, project, company or place, across every article that names it."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    region: str
    facts: tuple[Fact, ...]
    mentions: tuple[Citation, ...]
    articles: int = 0
    latest: str = ""
    mention_count: int = 0
    """How often articles name it (``mentions`` holds at most the first ``MAX_MENTIONS``)."""
    regions: tuple[str, ...] = ()
    """Every unit it lies in, nearest first (定襄县, 忻州市, 山西省); ``region`` is the first."""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "region": self.region,
            "regions": list(self.regions),
            "articles": self.articles,
            "latest": self.latest,
            "mention_count": self.mention_count,
            "facts": [
                {k: v for k, v in f.__dict__.items() if k != "citation"} | {"citation": f.citation.to_dict()}
                for f in self.facts
            ],
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Entity:
        """The inverse of :meth:`to_dict` (entities sent between processes)."""
        facts = tuple(
            Fact(**{k: v for k, v in f.items() if k != "citation"}, citation=Citation.from_dict(f["citation"]))
            for f in data.get("facts", ())
        )
        return cls(
            name=data["name"],
            kind=data["kind"],
            aliases=tuple(data.get("aliases", ())),
            region=data.get("region", ""),
            regions=tuple(data.get("regions", ())),
            facts=facts,
            mentions=tuple(Citation.from_dict(m) for m in data.get("mentions", ())),
            articles=int(data.get("articles", 0)),
            latest=data.get("latest", ""),
            mention_count=int(data.get("mention_count", 0)),
        )


def list_entities(
    store: DocsStore,
    *,
    kind: str | None = None,
    region: str | None = None,
    query: str | None = None,
    limit: int = 200,
    mentions: int = MAX_MENTIONS,
    facts: bool = True,
) -> list[Entity]:
    """Entities of one kind / region / name fragment, most mentioned first, each with its
    facts (unless ``facts=False``) and up to ``mentions`` cited mentions (0 for a table)."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    summaries = store.catalog.entity_summaries(kind=kind, region=region, query=query, limit=limit)
    return [_entity(store, s, mentions=mentions, facts=facts) for s in summaries]


def find_entity(store: DocsStore, name: str) -> Entity | None:
    """The entity any article calls ``name`` (its name or one of its aliases)."""
    summary = store.catalog.find_entity(name.strip())
    return _entity(store, summary, mentions=MAX_MENTIONS, facts=True) if summary else None


def _entity(store: DocsStore, summary: EntitySummary, *, mentions: int, facts: bool) -> Entity:
    names = store.catalog.entity_names(summary.key)
    regions = tuple(unit for unit in summary.region.split(REGION_SEPARATOR) if unit)
    stated = store.catalog.entity_facts(key=summary.key) if facts else []
    named = store.catalog.entity_mentions(summary.key)[:mentions] if mentions else []
    return Entity(
        name=summary.name,
        kind=summary.kind,
        aliases=tuple(n for n in names if n != summary.name),
        region=regions[0] if regions else "",
        regions=regions,
        facts=tuple(f for f in (_fact(store, row) for row in stated) if f),
        mentions=_one_per_sentence(c for c in (_mention(store, m) for m in named) if c),
        articles=summary.articles,
        latest=summary.latest,
        mention_count=summary.mentions,
    )


def _one_per_sentence(cited: Iterable[Citation]) -> tuple[Citation, ...]:
    """Mentions with each sentence once (an article naming a town twice in one sentence, by
    two of its names, is one mention to read)."""
    seen: dict[tuple[str, int, int], Citation] = {}
    for c in cited:
        seen.setdefault((c.article_id, c.start, c.end), c)
    return tuple(seen.values())


def _citation(store: DocsStore, article_id: str, sentence: tuple[int, int], bold: tuple[int, int]) -> Citation | None:
    chunk = store.chunk_at(article_id, sentence[0])
    if chunk is None or sentence[1] > chunk.start + len(chunk.text):
        return None
    return citation_for(1, Quote(chunk, sentence[0], sentence[1], bold))


def _fact(store: DocsStore, row: StoredFact) -> Fact | None:
    citation = _citation(store, row.article_id, row.sentence, (row.start, row.end))
    if citation is None:
        return None
    return Fact(row.attribute, row.value, row.number, row.unit, row.period, row.date, citation)


def _mention(store: DocsStore, row: StoredMention) -> Citation | None:
    return _citation(store, row.article_id, row.sentence, (row.start, row.end))
