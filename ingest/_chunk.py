"""Articles → chunks: one chunk per paragraph, long paragraphs split between sentences."""

from __future__ import annotations

from ._types import Article, Chunk, Paragraph, Span

MAX_CHUNK_CHARS = 300


def chunk_article(article: Article, max_chars: int = MAX_CHUNK_CHARS) -> list[Chunk]:
    """Split an article into retrievable chunks.

    Body paragraphs become chunks; a paragraph longer than ``max_chars`` is cut between
    sentences (a single over-long sentence stays whole rather than being cut mid-claim).
    Sub-headings are not chunks of their own: they become the ``section`` of the chunks
    under them, which the retrievers see through :attr:`Chunk.index_text`.
    """
    chunks: list[Chunk] = []
    section = ""
    text = article.text
    for paragraph in article.paragraphs:
        if paragraph.kind == "heading":
            section = paragraph.text
            continue
        for n, group in enumerate(_sentence_groups(paragraph, max_chars)):
            start, end = group[0][0], group[-1][1]
            chunks.append(
                Chunk(
                    id=f"{article.id}:{paragraph.index}:{n}",
                    article_id=article.id,
                    text=text[start:end],
                    start=start,
                    paragraph=paragraph.index,
                    sentences=tuple(group),
                    title=article.title,
                    byline=article.byline,
                    date=article.date,
                    source=article.source,
                    section=section,
                    ref=article.ref,
                )
            )
    return chunks


def _sentence_groups(paragraph: Paragraph, max_chars: int) -> list[list[Span]]:
    sentences = list(paragraph.sentences) or [(paragraph.start, paragraph.end)]
    groups: list[list[Span]] = [[]]
    for span in sentences:
        current = groups[-1]
        if current and span[1] - current[0][0] > max_chars:
            groups.append([span])
        else:
            current.append(span)
    return groups
