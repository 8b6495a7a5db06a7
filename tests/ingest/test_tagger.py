"""The name tagger: BIO decoding, where it reads, and the bundled weights on real sentences."""

from __future__ import annotations

import pytest

from ingest import article_from_text
from ingest._entities import extract_entities
from ingest._entities.names import WINDOW_CHARS, tagger_windows
from ingest._entities.tagger import MODELS, NameTagger, TaggedSpan
from ingest._entities.tagger_net import LABELS, PIECE_CHARS, TYPES, decode, piece_bounds


def _ids(*labels: str) -> list[int]:
    return [LABELS.index(label) for label in labels]


def test_decode_turns_bio_tokens_into_character_spans() -> None:
    offsets = [(0, 0), (0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (0, 0)]
    labels = _ids("O", "B-ORG", "I-ORG", "O", "B-LOC", "I-PER", "O")
    # an I- of another type continues the span, which takes its last token's type (a name is
    # head-final: 廊坊开发区管委会 is an organisation); special tokens (0, 0) end spans
    assert decode(labels, offsets) == [(0, 3, "ORG"), (4, 6, "PER")]
    # an I- with no span open starts one; a B- always does
    assert decode(_ids("O", "I-LOC", "B-ORG", "I-ORG", "O", "O", "O"), offsets) == [(0, 2, "LOC"), (2, 4, "ORG")]


def test_pieces_cover_the_text_and_never_cut_inside_a_name() -> None:
    text = ("甲" * 70 + "。") * 4
    bounds = piece_bounds(text)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a == b for (_, a), (b, _) in zip(bounds, bounds[1:], strict=False))
    assert all(e - s <= PIECE_CHARS for s, e in bounds)
    protected = set(range(60, 80))  # a "name" across the first sentence end (71)
    assert all(s not in protected for s, _ in piece_bounds(text, protected)[1:])


def test_windows_are_the_clauses_that_end_in_a_name_suffix() -> None:
    text = "今天天气很好，大家都来了。3月18日，兴县经济技术开发区与安徽稳卓汽车部件有限公司签约。"
    windows = tagger_windows(text)
    assert [text[a:b] for a, b in windows] == ["兴县经济技术开发区与安徽稳卓汽车部件有限公司签"]
    long = "很" * 100 + "有限公司"
    ((a, b),) = tagger_windows(long)
    assert b - a <= WINDOW_CHARS + 1


needs_weights = pytest.mark.skipif(not (MODELS / "entity_tagger.npz").exists(), reason="tagger weights not installed")


@needs_weights
def test_bundled_tagger_finds_names_inside_the_text() -> None:
    text = "廊坊开发区管委会、中国医学科学院肿瘤医院、中冶集团三方签署合作框架协议。"
    spans = NameTagger().spans(text)
    assert all(0 <= s.start < s.end <= len(text) and s.type in TYPES for s in spans)
    found = {(text[s.start : s.end], s.type) for s in spans}
    assert ("廊坊开发区管委会", "ORG") in found and ("中冶集团", "ORG") in found


class _Tagger:
    """Spans given by hand: the rules' use of a tagger, apart from how good the model is."""

    def __init__(self, *names: tuple[str, str]) -> None:
        self.names = names

    def spans(self, text: str, windows: object = None) -> list[TaggedSpan]:
        return [TaggedSpan(text.index(name), text.index(name) + len(name), kind) for name, kind in self.names]


def test_rules_take_the_taggers_left_edge() -> None:
    article = article_from_text("联合帮扶组前往道真县莲池村茅台集团援建食用菌大棚。", "t")
    rules = {e.name for e in extract_entities(article, verify=False).entities if e.kind == "company"}
    assert "道真县莲池村茅台集团" in rules  # the village address fools the rules
    tagger = _Tagger(("茅台集团", "ORG"))
    found = {(e.name, e.kind) for e in extract_entities(article, tagger=tagger, verify=False).entities}  # type: ignore[arg-type]
    assert ("茅台集团", "company") in found and ("道真县莲池村茅台集团", "company") not in found
    # a tagged name whose type does not fit its suffix's kind is not taken
    wrong = _Tagger(("茅台集团", "PER"))
    assert "道真县莲池村茅台集团" in {e.name for e in extract_entities(article, tagger=wrong, verify=False).entities}  # type: ignore[arg-type]
