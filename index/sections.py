"""The framework's sections in Chroma: a second collection beside the courses.

Why a second collection and not a `kind` field in the course collection: a course question
must never be answered with a section, and with two collections that holds by construction
(every course filter, BM25 index and count stays as it was; no `where` can forget a `kind`
guard). The course collection is rebuilt whenever a trainer imports a syllabus; the
sections change only with the seed. Both go through the same versioned build
(`index.store.build_index`), each with its own content hash and pointer.
"""

from __future__ import annotations

import logging

import numpy as np

from corpus.sections import Section, load_sections
from index.embedder import E5Embeddings
from index.store import BuildReport, Records, build_index, is_missing, open_collection

log = logging.getLogger(__name__)
SUFFIX = "-sections"


def sections_name(courses_name: str) -> str:
    """The sections collection that goes with a course collection's logical name."""
    return f"{courses_name}{SUFFIX}"


def section_document(section: Section) -> str:
    """What is embedded: the title, our retrieval hint and the verbatim text."""
    return f"{section.title}（{section.about}）\n{section.body}"


def section_records(sections: tuple[Section, ...] | None = None) -> Records:
    sections = sections or load_sections()
    return Records(
        ids=[s.id for s in sections],
        documents=[section_document(s) for s in sections],
        metadatas=[
            {"kind": "section", "title": s.title, "seed_from": s.seed_lines[0], "seed_to": s.seed_lines[1]}
            for s in sections
        ],
    )


def build_sections(embeddings: E5Embeddings, client, courses_name: str, force: bool = False) -> BuildReport:
    """Make the sections collection current (a no-op when it already is)."""
    return build_index(None, embeddings, client=client, name=sections_name(courses_name), force=force, records=section_records())


class SectionStore:
    """Dense similarity of a question to every section, read from Chroma."""

    def __init__(self, embeddings: E5Embeddings, client, courses_name: str):
        self.embeddings = embeddings
        self.client = client
        self.name = sections_name(courses_name)
        self._collection = None
        self._vectors: tuple[list[str], np.ndarray] | None = None  # (ids, unit rows) read once from the collection

    def _open(self):
        try:
            return open_collection(self.client, self.embeddings, self.name)
        except Exception as exc:
            if not is_missing(exc):
                raise
        build_index(None, self.embeddings, client=self.client, name=self.name, records=section_records())
        return open_collection(self.client, self.embeddings, self.name)

    def ensure(self) -> None:
        """Build or repair the collection now (start-up), so the first document question is not slower."""
        build_index(None, self.embeddings, client=self.client, name=self.name, records=section_records())
        self._collection = None
        self._vectors = None

    def _load_vectors(self) -> tuple[list[str], np.ndarray]:
        found = self._collection.get(include=["embeddings"])
        matrix = np.asarray(found["embeddings"], dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return list(found["ids"]), matrix / np.where(norms == 0, 1, norms)

    def similarities(self, vector: list[float], n: int) -> dict[str, float]:
        """section id → cosine similarity of the question's vector to the section's passage vector.

        The passage vectors are read from Chroma once; each question is then a matrix-vector product
        (the sections change only with the seed, and `ensure` reads them again)."""
        for attempt in (1, 2):
            if self._collection is None:
                self._collection = self._open()
            try:
                if self._vectors is None:
                    self._vectors = self._load_vectors()
                ids, matrix = self._vectors
                if len(ids):
                    q = np.asarray(vector, dtype=np.float32)
                    similarity = matrix @ (q / (np.linalg.norm(q) or 1.0))
                    best = np.argsort(-similarity, kind="stable")[:n]
                    return {ids[i]: float(similarity[i]) for i in best}
                found = self._collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
                return {i: 1.0 - float(d) for i, d in zip(found["ids"][0], found["distances"][0])}
            except Exception as exc:
                if attempt == 2 or not is_missing(exc):
                    raise
                log.warning("段落索引版本已被移除，改用目前的版本")
                self._collection = None
                self._vectors = None
        return {}
