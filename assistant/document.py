"""Questions about the framework itself, answered from the section that holds the answer."""

from __future__ import annotations

import threading

import bm25s
import numpy as np

from corpus.sections import Section, load_sections
from index.text import tokens

_lock = threading.Lock()
# Sections where the document says why it is built the way it is.
REASON_SECTIONS = ("challenges", "standards", "audience", "disclaimer")


class SectionFinder:
    """BM25 over section words plus the question's e5 vector against each section's."""

    def __init__(self, embeddings):
        self.sections = load_sections()
        self.embeddings = embeddings
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokens(f"{s.title}\n{s.about}\n{s.body}") or ["∅"] for s in self.sections], show_progress=False)
        self._vectors: np.ndarray | None = None

    @property
    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            with _lock:
                if self._vectors is None:
                    texts = [f"{s.title}（{s.about}）：{s.body}"[:500] for s in self.sections]
                    self._vectors = np.asarray(self.embeddings.embed_queries(texts))
        return self._vectors

    def find(self, text: str, vector: list[float] | None, reasons_only: bool = False) -> list[tuple[Section, float]]:
        """Sections best first; `reasons_only`: only those where the document gives its reasons."""
        query_tokens = [t for t in tokens(text) if t in self.bm25.vocab_dict]
        lexical = self.bm25.get_scores(query_tokens) if query_tokens else np.zeros(len(self.sections))
        lexical = lexical / lexical.max() if lexical.max() > 0 else lexical
        dense = self.vectors @ np.asarray(vector) if vector is not None else np.zeros(len(self.sections))
        score = lexical + (dense - dense.min()) / (np.ptp(dense) or 1.0)
        order = np.argsort(-score)
        found = [(self.sections[i], float(score[i])) for i in order]
        if reasons_only:
            found = [(s, v) for s, v in found if s.id in REASON_SECTIONS] or found
        return found
