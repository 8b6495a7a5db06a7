"""Sources → articles → chunks.

>>> from ingest import parse_file, chunk_article
>>> parsed = parse_file("data/articles/000_3a8c5979ebe92109.txt")
>>> [a.title for a in parsed.articles][:1]
['忻州：孕育“镇”兴力量 赋能高质量发展']
"""

from ._article import build_article
from ._chunk import MAX_CHUNK_CHARS, chunk_article
from ._entities import (
    ENTITY_INDEX_VERSION,
    ROLES,
    EntityKind,
    EntityRecord,
    Extraction,
    FactRecord,
    Mention,
    extract_entities,
)
from ._entities.regions import SEPARATOR as REGION_SEPARATOR
from ._errors import IngestError, NewsAssistantError
from ._fold import fold
from ._gazetteer import gazetteer
from ._jsonl import article_from_text, iter_bulk_articles
from ._layout import lead_length
from ._limits import DEFAULT_MAX_BULK_MB, DEFAULT_MAX_FILE_MB, MB, Limits, describe_size
from ._outlet import PAGE_ARTICLES, outlet_of, page_outlet
from ._parse import parse_file, parse_text
from ._readers import SUPPORTED_SUFFIXES
from ._text import CJK, cut_words, normalize_line, sentence_spans
from ._types import Article, Chunk, PageText, Paragraph, ParsedSource
from ._uploads import Upload, safe_upload_name, stage_upload

__all__ = [
    "CJK",
    "DEFAULT_MAX_BULK_MB",
    "ENTITY_INDEX_VERSION",
    "DEFAULT_MAX_FILE_MB",
    "MAX_CHUNK_CHARS",
    "MB",
    "PAGE_ARTICLES",
    "REGION_SEPARATOR",
    "ROLES",
    "SUPPORTED_SUFFIXES",
    "Article",
    "Chunk",
    "EntityKind",
    "EntityRecord",
    "Extraction",
    "FactRecord",
    "IngestError",
    "Limits",
    "Mention",
    "NewsAssistantError",
    "PageText",
    "Paragraph",
    "ParsedSource",
    "Upload",
    "article_from_text",
    "build_article",
    "chunk_article",
    "cut_words",
    "describe_size",
    "extract_entities",
    "fold",
    "gazetteer",
    "iter_bulk_articles",
    "lead_length",
    "normalize_line",
    "outlet_of",
    "page_outlet",
    "parse_file",
    "parse_text",
    "safe_upload_name",
    "sentence_spans",
    "stage_upload",
]
