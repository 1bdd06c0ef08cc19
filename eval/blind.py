"""Blind sets: questions written by a helper that never saw the code or the hand-written set.

Each item says what a correct answer must do (`expect`), checked against the seed by its
writer. An item is right or wrong as a whole (first-sight accuracy); on top of that we count
confident-wrong answers (courses cited, none acceptable, no hedging), clarifying questions
and refusals both ways.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from corpus.models import Curriculum
from eval.dataset import DATA, read_items
from eval.metrics import percentile

BLIND_DIR = DATA / "blind"
Expect = Literal["courses", "role_path", "fact", "no_course", "unanswerable", "out_of_scope", "document", "clarify"]
# Expectations under which citing any course is wrong.
NO_COURSES: set[str] = {"no_course", "unanswerable", "out_of_scope", "clarify"}


class BlindItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    user: str = ""
    family: str = ""
    turns: list[str] = Field(min_length=1)
    expect: Expect
    must: list[str] = []
    may: list[str] = []
    roles: list[str] = []
    key: list[str] = []
    also_ok: list[Expect] = []
    why: str = ""

    @property
    def question(self) -> str:
        return self.turns[-1]


class Observed(BaseModel):
    """What the scorer reads from an answer: only its public fields."""

    text: str
    citations: list[str]
    role: str | None = None
    refused: bool = False
    kind: str = ""
    hedged: bool = False
    seconds: float = 0.0


def load_blind(path: Path, curriculum: Curriculum | None = None) -> list[BlindItem]:
    return read_items(path, BlindItem, curriculum)


def blind_sets(folder: Path = BLIND_DIR) -> list[Path]:
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def _squash(text: str) -> str:
    return "".join(text.split()).replace(",", "").lower()


def meets(expect: str, item: BlindItem, seen: Observed) -> bool:
    """Whether the answer does what `expect` asks (one of the item's acceptable readings)."""
    cited = set(seen.citations)
    allowed = set(item.must) | set(item.may)
    text = _squash(seen.text)
    if expect == "courses":
        return seen.kind != "clarify" and bool(cited) and set(item.must) <= cited and cited <= allowed
    if expect == "role_path":
        # The path itself: a topic answer that merely carries the role (「我是…，每天寫公文」 answered with two
        # courses) is not the role's path, though it names the role.
        return seen.role in item.roles and seen.kind == "role_path"
    if expect == "fact":
        keys_ok = all(_squash(k) in text for k in item.key)
        return keys_ok and set(item.must) <= cited and (not cited or cited <= allowed) and seen.kind != "clarify"
    if expect == "no_course":
        return (not cited or seen.hedged) and seen.kind not in ("out_of_scope", "clarify")
    if expect == "unanswerable":
        return not cited and seen.kind == "unanswerable"
    if expect == "out_of_scope":
        return not cited and seen.refused
    if expect == "document":
        return any(_squash(k) in text for k in item.key) and (not cited or cited <= allowed)
    if expect == "clarify":
        return seen.kind == "clarify" and not cited
    raise ValueError(expect)


def confident_wrong(item: BlindItem, seen: Observed) -> bool:
    """Courses cited without hedging, and none of them acceptable for this question."""
    if not seen.citations or seen.hedged:
        return False
    if item.expect in NO_COURSES or (item.expect == "document" and not (item.must or item.may)):
        return True
    if item.expect == "role_path":
        return False  # a wrong role is counted as wrong; the path's courses are not checkable here
    allowed = set(item.must) | set(item.may)
    return bool(allowed) and not (set(seen.citations) & allowed)


def score(item: BlindItem, seen: Observed, curriculum: Curriculum) -> dict:
    ok = any(meets(e, item, seen) for e in [item.expect, *item.also_ok])
    return {
        "id": item.id,
        "family": item.family,
        "user": item.user,
        "expect": item.expect,
        "turns": item.turns,
        "ok": ok,
        "confident_wrong": confident_wrong(item, seen),
        "made_up": [c for c in seen.citations if c not in curriculum.course_map],
        "clarified": seen.kind == "clarify",
        "refused": seen.refused,
        "kind": seen.kind,
        "hedged": seen.hedged,
        "role": seen.role,
        "cited": seen.citations,
        "answer_head": seen.text[:160],
        "seconds": seen.seconds,
    }


def aggregate(rows: list[dict]) -> dict:
    n = len(rows) or 1
    should_refuse = [r for r in rows if r["expect"] == "out_of_scope"]
    should_answer = [r for r in rows if r["expect"] != "out_of_scope"]
    nothing_to_cite = [r for r in rows if r["expect"] in ("out_of_scope", "unanswerable", "no_course")]
    latencies = [r["seconds"] * 1000 for r in rows]
    return {
        "questions": len(rows),
        "accuracy": round(sum(r["ok"] for r in rows) / n, 4),
        "confident_wrong": sum(r["confident_wrong"] for r in rows),
        "confident_wrong_unanswerable": sum(r["confident_wrong"] for r in nothing_to_cite),
        "made_up_citations": sum(len(r["made_up"]) for r in rows),
        "clarify_rate": round(sum(r["clarified"] for r in rows) / n, 4),
        "refused_when_answerable": sum(r["refused"] for r in should_answer),
        "answered_when_out_of_scope": sum(not r["refused"] for r in should_refuse),
        "latency_ms_p95": round(percentile(latencies, 95), 2),
    }


def observe(assistant, item: BlindItem) -> Observed:
    history = []
    for turn in item.turns[:-1]:
        history.append(assistant.ask(turn, history))
    started = time.perf_counter()
    answer = assistant.ask(item.question, history)
    return Observed(
        text=answer.answer,
        citations=[c.code for c in answer.citations],
        role=answer.role,
        refused=answer.refused,
        kind=str(getattr(answer, "kind", "")),
        hedged=bool(getattr(answer, "hedged", False)),
        seconds=time.perf_counter() - started,
    )


def evaluate_blind(assistant, path: Path) -> dict:
    items = load_blind(path, assistant.curriculum)
    rows = [score(item, observe(assistant, item), assistant.curriculum) for item in items]
    by_family = {f: aggregate([r for r in rows if r["family"] == f]) for f in sorted({r["family"] for r in rows})}
    by_expect = {e: aggregate([r for r in rows if r["expect"] == e]) for e in sorted({r["expect"] for r in rows})}
    return {
        "file": path.name,
        "overall": aggregate(rows),
        "by_family": by_family,
        "by_expect": by_expect,
        "users": dict(Counter(r["user"] for r in rows)),
        "rows": rows,
    }


def markdown(result: dict) -> str:
    o = result["overall"]
    lines = [
        f"## 盲測集 {result['file']}",
        "",
        f"- 題數 {o['questions']}，**首見正確率 {o['accuracy']:.3f}**",
        f"- 自信答錯 {o['confident_wrong']}（其中不該引用課程的題目 {o['confident_wrong_unanswerable']}），捏造引用 {o['made_up_citations']}",
        f"- 反問比例 {o['clarify_rate']:.3f}；該答卻拒答 {o['refused_when_answerable']}，該拒答卻回答 {o['answered_when_out_of_scope']}",
        f"- 延遲 p95 {o['latency_ms_p95']} ms",
        "",
        "| 預期 | 題數 | 正確率 | 自信答錯 |",
        "|---|---|---|---|",
    ]
    for expect, row in result["by_expect"].items():
        lines.append(f"| {expect} | {row['questions']} | {row['accuracy']:.3f} | {row['confident_wrong']} |")
    wrong = [r for r in result["rows"] if not r["ok"]]
    lines += ["", f"### 答錯的題目（{len(wrong)} 題）", ""]
    for r in wrong:
        flag = "⚠️自信答錯 " if r["confident_wrong"] else ""
        lines.append(f"- {flag}{r['id']}（{r['expect']}）「{' ／ '.join(r['turns'])}」→ {r['kind']}，角色 {r['role']}，引用 {r['cited']}")
    return "\n".join(lines) + "\n"
