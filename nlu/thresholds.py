"""The NLU's thresholds, read from `nlu/data/thresholds.toml` (a file trainers can read)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

THRESHOLDS_FILE = Path(__file__).resolve().parent / "data" / "thresholds.toml"


class IntentThresholds(BaseModel):
    confident: float  # top intent probability at or above this: act on it
    margin: float  # top minus runner-up below this: the two are too close, ask
    document_floor: float  # a document question this likely is answered from the document anyway
    refuse_floor: float  # an unsure out-of-scope guess below this is searched as a topic instead of refused


class EvidenceThresholds(BaseModel):
    strong_dense: float  # cosine similarity of the best course
    strong_bm25: float  # best BM25 score
    decisive_bm25: float  # a BM25 score this high is strong evidence even with a lower similarity
    weak_dense: float  # below both weak marks: no course is related
    weak_bm25: float
    keep_bm25_ratio: float  # a strong answer shows courses within this share of the best BM25 score
    keep_dense_gap: float  # … and within this much of the best similarity
    close_bm25_ratio: float  # … and close to the best on one signal at least: this share of its BM25 score
    close_dense_gap: float  # … or this near its similarity
    max_strong: int  # at most this many courses in a "最相關" answer
    max_hedged: int  # … and in a "最接近的是" (hedged) one
    keep_share_gap: float  # … and whose own text holds the topic's words nearly as well as the best's
    uncovered_share: float  # this share of a topic's characters in no syllabus word: at most a hedged answer
    subject_share: float  # a filter's subject some course holds this share of: "none within the conditions", not ignored
    task_bm25: float  # a job's task answered with its closest courses only when the best BM25 score is at least this


class DocumentThresholds(BaseModel):
    reason_given: float  # a "why" question's best reason section scores at least this: the document gives the reason


class Thresholds(BaseModel):
    intent: IntentThresholds
    evidence: EvidenceThresholds
    document: DocumentThresholds


@lru_cache(maxsize=1)
def thresholds(path: Path = THRESHOLDS_FILE) -> Thresholds:
    return Thresholds.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
