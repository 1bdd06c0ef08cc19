"""The planner's view of a role path: rows, totals, chart data and exports (CSV, Markdown)."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.understand import find_role
from corpus.exports import csv_text
from corpus.models import Curriculum
from corpus.plan import plan_for_role
from index.text import normalize


class PlanRequest(BaseModel):
    role: str | None = None
    grade: str | None = None
    job: str | None = None
    stages: list[str] = []
    modules: list[int] = []
    split_consolidated: bool = False


class PlanRow(BaseModel):
    stage: str
    code: str
    name: str
    hours: int
    module: int
    module_name: str


class PlanView(BaseModel):
    role: str
    reason: str
    alt_roles: list[str]
    rows: list[PlanRow]
    stage_hours: dict[str, int]
    total_hours: int
    notes: list[str]


class PlanError(ValueError):
    pass


MAX_JOB_CHARS = 1_000  # a job description in the planner


def choose_role(curriculum: Curriculum, request: PlanRequest) -> tuple[str, str, list[str]]:
    if request.role:
        if curriculum.role(request.role) is None:
            raise PlanError(f"沒有「{request.role}」這個角色")
        return request.role, f"您選擇了「{request.role}」。", []
    if request.grade:
        grade = next((g for g in curriculum.grades if g.name == request.grade), None)
        if grade is None:
            raise PlanError(f"沒有「{request.grade}」這個職等選項")
        mapped = "或".join(f"「{r}」" for r in grade.roles)
        return grade.roles[0], f"依課綱的職等對照，{grade.name}對應{mapped}。", grade.roles[1:]
    if request.job and request.job.strip():
        if len(request.job) > MAX_JOB_CHARS:
            raise PlanError(f"工作描述太長：最多 {MAX_JOB_CHARS:,} 字，請用一兩句話描述您的工作。")
        text = normalize(request.job).lower()
        role, grade, word, alt = find_role(f"我是{text}" if "我" not in text else text, curriculum)
        if role is None:
            raise PlanError("從工作描述看不出適合的角色，請直接選擇角色或職等。")
        return role, f"依您的描述（「{word}」），建議「{role}」。", alt
    raise PlanError("請先選擇角色、職等，或描述您的工作。")


def make_plan(curriculum: Curriculum, request: PlanRequest) -> PlanView:
    role, reason, alt = choose_role(curriculum, request)
    plan = plan_for_role(
        curriculum,
        role,
        stages=request.stages or None,
        modules=request.modules or None,
        split_consolidated=request.split_consolidated,
    )
    rows = [
        PlanRow(
            stage=stage.stage,
            code=c.code,
            name=c.name,
            hours=c.hours,
            module=c.module,
            module_name=curriculum.module(c.module).label,
        )
        for stage in plan.stages
        for c in stage.courses
    ]
    notes = []
    merged = [c for c in plan.courses if c.replaces]
    if merged:
        notes.append(
            "整併課程 " + "、".join(f"{c.code}（{c.hours} 小時）" for c in merged) + " 已涵蓋其被整併的課，只算一次；也可改選「分成三門 6 小時」。"
        )
    if request.split_consolidated and any(curriculum.replaced_by(r.code) for r in rows):
        notes.append("已把整併課程換成被整併的 6 小時課程，總時數相同。")
    if plan.proposal:
        notes.append("角色與模組、階段的對應是依課綱角色描述擬定的建議路徑，機關可依業務調整。")
    return PlanView(
        role=role,
        reason=reason,
        alt_roles=alt,
        rows=rows,
        stage_hours={s.stage: s.hours for s in plan.stages},
        total_hours=plan.total_hours,
        notes=notes,
    )


def plan_markdown(view: PlanView) -> str:
    lines = [f"# 「{view.role}」學習路徑", "", view.reason, ""]
    for stage, hours in view.stage_hours.items():
        lines.append(f"## {stage}（{hours} 小時）")
        lines.append("")
        lines.append("| 代碼 | 課程名稱 | 時數 | 模組 |")
        lines.append("|---|---|---|---|")
        for row in view.rows:
            if row.stage == stage:
                lines.append(f"| {row.code} | {row.name} | {row.hours} | {row.module_name} |")
        lines.append("")
    lines.append(f"**合計 {view.total_hours} 小時**")
    lines.extend(["", *[f"- {note}" for note in view.notes]])
    return "\n".join(lines).strip() + "\n"


def plan_csv(view: PlanView) -> str:
    """Formula-safe CSV text (see corpus/exports.py)."""
    rows = [[row.stage, row.code, row.name, row.hours, row.module_name] for row in view.rows]
    return csv_text(["階段", "代碼", "課程名稱", "時數", "模組"], [*rows, ["合計", "", "", view.total_hours, ""]])


def chart_rows(view: PlanView) -> list[dict]:
    """Hours by stage and module, for a stacked bar chart."""
    totals: dict[tuple[str, str], int] = {}
    for row in view.rows:
        key = (row.stage, row.module_name)
        totals[key] = totals.get(key, 0) + row.hours
    return [{"階段": stage, "模組": module, "時數": hours} for (stage, module), hours in totals.items()]
