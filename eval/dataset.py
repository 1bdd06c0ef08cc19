"""The hand-written Q&A set: each item says what a correct answer must show."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corpus.models import Curriculum

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_SET = DATA / "qa.jsonl"
_UNSET = "unset"


class EvalItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: str
    variant: str = "base"
    turns: list[str] = Field(min_length=1)
    must: list[str] = []  # every one of these must be cited
    may: list[str] = []  # these may be cited too; anything else lowers precision
    total: int | None | str = _UNSET  # expected total_hours (None: states no total)
    role: str | None = _UNSET
    refused: bool = False
    relevant: list[str] = []  # for the retrieval-only metrics
    sources: list[str] = []  # a document question: the framework section(s) whose quote answers it

    @property
    def question(self) -> str:
        return self.turns[-1]

    @property
    def checks_total(self) -> bool:
        return self.total != _UNSET

    @property
    def checks_role(self) -> bool:
        return self.role != _UNSET


class DatasetError(ValueError):
    pass


def read_items(path: Path, model: type[BaseModel], curriculum: Curriculum | None = None) -> list:
    """JSON Lines of `model`, each line validated; course codes (must, may, relevant) checked against the corpus."""
    items, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = model.model_validate(json.loads(line))
        except (ValidationError, json.JSONDecodeError) as exc:
            problems.append(f"{path.name}:{number}: {exc}")
            continue
        if curriculum is not None:
            codes = [*item.must, *item.may, *getattr(item, "relevant", [])]
            unknown = [c for c in codes if c not in curriculum.course_map]
            if unknown:
                problems.append(f"{path.name}:{number} ({item.id}): 課綱沒有 {unknown}")
        items.append(item)
    if problems:
        raise DatasetError("\n".join(problems))
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise DatasetError(f"{path.name}: 題目編號重複")
    return items


def load_items(path: Path = DEFAULT_SET, curriculum: Curriculum | None = None) -> list[EvalItem]:
    return read_items(path, EvalItem, curriculum)
