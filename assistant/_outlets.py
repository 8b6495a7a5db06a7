"""The outlet of every cited article, filled in once an answer is composed ("cite" step).

Chunks carry title, byline and date but not the outlet: it is read from the article's
dateline or, for "本报讯" pages, from the page's other articles (``ingest.page_outlet``), so
it is looked up here, per article, and remembered.
"""

from __future__ import annotations

import dataclasses
import threading

from docs_store import DocsStore, SourceInfo
from ingest import PAGE_ARTICLES, NewsAssistantError, outlet_of, page_outlet

from ._types import Answer, Citation


class Outlets:
    """``article id → outlet`` for one store, cached by the source's content hash (a
    re-ingested page with other articles re-reads its outlet)."""

    def __init__(self, store: DocsStore) -> None:
        self.store = store
        self._known: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def sources(self) -> dict[str, SourceInfo]:
        """The store's sources by name: read once per answer, not once per citation."""
        return {s.source: s for s in self.store.sources()}

    def of(self, article_id: str, source: str, sources: dict[str, SourceInfo] | None = None) -> str:
        info = (sources if sources is not None else self.sources()).get(source)
        key = (article_id, info.content_hash if info else "")
        with self._lock:
            if key in self._known:
                return self._known[key]
        try:
            article = self.store.article(article_id)
        except NewsAssistantError:
            return ""
        outlet = outlet_of(article)
        if not outlet and info is not None and 1 < info.articles <= PAGE_ARTICLES:
            outlet = page_outlet(self.store.articles(source))
        with self._lock:
            self._known[key] = outlet
        return outlet

    def cite(self, citation: Citation, sources: dict[str, SourceInfo] | None = None) -> Citation:
        if citation.outlet:
            return citation
        return dataclasses.replace(citation, outlet=self.of(citation.article_id, citation.source, sources))

    def fill(self, answer: Answer) -> Answer:
        """``answer`` with the outlet on each citation and related article."""
        if not (answer.citations or answer.related):
            return answer
        sources = self.sources()
        related = tuple(
            r if r.outlet else dataclasses.replace(r, outlet=self.of(r.article_id, r.source, sources))
            for r in answer.related
        )
        citations = tuple(self.cite(c, sources) for c in answer.citations)
        return dataclasses.replace(answer, citations=citations, related=related)
