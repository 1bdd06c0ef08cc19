"""Questions about the framework itself, answered from the section that holds the answer."""

from __future__ import annotations

import logging

import bm25s
import numpy as np

from corpus.sections import Section, load_sections
from index.sections import SectionStore, section_document
from index.text import tokens

log = logging.getLogger(__name__)
# Sections where the document says why it is built the way it is.
REASON_SECTIONS = ("challenges", "standards", "audience", "disclaimer")


class SectionFinder:
    """BM25 over section words plus the question's e5 vector against the sections' passage
    vectors in Chroma (the sections collection, `index.sections`)."""

    def __init__(self, searcher):
        self.sections = load_sections()
        client = searcher.client
        if client is None:
            from index.store import make_client

            client = make_client()
        self.store = SectionStore(searcher.embeddings, client, searcher.name)
        try:
            self.store.ensure()
        except Exception as exc:  # answered later from a rebuilt collection, or by BM25 alone
            log.warning("無法準備課綱本文的索引（%s）", exc)
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokens(section_document(s)) or ["∅"] for s in self.sections], show_progress=False)

    def sources(self, *ids: str) -> list[tuple[str, str]]:
        """(id, title) of the named sections, for an answer built from their words."""
        titles = {s.id: s.title for s in self.sections}
        return [(i, titles[i]) for i in ids if i in titles]

    def line(self, section_id: str, prefix: str) -> str:
        """A section's verbatim line starting with `prefix` ("" when there is none)."""
        for section in self.sections:
            if section.id == section_id:
                return next((line for line in section.text if line.startswith(prefix)), "")
        return ""

    def dense(self, vector: list[float] | None) -> np.ndarray:
        if vector is None:
            return np.zeros(len(self.sections))
        try:
            found = self.store.similarities(vector, len(self.sections))
        except Exception as exc:
            log.warning("課綱本文索引無法讀取（%s），只用關鍵字比對", exc)
            return np.zeros(len(self.sections))
        return np.array([found.get(s.id, 0.0) for s in self.sections])

    def find(self, text: str, vector: list[float] | None, reasons_only: bool = False) -> list[tuple[Section, float]]:
        """Sections best first; `reasons_only`: only those where the document gives its reasons."""
        query_tokens = [t for t in tokens(text) if t in self.bm25.vocab_dict]
        lexical = self.bm25.get_scores(query_tokens) if query_tokens else np.zeros(len(self.sections))
        lexical = lexical / lexical.max() if lexical.max() > 0 else lexical
        dense = self.dense(vector)
        score = lexical + (dense - dense.min()) / (np.ptp(dense) or 1.0)
        order = np.argsort(-score)
        found = [(self.sections[i], float(score[i])) for i in order]
        if reasons_only:
            found = [(s, v) for s, v in found if s.id in REASON_SECTIONS] or found
        return found
