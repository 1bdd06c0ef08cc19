"""Embeddings, the Chroma index and hybrid retrieval over the curriculum."""

from index.embedder import E5Embeddings, default_embeddings
from index.retrieve import CourseRetriever, Filters, Hit, HybridSearcher
from index.store import build_index, make_client

__all__ = [
    "CourseRetriever",
    "E5Embeddings",
    "Filters",
    "Hit",
    "HybridSearcher",
    "build_index",
    "default_embeddings",
    "make_client",
]
