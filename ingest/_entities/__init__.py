"""Offline entity and fact extraction: places, towns, parks, projects, companies and their figures.

Rules and a gazetteer, checked by one small learned model: extraction runs for every ingested
article (68k of them), so it must cost a few milliseconds, give the same answer every time and
never invent a figure. The
labelling rules it follows are ``eval/entities/GUIDELINES.md``; ``python -m bench.eval_entities``
measures it against the hand labels.

How it works, in order:

1. *Named things by suffix.* 开发区 / 高新区 / 产业园 …, 专业镇 / 特色小镇, 项目, and 有限公司 /
   集团 / 银行 / 局 / 协会 …: each suffix is found, and the name's left edge is where a clause
   starts, a verb or function word (位于, 引进, 的, 与 …) stands, or another name ends. Generic
   forms (重点项目, 各专业镇, 该公司, 体教融合示范区) are dropped.
2. *Places and towns by gazetteer* (``ingest/data/places.tsv``). A place only counts where it
   stands on its own: not inside a longer name (忻州市工信局, 济南高新区), a book title or a
   quoted name, and a county's short name (青浦, 海淀) only when the article also names its full
   form or a place above it.
3. *Merging.* Forms of one entity become aliases: 忻州 ↔ 忻州市, 定襄法兰 ↔ 定襄法兰专业镇,
   临夏经开区 ↔ 临夏经济开发区, 汉钟精机 ↔ 上海汉钟精机股份有限公司.
4. *Facts.* A figure is kept only when its owner is clear: the entity named in the same clause,
   the subject of the sentence, or the project that 该项目 / 项目 at the head of a clause refers to.
   Precision matters more than recall: a wrong figure is worse than a missing one.
5. *Regions.* Each entity gets the chain of units it lies in (定襄法兰专业镇 → 定襄县/忻州市/山西省).
6. *Verification.* A logistic model over the name and the words around its mentions
   (``verifier``, trained by ``make train-entity-verifier`` on the tuning labels) drops the
   entities it finds more likely than not no names, with their facts.

The rooms, in the order they run: ``context`` (the article read once) → ``names`` (per-kind
suffix rules and name edges, words in ``vocabulary``) and ``places`` (gazetteer) → ``records``
(merging, aliases) → ``facts`` → ``regions`` → ``verifier``; ``types`` holds what comes out.
"""

from __future__ import annotations

from .._gazetteer import Gazetteer, Place, gazetteer
from .._types import Article
from .context import _Context, _context
from .facts import _FactFinder, normalise_amount
from .names import tagger_windows
from .records import _build_entities, _Entity
from .regions import _article_place, _region_chain, implicit_units
from .tagger import NameTagger, shared_tagger
from .types import DATE_ATTRIBUTES, ENTITY_INDEX_VERSION, EntityKind, EntityRecord, Extraction, FactRecord, Mention
from .verifier import shared_verifier
from .vocabulary import ROLES

__all__ = [
    "DATE_ATTRIBUTES",
    "ENTITY_INDEX_VERSION",
    "EntityKind",
    "EntityRecord",
    "Extraction",
    "FactRecord",
    "Mention",
    "NameTagger",
    "ROLES",
    "extract_entities",
    "normalise_amount",
    "shared_tagger",
    "shared_verifier",
]


def extract_entities(article: Article, *, tagger: NameTagger | None = None, verify: bool = True) -> Extraction:
    """Entities (places, towns, parks, projects, companies) and their facts in one article.

    Every mention and fact points at verbatim text: ``article.text[m.start:m.end] == m.name``
    and its ``sentence`` is one of the article's sentence spans, so a fact can be cited like
    an answer. The result is deterministic; the gazetteer is loaded once.

    ``tagger``: a name tagger whose left edges the rules take (``shared_tagger()``: the
    bundled one; the store passes it with ``ENTITY_TAGGER=on``). ``None``, the default: the
    rules alone — the bundled tagger measured worse than them (docs/evaluation.md).

    ``verify``: the learned verifier (``ingest/models/entity_verifier.json``) drops the
    entities it finds more likely than not no names of their kind, with their facts; ``False``: every
    entity the rules found (what the verifier is trained on).
    """
    gaz = gazetteer()
    tagged = (
        [(s.start, s.end, s.type) for s in tagger.spans(article.text, tagger_windows(article.text))] if tagger else []
    )
    ctx = _context(article, gaz, tagged)
    if not ctx.spans:
        return Extraction((), ())
    records = _build_entities(ctx, gaz)
    implicit = implicit_units(records)  # what a bare 市/区/县 means here, for roles and regions
    facts = _FactFinder(ctx, records, implicit).run(records)
    about = _article_place(article.title, records, gaz)
    entities = [e for r in records if (e := _entity(r, records, ctx, gaz, about, implicit)) is not None]
    verifier = shared_verifier() if verify else None
    if verifier is not None:
        entities, facts = verifier.apply(entities, facts, article.text)
    return Extraction(tuple(entities), tuple(facts))


def _entity(
    record: _Entity,
    records: list[_Entity],
    ctx: _Context,
    gaz: Gazetteer,
    about: Place | None,
    implicit: dict[str, _Entity],
) -> EntityRecord | None:
    """The stored form of one record: its mentions in text order with their sentences, its
    other forms as aliases, its region chain; ``None`` when no mention lies in one sentence."""
    mentions = []
    for surface, spans in record.forms.items():
        for start, end in spans:
            index = ctx.locate(start)
            sentence = ctx.spans[index]
            if end <= sentence[1]:
                mentions.append(Mention(surface, start, end, sentence, ctx.paragraphs[index]))
    if not mentions:
        return None
    mentions.sort(key=lambda m: m.start)
    aliases = tuple(sorted({m.name for m in mentions if m.name != record.name}, key=lambda s: (-len(s), s)))
    region = _region_chain(record, records, ctx, gaz, about, implicit)
    return EntityRecord(record.name, record.kind, aliases, region, tuple(mentions))
