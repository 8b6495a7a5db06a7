"""The entity index: towns, parks, projects, companies and places across all articles.

Extraction (``ingest.extract_entities``) runs per article before a write; here its records
are stored beside the catalogue's articles, in the same transaction, and removed with them
— so no entity, fact or mention outlives its article. An entity is keyed by its kind and
its core name (suffixes that vary between articles removed: 忻州市/忻州 → ``place:忻州``,
…经济技术开发区/…经开区 → one park), so mentions in different articles meet under one key,
reachable by any name or alias any article used.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest import Article, Extraction

SCHEMA = """
CREATE TABLE IF NOT EXISTS entity_rows (
    key TEXT NOT NULL, article_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    aliases TEXT NOT NULL, region TEXT NOT NULL, spans TEXT NOT NULL, date TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entity_rows_key ON entity_rows(key);
CREATE INDEX IF NOT EXISTS entity_rows_article ON entity_rows(article_id);
CREATE TABLE IF NOT EXISTS entity_names (name TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (name, key));
CREATE INDEX IF NOT EXISTS entity_names_key ON entity_names(key);
CREATE TABLE IF NOT EXISTS entities (
    key TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, region TEXT NOT NULL,
    mentions INTEGER NOT NULL, articles INTEGER NOT NULL, latest TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entities_kind ON entities(kind);
CREATE TABLE IF NOT EXISTS entity_facts (
    key TEXT NOT NULL, article_id TEXT NOT NULL, attribute TEXT NOT NULL, value TEXT NOT NULL,
    number REAL, unit TEXT NOT NULL, period TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL, paragraph INTEGER NOT NULL,
    date TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entity_facts_key ON entity_facts(key);
CREATE INDEX IF NOT EXISTS entity_facts_article ON entity_facts(article_id);
CREATE INDEX IF NOT EXISTS entity_facts_attribute ON entity_facts(attribute, number);
"""

_CORE_SUFFIXES = {
    "place": ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "盟", "旗"),
    "town": ("专业镇", "特色小镇", "街道", "镇", "乡"),
    "company": ("股份有限公司", "有限责任公司", "有限公司"),
    "park": (),
    "project": (),
}
_PARK_SYNONYMS = (("经济技术开发区", "经开区"), ("高新技术产业开发区", "高新区"), ("经济开发区", "经开区"))


def entity_key(kind: str, name: str) -> str:
    """``kind:core`` — the same entity whatever suffix an article writes."""
    core = name.strip('“”"《》')
    for suffix in _CORE_SUFFIXES.get(kind, ()):
        if core.endswith(suffix) and len(core) > len(suffix) + (1 if kind == "place" else 0):
            core = core[: -len(suffix)]
            break
    if kind == "park":
        for long, short in _PARK_SYNONYMS:
            core = core.replace(long, short)
    return kind + ":" + "".join(core.split())


@dataclass(frozen=True)
class EntitySummary:
    """One entity across the store (see :class:`EntityIndex`)."""

    key: str
    kind: str
    name: str
    region: str
    mentions: int
    articles: int
    latest: str


@dataclass(frozen=True)
class StoredMention:
    key: str
    article_id: str
    name: str
    start: int
    end: int
    sentence: tuple[int, int]
    paragraph: int
    date: str


@dataclass(frozen=True)
class StoredFact:
    key: str
    article_id: str
    attribute: str
    value: str
    number: float | None
    unit: str
    period: str
    start: int
    end: int
    sentence: tuple[int, int]
    paragraph: int
    date: str


class EntityIndex:
    """Reads and writes the entity tables of one catalogue connection (writes inside the
    catalogue's transaction)."""

    @staticmethod
    def rows(article: Article, found: Extraction) -> tuple[list[list], list[list]]:
        """The ``entity_rows`` and ``entity_facts`` rows of one article (plain lists, so a
        backend can keep them as JSON: see ``_milvus``)."""
        keys: dict[str, str] = {}
        entities: list[list] = []
        for e in found.entities:
            key = entity_key(e.kind, e.name)
            keys[e.name] = key
            spans = [[m.start, m.end, m.sentence[0], m.sentence[1], m.paragraph] for m in e.mentions]
            entities.append([key, article.id, e.kind, e.name, json.dumps(list(e.aliases), ensure_ascii=False),
                             e.region, json.dumps(spans), article.date])  # fmt: skip
        facts = [
            [keys[f.entity], article.id, f.attribute, f.value, f.number, f.unit, f.period, f.start, f.end,
             f.sentence[0], f.sentence[1], f.paragraph, article.date]
            for f in found.facts
            if f.entity in keys
        ]  # fmt: skip
        return entities, facts

    @staticmethod
    def insert_rows(db: sqlite3.Connection, entities: Sequence[Sequence], facts: Sequence[Sequence]) -> set[str]:
        """Insert rows made by :meth:`rows`; returns the entity keys touched."""
        db.executemany("INSERT INTO entity_rows VALUES (?,?,?,?,?,?,?,?)", entities)
        db.executemany("INSERT INTO entity_facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", facts)
        return {r[0] for r in entities}

    @staticmethod
    def add(db: sqlite3.Connection, articles: Sequence[Article], extractions: Sequence[Extraction]) -> None:
        touched: set[str] = set()
        for article, found in zip(articles, extractions, strict=True):
            db.execute("DELETE FROM entity_rows WHERE article_id=?", (article.id,))
            db.execute("DELETE FROM entity_facts WHERE article_id=?", (article.id,))
            touched |= EntityIndex.insert_rows(db, *EntityIndex.rows(article, found))
        EntityIndex.summarise(db, touched)

    @staticmethod
    def remove(db: sqlite3.Connection, article_ids: Iterable[str]) -> None:
        ids = list(article_ids)
        touched: set[str] = set()
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            touched |= {r[0] for r in db.execute(f"SELECT key FROM entity_rows WHERE article_id IN ({marks})", part)}
            db.execute(f"DELETE FROM entity_rows WHERE article_id IN ({marks})", part)
            db.execute(f"DELETE FROM entity_facts WHERE article_id IN ({marks})", part)
        EntityIndex.summarise(db, touched)

    @staticmethod
    def summarise(db: sqlite3.Connection, keys: set[str]) -> None:
        """Recompute the summary and the name lookup of the entities a write touched."""
        for key in keys:
            rows = db.execute(
                "SELECT kind, name, aliases, region, spans, date, article_id FROM entity_rows WHERE key=?", (key,)
            ).fetchall()
            db.execute("DELETE FROM entities WHERE key=?", (key,))
            db.execute("DELETE FROM entity_names WHERE key=?", (key,))
            if not rows:
                continue
            names = Counter(r[1] for r in rows)
            regions = Counter(r[3] for r in rows if r[3])
            name = max(names, key=lambda n: (names[n], len(n)))
            mentions = sum(len(json.loads(r[4])) for r in rows)
            latest = max((r[5] for r in rows), default="")
            db.execute(
                "INSERT INTO entities VALUES (?,?,?,?,?,?,?)",
                (key, rows[0][0], name, regions.most_common(1)[0][0] if regions else "", mentions,
                 len({r[6] for r in rows}), latest),
            )  # fmt: skip
            every = set(names) | {alias for r in rows for alias in json.loads(r[2])}
            db.executemany("INSERT OR IGNORE INTO entity_names VALUES (?, ?)", [(n, key) for n in every])

    # ------------------------------------------------------------------ reading

    @staticmethod
    def summaries(
        db: sqlite3.Connection, *, kind: str | None = None, region: str | None = None, query: str | None = None,
        limit: int = 200,
    ) -> list[EntitySummary]:  # fmt: skip
        sql = "SELECT key, kind, name, region, mentions, articles, latest FROM entities WHERE 1=1"
        params: list = []
        if kind:
            sql += " AND kind=?"
            params.append(kind)
        if region:
            sql += " AND (region LIKE ? OR name LIKE ?)"
            params += [f"%{region}%", f"{region}%"]
        if query:
            sql += " AND key IN (SELECT key FROM entity_names WHERE name LIKE ?)"
            params.append(f"%{query}%")
        sql += " ORDER BY mentions DESC, latest DESC, name LIMIT ?"
        params.append(limit)
        return [EntitySummary(*r) for r in db.execute(sql, params).fetchall()]

    @staticmethod
    def find(db: sqlite3.Connection, name: str) -> EntitySummary | None:
        """The entity any article calls ``name`` (exact name or alias; the most mentioned)."""
        rows = db.execute(
            "SELECT e.key, e.kind, e.name, e.region, e.mentions, e.articles, e.latest FROM entity_names n"
            " JOIN entities e ON e.key = n.key WHERE n.name = ? ORDER BY e.mentions DESC LIMIT 1",
            (name,),
        ).fetchall()
        return EntitySummary(*rows[0]) if rows else None

    @staticmethod
    def article_facts(db: sqlite3.Connection, article_id: str, limit: int = 20) -> list[tuple[str, StoredFact]]:
        """The facts one article states, each with its entity's name (for suggested questions)."""
        rows = db.execute(
            "SELECT e.name, f.* FROM entity_facts f JOIN entities e ON e.key = f.key"
            " WHERE f.article_id = ? ORDER BY f.paragraph, f.start LIMIT ?",
            (article_id, limit),
        ).fetchall()
        return [
            (r[0], StoredFact(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], (r[10], r[11]), r[12], r[13]))
            for r in rows
        ]

    @staticmethod
    def names(db: sqlite3.Connection, key: str) -> list[str]:
        return [r[0] for r in db.execute("SELECT name FROM entity_names WHERE key=? ORDER BY name", (key,))]

    @staticmethod
    def mentions(db: sqlite3.Connection, key: str) -> list[StoredMention]:
        found = []
        for name, spans, date, article_id in db.execute(
            "SELECT name, spans, date, article_id FROM entity_rows WHERE key=? ORDER BY date DESC, article_id", (key,)
        ):
            for start, end, s0, s1, paragraph in json.loads(spans):
                found.append(StoredMention(key, article_id, name, start, end, (s0, s1), paragraph, date))
        return found

    @staticmethod
    def facts(
        db: sqlite3.Connection, *, key: str | None = None, attribute: str | None = None,
        minimum: float | None = None, limit: int = 500,
    ) -> list[StoredFact]:  # fmt: skip
        sql = "SELECT * FROM entity_facts WHERE 1=1"
        params: list = []
        if key:
            sql += " AND key=?"
            params.append(key)
        if attribute:
            sql += " AND attribute=?"
            params.append(attribute)
        if minimum is not None:
            sql += " AND number >= ?"
            params.append(minimum)
        sql += " ORDER BY number DESC, date DESC LIMIT ?"
        params.append(limit)
        return [
            StoredFact(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], (r[9], r[10]), r[11], r[12])
            for r in db.execute(sql, params).fetchall()
        ]
