"""The learned entity verifier: what it was trained on, what it drops, what it keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import Article, article_from_text, parse_file
from ingest._entities import extract_entities, shared_verifier
from ingest._entities.verifier import WEIGHTS, Verifier, features

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "articles" / "000_3a8c5979ebe92109.txt"

pytestmark = pytest.mark.skipif(not WEIGHTS.exists(), reason="verifier weights not bundled")


def _article(text: str) -> Article:
    return article_from_text(text, "test")


def test_weights_come_from_the_tuning_labels_blind_runs_and_features_as_they_are_now() -> None:
    from training.entity_verifier import input_digests

    meta = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert not {"test", "test2", "test3"} & set(meta["labels"])  # held-out splits are never read
    # a changed label file, blind run or feature needs `make train-entity-verifier` before it lands
    assert {key: meta[key] for key in input_digests()} == input_digests()
    assert set(meta["thresholds"]) == {"place", "town", "park", "project", "company"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("上半年，全市新增“两区”入库项目7035个。", "全市新增“两区”入库项目"),
        ("坚决遏制“两高一低”项目盲目发展。", "“两高一低”项目"),
        ("推进鹰游纺机等“智改数转”项目12个。", "“智改数转”项目"),
    ],
)
def test_programmes_the_rules_read_as_projects_are_dropped(text: str, name: str) -> None:
    article = _article(text)
    assert name in {e.name for e in extract_entities(article, verify=False).entities}
    verified = extract_entities(article)
    assert name not in {e.name for e in verified.entities}
    assert all(f.entity != name for f in verified.facts)  # its facts go with it (7035个, 12个)


def test_the_sample_page_keeps_every_entity_and_fact() -> None:
    for article in parse_file(SAMPLE):
        assert extract_entities(article) == extract_entities(article, verify=False)


def test_facts_only_name_entities_that_remain() -> None:
    article = _article(
        "今年，全市新增“两区”入库项目7035个。安徽稳卓汽车部件有限公司年产50万套汽车零部件项目总投资12亿元，"
        "落户兴县经济技术开发区。"
    )
    verified = extract_entities(article)
    names = {e.name for e in verified.entities}
    assert "兴县经济技术开发区" in names and "安徽稳卓汽车部件有限公司" in names
    assert {f.entity for f in verified.facts} <= names
    full = extract_entities(article, verify=False)
    assert set(verified.entities) <= set(full.entities) and set(verified.facts) <= set(full.facts)


def test_features_are_crossed_with_the_kind_and_real_names_are_kept() -> None:
    article = _article("兴县经济技术开发区与安徽稳卓汽车部件有限公司签约。")
    verifier = shared_verifier()
    assert verifier is not None
    for entity in extract_entities(article, verify=False).entities:
        feats = features(entity, article.text)
        assert feats and all(f.startswith(f"{entity.kind}|") for f in feats)
        assert 0.5 <= verifier.probability(entity, article.text) < 1.0  # both kept


def test_a_threshold_decides() -> None:
    article = _article("坚决遏制“两高一低”项目盲目发展。")
    (entity,) = extract_entities(article, verify=False).entities
    text = article.text
    assert Verifier({}, 0.0, {"project": 0.5}).keep(entity, text)  # no weights: probability 0.5
    assert not Verifier({}, 0.0, {"project": 0.51}).keep(entity, text)
    assert Verifier({}, 0.0, {}).keep(entity, text)  # a kind without a threshold is kept
