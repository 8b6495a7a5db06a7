"""The entity index follows the catalogue: added with articles, replaced with them, gone with them."""

from __future__ import annotations

from assistant import entities, entity
from docs_store import entity_key
from ingest import parse_file
from ingest._entities import shared_verifier
from tests.conftest import copy_seed


def test_ingest_fills_the_index_with_cited_facts(store, seed_parsed):
    store.ingest(seed_parsed)
    towns = {e.name for e in entities(kind="town", store=store)}
    assert {"定襄法兰专业镇", "代州黄酒专业镇"} <= towns
    town = entity("定襄法兰", store=store)  # an alias finds it
    assert town is not None and town.name == "定襄法兰专业镇" and town.kind == "town"
    fact = next(f for f in town.facts if f.attribute == "产值")
    assert (fact.value, fact.number, fact.unit, fact.period) == ("170亿元", 1.7e10, "元", "2024年")
    article = store.article(fact.citation.article_id)
    assert article.text[fact.citation.start : fact.citation.end] == fact.citation.quote
    assert fact.citation.answer == "170亿元"
    for mention in town.mentions:
        assert mention.answer in ("定襄法兰专业镇", "定襄法兰")
        assert store.article(mention.article_id).text[mention.start : mention.end] == mention.quote


def test_keys_meet_across_suffixes():
    assert entity_key("place", "忻州市") == entity_key("place", "忻州")
    assert entity_key("town", "定襄法兰专业镇") == entity_key("town", "定襄法兰")
    assert entity_key("park", "兴县经济技术开发区") == entity_key("park", "兴县经开区")
    assert entity_key("company", "安徽稳卓汽车部件有限公司") != entity_key("company", "安徽稳卓汽车")


def test_delete_and_replace_leave_no_stale_entity(store, tmp_path):
    page = copy_seed(tmp_path)
    store.ingest(parse_file(page))
    assert entity("定襄法兰", store=store) is not None
    page.write_text(page.read_text(encoding="utf-8").replace("170 亿元", "171 亿元"), encoding="utf-8")
    store.ingest(parse_file(page))
    values = [f.value for f in entity("定襄法兰", store=store).facts if f.attribute == "产值"]
    assert values == ["171亿元"]  # the replaced article's fact is gone
    store.delete_source(str(page))
    assert entity("定襄法兰", store=store) is None
    assert entities(store=store) == []


def test_region_and_query_filters(store, seed_parsed):
    store.ingest(seed_parsed)
    in_xinzhou = entities(kind="place", region="忻州", store=store)
    assert in_xinzhou and all("忻州" in ("".join(e.regions) + e.name) for e in in_xinzhou)
    towns = [e.name for e in entities(kind="town", region="忻州", store=store)]
    for town in ("代州黄酒专业镇", "定襄法兰专业镇", "神池特色食品专业镇", "五台镁基新材料专业镇"):
        assert town in towns  # README: the region filter finds every town inside 忻州
    assert towns == [e.name for e in entities(kind="town", region="山西", store=store)]  # any level
    assert [e.name for e in entities(kind="town", region="定襄", store=store)] == ["定襄法兰专业镇"]
    assert "兴县经济技术开发区" in [e.name for e in entities(kind="park", region="吕梁", store=store)]
    town = entity("定襄法兰", store=store)
    assert town is not None and town.region == "定襄县" and town.regions == ("定襄县", "忻州市", "山西省")
    sentences = [(m.article_id, m.start) for m in town.mentions]
    assert len(sentences) == len(set(sentences))  # each sentence once
    assert [e.name for e in entities(query="稳卓", store=store)] == ["安徽稳卓汽车部件有限公司"]


def test_an_index_from_an_older_extractor_is_redone_when_the_store_opens(tmp_path, hash_embedding, seed_parsed):
    from docs_store import DocsStore

    with DocsStore(tmp_path / "old", embedding=hash_embedding) as old:
        old.ingest(seed_parsed)
        with old.catalog.transaction():  # what a store written before region chains holds
            old.catalog._db.execute("UPDATE entity_rows SET region = '定襄县' WHERE name = '定襄法兰专业镇'")
            old.catalog._db.execute("UPDATE entities SET region = '定襄县' WHERE name = '定襄法兰专业镇'")
        old.catalog.set_meta("entities_version", None)
        assert entity("定襄法兰", store=old).regions == ("定襄县",)
    with DocsStore(tmp_path / "old", embedding=hash_embedding) as reopened:
        assert entity("定襄法兰", store=reopened).regions == ("定襄县", "忻州市", "山西省")
        assert "定襄法兰专业镇" in [e.name for e in entities(kind="town", region="忻州", store=reopened)]


def test_switching_the_verifier_re_extracts_at_the_next_open(tmp_path, hash_embedding):
    from docs_store import DocsStore

    page = tmp_path / "page.txt"
    page.write_text("产业新闻\n\n记者获悉，该市坚决遏制“两高一低”项目盲目发展。\n", encoding="utf-8")
    with DocsStore(tmp_path / "s", embedding=hash_embedding) as verified:  # ENTITY_VERIFIER=on, the default
        verified.ingest(parse_file(page))
        assert entity("“两高一低”项目", store=verified) is None  # a policy phrase, no project
        assert verified.extractor_version.endswith(f"+verifier@{shared_verifier().digest}")  # retraining re-extracts
    with DocsStore(tmp_path / "s", embedding=hash_embedding, verifier=False) as rules:
        assert rules.extractor_version.endswith("-verifier")
        assert entity("“两高一低”项目", store=rules) is not None  # every name the rules found
    with DocsStore(tmp_path / "s", embedding=hash_embedding) as again:
        assert entity("“两高一低”项目", store=again) is None


def test_the_readme_entity_examples_hold_as_printed(store, seed_parsed):
    store.ingest(seed_parsed)
    assert [e.name for e in entities(kind="town", region="忻州", store=store)][:2] == [
        "代州黄酒专业镇",
        "定襄法兰专业镇",
    ]
    town = entity("定襄法兰", store=store)
    assert (town.name, town.region, town.aliases) == ("定襄法兰专业镇", "定襄县", ("定襄法兰",))
    assert town.regions == ("定襄县", "忻州市", "山西省")
    fact = town.facts[0]
    assert (fact.attribute, fact.value, fact.number, fact.unit, fact.period) == (
        "产值",
        "170亿元",
        1.7e10,
        "元",
        "2024年",
    )
    assert store.article(fact.citation.article_id).text[fact.citation.start : fact.citation.end] == fact.citation.quote
