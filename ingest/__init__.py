"""Sources → articles → chunks.

>>> from ingest import parse_file, chunk_article
>>> parsed = parse_file("data/articles/000_3a8c5979ebe92109.txt")
>>> [a.title for a in parsed.articles][:1]
['忻州：孕育“镇”兴力量 赋能高质量发展']
"""

from ._chunk import MAX_CHUNK_CHARS, chunk_article
from ._errors import IngestError, NewsAssistantError
from ._jsonl import article_from_text
from ._parse import parse_file, parse_text
from ._readers import SUPPORTED_SUFFIXES
from ._text import normalize_line, sentence_spans
from ._types import Article, Chunk, Paragraph, ParsedSource
from ._uploads import safe_upload_name, store_upload

__all__ = [
    "MAX_CHUNK_CHARS",
    "SUPPORTED_SUFFIXES",
    "Article",
    "Chunk",
    "IngestError",
    "NewsAssistantError",
    "Paragraph",
    "ParsedSource",
    "article_from_text",
    "chunk_article",
    "normalize_line",
    "parse_file",
    "parse_text",
    "safe_upload_name",
    "sentence_spans",
    "store_upload",
]
