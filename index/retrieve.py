"""Hybrid retrieval: dense (Chroma) + BM25 over Chinese tokens, fused by RRF,
with metadata filters applied through Chroma's `where`.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from dataclasses import dataclass, field

import bm25s
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import BaseModel, ConfigDict, Field

from corpus.models import Curriculum
from index.embedder import E5Embeddings
from index.fusion import rrf
from index.lexicon import expand
from index.store import Records, is_missing, open_collection, records_for
from index.text import normalize, tokens

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)


class Filters(BaseModel):
    """Metadata filters; each maps onto a Chroma `where` clause."""

    model_config = ConfigDict(extra="forbid")

    modules: list[int] | None = None
    min_hours: int | None = None
    max_hours: int | None = None
    role: str | None = None  # role name or id
    stage: str | None = None  # stage name or id
    level: str | None = None
    codes: list[str] | None = None

    def is_empty(self) -> bool:
        return not any(v not in (None, []) for v in self.model_dump().values())

    def to_where(self, curriculum: Curriculum) -> dict | None:
        clauses: list[dict] = []
        if self.modules:
            clauses.append({"module": {"$in": list(self.modules)}})
        if self.min_hours is not None:
            clauses.append({"hours": {"$gte": self.min_hours}})
        if self.max_hours is not None:
            clauses.append({"hours": {"$lte": self.max_hours}})
        if self.level:
            clauses.append({"level": self.level})
        if self.codes:
            clauses.append({"code": {"$in": list(self.codes)}})
        role = curriculum.role(self.role) if self.role else None
        stage = next((s for s in curriculum.stages if self.stage in (s.name, s.id)), None) if self.stage else None
        if self.role and role is None:
            raise ValueError(f"沒有「{self.role}」這個角色")
        if self.stage and stage is None:
            raise ValueError(f"沒有「{self.stage}」這個階段")
        if role and stage:
            clauses.append({f"path_{role.id}_{stage.id}": True})
        elif role:
            clauses.append({f"role_{role.id}": True})
        elif stage:
            clauses.append({f"stage_{stage.id}": True})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class Hit:
    code: str
    name: str
    hours: int
    module: int
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    bm25_score: float = 0.0
    dense_sim: float = 0.0  # cosine similarity of the question and the course
    metadata: dict = field(default_factory=dict, repr=False)


def _doc_key(document: str) -> bytes:
    return hashlib.blake2b(document.encode(), digest_size=16).digest()


def _document_tokens(documents: list[str], known: dict[bytes, tuple[str, ...]]) -> dict[bytes, tuple[str, ...]]:
    """Each document's BM25 tokens by a hash of its text, tokenizing only the texts `known` lacks.

    Tokenizing (jieba) is most of a BM25 build: about 7 s for 10,000 course rows on 2 cores. After a
    publish that changed one course, the new searcher tokenizes one document. Tokens are interned,
    so each document holds pointers to one shared copy of every token."""
    out: dict[bytes, tuple[str, ...]] = {}
    for document in documents:
        key = _doc_key(document)
        if key not in out:
            out[key] = known.get(key) or tuple(sys.intern(t) for t in (tokens(document) or ["∅"]))
    return out


class HybridSearcher:
    """Holds the collection, the BM25 index and the embedder; one per process."""

    def __init__(
        self,
        curriculum: Curriculum,
        embeddings: E5Embeddings,
        collection=None,
        client=None,
        name: str | None = None,
        records: Records | None = None,
        dense_weight: float = 1.0,
        bm25_weight: float = 1.0,
        previous: HybridSearcher | None = None,
    ):
        """`previous`: the searcher this one replaces (a publish, a followed index switch); the BM25
        tokens of documents whose text did not change are taken from it instead of tokenized again."""
        from corpus.settings import get_settings

        self.curriculum = curriculum
        self.embeddings = embeddings
        self.name = name or get_settings().collection  # the logical name; the pointer names the version
        if collection is None:
            from index.store import make_client

            client = client or make_client()
            collection = open_collection(client, embeddings, self.name)
        self.client = client
        self.collection = collection
        self.records = records or records_for(curriculum)
        self.ids = self.records.ids
        self.position = {doc_id: i for i, doc_id in enumerate(self.ids)}
        self.meta = dict(zip(self.ids, self.records.metadatas))
        self.doc_tokens = _document_tokens(self.records.documents, previous.doc_tokens if previous is not None else {})
        self.bm25 = bm25s.BM25()
        self.bm25.index([list(self.doc_tokens[_doc_key(doc)]) for doc in self.records.documents], show_progress=False)
        self.weights = [dense_weight, bm25_weight]
        self.vectors = self._load_vectors()

    def _load_vectors(self) -> np.ndarray | None:
        """The course vectors as stored in Chroma, one unit-length row per id in `ids` order.

        Dense search is then one matrix-vector product (about 0.03 ms for 41 rows, against about
        1.2 ms for a Chroma query on 2 cores); Chroma stays the store the vectors are read from
        (and where `where` filters run). None when the collection does not hold every id: then
        every dense search asks Chroma, as before."""
        found = self._read(lambda c: c.get(ids=list(self.ids), include=["embeddings"]))
        row = {doc_id: i for i, doc_id in enumerate(found["ids"])}
        if set(row) != set(self.ids):
            return None
        matrix = np.asarray([found["embeddings"][row[doc_id]] for doc_id in self.ids], dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1, norms)

    def prepare(self, query: str) -> str:
        return expand(normalize(query))

    def where(self, filters: Filters | None) -> dict | None:
        return filters.to_where(self.curriculum) if filters and not filters.is_empty() else None

    def embed(self, prepared: str) -> list[float]:
        """The vector of `prepare(question)`, as `search` computes it (callers reuse it: one embedding per question)."""
        return self.embeddings.embed_queries([prepared])[0]

    def _read(self, call):
        """Run `call(collection)`; if a rebuild removed our version meanwhile, follow the pointer once."""
        collection = self.collection
        try:
            return call(collection)
        except Exception as exc:
            if self.client is None or not is_missing(exc):
                raise
            log.warning("索引版本 %s 已被移除，改用目前的版本", collection.name)
            self.collection = open_collection(self.client, self.embeddings, self.name)
            return call(self.collection)

    def dense(
        self, query: str, k: int, where: dict | None, vector: list[float] | None = None, allowed: list[str] | None = None
    ) -> list[tuple[str, float]]:
        """(code, cosine similarity), best first. `allowed`: the codes `where` selects, when the caller has them."""
        if vector is None:
            vector = self.embeddings.embed_queries([query])[0]
        n = min(k, len(self.ids))
        if self.vectors is not None and (where is None or allowed is not None):
            q = np.asarray(vector, dtype=np.float32)
            similarity = self.vectors @ (q / (np.linalg.norm(q) or 1.0))
            rows = np.arange(len(self.ids)) if where is None else np.array([self.position[c] for c in allowed if c in self.position], dtype=int)
            best = rows[np.argsort(-similarity[rows], kind="stable")[:n]]
            return [(self.ids[i], float(similarity[i])) for i in best]
        result = self._read(lambda c: c.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"]))
        return [
            (doc_id, 1.0 - float(d)) for doc_id, d in zip(result["ids"][0], result["distances"][0]) if doc_id in self.position
        ]

    def codes_where(self, where: dict) -> list[str]:
        """Codes matching a metadata filter (Chroma's `where`)."""
        found = self._read(lambda c: c.get(where=where, include=[]))
        return [doc_id for doc_id in found["ids"] if doc_id in self.position]

    def bm25_scores(self, query: str, allowed: list[str] | None = None) -> np.ndarray:
        query_tokens = [t for t in tokens(query) if t in self.bm25.vocab_dict]
        if not query_tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            mask[[self.position[i] for i in allowed if i in self.position]] = 1
        return self.bm25.get_scores(query_tokens, weight_mask=mask)

    def sparse(self, scores: np.ndarray, k: int) -> list[str]:
        """Top k by score: a linear partition, then a sort of only those k."""
        if len(scores) > k:
            candidates = np.argpartition(-scores, k)[:k]
            top = candidates[np.argsort(-scores[candidates], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        return [self.ids[i] for i in top if scores[i] > 0]

    def search(
        self,
        query: str,
        k: int = 5,
        filters: Filters | None = None,
        depth: int = 30,
        allowed: list[str] | None = None,
        vector: list[float] | None = None,
    ) -> list[Hit]:
        """Top k courses for the query; `filters` go through Chroma's `where`, or the caller
        passes the `allowed` codes it already filtered (then Chroma is not asked again).
        `vector`: the question's vector when the caller already has it (see `embed`)."""
        text = self.prepare(query)
        if allowed is not None:
            where = self.where(Filters(codes=list(allowed)))
        else:
            where = self.where(filters)
            allowed = None if where is None else self.codes_where(where)
        if allowed == []:
            return []
        dense_hits = self.dense(text, max(depth, k), where, vector, allowed) if (text or vector is not None) else []
        dense = [doc_id for doc_id, _ in dense_hits]
        similarity = dict(dense_hits)
        scores = self.bm25_scores(text, allowed) if text else np.zeros(len(self.ids))
        sparse = self.sparse(scores, max(depth, k)) if text else []
        fused = rrf([dense, sparse], self.weights)[:k]
        dense_rank = {doc_id: i + 1 for i, doc_id in enumerate(dense)}
        sparse_rank = {doc_id: i + 1 for i, doc_id in enumerate(sparse)}
        hits = []
        for doc_id, score in fused:
            meta = self.meta[doc_id]
            hits.append(
                Hit(
                    code=doc_id,
                    name=meta["name"],
                    hours=int(meta["hours"]),
                    module=int(meta["module"]),
                    score=round(score, 6),
                    dense_rank=dense_rank.get(doc_id),
                    bm25_rank=sparse_rank.get(doc_id),
                    bm25_score=float(scores[self.position[doc_id]]),
                    dense_sim=round(similarity.get(doc_id, 0.0), 4),
                    metadata=meta,
                )
            )
        return hits


class CourseRetriever(BaseRetriever):
    """The hybrid searcher as a langchain retriever: one Document per course."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = 5
    filters: Filters | None = Field(default=None)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.searcher.search(query, k=self.k, filters=self.filters)
        documents = self.searcher.records.documents
        return [
            Document(
                page_content=documents[self.searcher.position[h.code]],
                metadata={**h.metadata, "score": h.score},
                id=h.code,
            )
            for h in hits
        ]
