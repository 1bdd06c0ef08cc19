"""Fuse rankings: weighted reciprocal rank fusion, a pure function."""

from __future__ import annotations

from collections.abc import Sequence


def rrf(rankings: Sequence[Sequence[str]], weights: Sequence[float] | None = None, k: int = 60) -> list[tuple[str, float]]:
    """Each ranking lists ids best first; returns (id, score) best first, ties by first appearance."""
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("weights and rankings differ in length")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, doc_id in enumerate(ranking):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank + 1)
    return sorted(scores.items(), key=lambda item: -item[1])
