"""The systems scored side by side: the assistant and two baselines a user might otherwise pick.

- `dense-rag`: the plain langchain RAG template — langchain-chroma over the same
  collection and model, top-k similarity search, the top hits as citations.
- `bm25`: BM25 alone over the same course texts and tokens, top-k.
Neither baseline has question understanding, so it states no totals, roles or refusals.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from assistant import Answer, Assistant
from eval.dataset import EvalItem
from index.retrieve import HybridSearcher

ANSWER_K = 3


@dataclass
class Prediction:
    citations: list[str]
    total: int | None = None
    role: str | None = None
    refused: bool = False
    seconds: float = 0.0
    text: str = ""
    sources: list[str] = field(default_factory=list)  # framework section ids quoted
    extra: dict = field(default_factory=dict)


class AssistantSystem:
    name = "assistant"

    def __init__(self, assistant: Assistant, label: str = "assistant"):
        self.assistant = assistant
        self.name = label

    def retrieve(self, question: str, k: int) -> list[str]:
        return [h.code for h in self.assistant.searcher.search(question, k=k)]

    def answer(self, item: EvalItem) -> Prediction:
        history: list[Answer] = []
        for turn in item.turns[:-1]:
            history.append(self.assistant.ask(turn, history))
        started = time.perf_counter()
        answer = self.assistant.ask(item.question, history)
        seconds = time.perf_counter() - started
        return Prediction(
            citations=[c.code for c in answer.citations],
            total=answer.total_hours,
            role=answer.role,
            refused=answer.refused,
            seconds=seconds,
            text=answer.answer,
            sources=[s.id for s in answer.sources],
        )


class DenseRagBaseline:
    name = "dense-rag"

    def __init__(self, searcher: HybridSearcher):
        from langchain_chroma import Chroma

        self.store = Chroma(
            client=searcher.client,
            collection_name=searcher.collection.name,
            embedding_function=searcher.embeddings,
        )

    def retrieve(self, question: str, k: int) -> list[str]:
        return [doc.metadata["code"] for doc in self.store.similarity_search(question, k=k)]

    def answer(self, item: EvalItem) -> Prediction:
        started = time.perf_counter()
        codes = self.retrieve(item.question, ANSWER_K)
        return Prediction(citations=codes, seconds=time.perf_counter() - started)


class Bm25Baseline:
    name = "bm25"

    def __init__(self, searcher: HybridSearcher):
        self.searcher = searcher

    def retrieve(self, question: str, k: int) -> list[str]:
        scores = self.searcher.bm25_scores(question)
        top = np.argsort(-scores)[:k]
        return [self.searcher.ids[i] for i in top if scores[i] > 0]

    def answer(self, item: EvalItem) -> Prediction:
        started = time.perf_counter()
        codes = self.retrieve(item.question, ANSWER_K)
        return Prediction(citations=codes, seconds=time.perf_counter() - started)
