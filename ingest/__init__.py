"""Sources → articles → chunks.

>>> from ingest import parse_file, chunk_article
>>> parsed = parse_file("data/articles/000_3a8c5979ebe92109.txt")
>>> [a.title for a in parsed.articles][:1]
['忻州：孕育“镇”兴力量 赋能高质量发展']
"""

from ._article import build_article
from ._chunk import MAX_CHUNK_CHARS, chunk_article
from ._errors import IngestError, NewsAssistantError
from ._jsonl import article_from_text
from ._parse import parse_file, parse_text
from ._readers import DEFAULT_MAX_FILE_MB, MB, SUPPORTED_SUFFIXES, describe_size
from ._text import CJK, cut_words, normalize_line, sentence_spans
from ._types import Article, Chunk, Paragraph, ParsedSource
from ._uploads import safe_upload_name, store_upload

__all__ = [
    "CJK",
    "DEFAULT_MAX_FILE_MB",
    "MAX_CHUNK_CHARS",
    "MB",
    "SUPPORTED_SUFFIXES",
    "Article",
    "Chunk",
    "IngestError",
    "NewsAssistantError",
    "Paragraph",
    "ParsedSource",
    "article_from_text",
    "build_article",
    "chunk_article",
    "cut_words",
    "describe_size",
    "normalize_line",
    "parse_file",
    "parse_text",
    "safe_upload_name",
    "sentence_spans",
    "store_upload",
]
