"""The planner's view of a plan: rows, totals, credits, chart data, exports (CSV, Markdown) and a link.

Every figure comes from `corpus.plan.plan_for_role` (the one planning function); this module
only lays it out. The screen, the CSV and the Markdown are built from the same `PlanView`, so
an export holds exactly what the planner shows. A plan link carries the request in a URL query
string (`plan_query`), and `request_from_query` reads it back.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlencode

from pydantic import BaseModel

from assistant.understand import find_role
from corpus.exports import csv_text
from corpus.models import Curriculum
from corpus.plan import MAX_BUDGET, MAX_YEARS, Plan, PlanInputError, code_range, plan_for_role
from index.text import normalize


class PlanRequest(BaseModel):
    role: str | None = None
    grade: str | None = None
    job: str | None = None
    stages: list[str] = []
    modules: list[int] = []
    split_consolidated: bool = False
    taken: list[str] = []
    budget: int | None = None
    years: int = 1
    exclude_modules: list[int] = []
    total_budget: int | None = None  # hours over all the years together


class PlanRow(BaseModel):
    when: str  # 「第 1 年」, 「今年」, 「留待以後」, 「已抵免」; empty for a whole path
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
    rows: list[PlanRow]  # what is planned
    stage_hours: dict[str, int]
    total_hours: int
    notes: list[str]
    personal: bool = False
    credits: list[str] = []  # why each credited course is not planned
    credited_rows: list[PlanRow] = []
    later_rows: list[PlanRow] = []
    later_hours: int = 0
    budget: int | None = None
    year_count: int = 1
    year_hours: dict[int, int] = {}
    budget_note: str = ""  # hours used and left, and the next course that did not fit
    link: str = ""  # the planner's query string for this plan


class PlanError(ValueError):
    pass


MAX_JOB_CHARS = 1_000  # a job description in the planner
THIS_TIME = "今年"
LATER = "留待以後"
CREDITED = "已抵免"


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


def year_label(plan: Plan, year: int) -> str:
    return f"第 {year} 年" if plan.year_count > 1 else THIS_TIME


def budget_note(plan: Plan, in_chat: bool = False) -> str:
    """Hours used and left, what did not fit and the split form that would (zh-TW)."""
    if not plan.limited:
        return ""
    parts = []
    n = plan.year_count
    if n > 1:
        years = "、".join(f"{year_label(plan, y.year)} {y.hours} 小時" for y in plan.years)
        average = f"平均每年 {plan.total_hours} ÷ {n} = {hours_figure(plan.average_hours)} 小時"
        if plan.budget is not None:
            parts.append(f"分 {n} 年、每年 {plan.budget} 小時預算：{years}，共排入 {plan.total_hours} 小時。")
        elif plan.total_budget is not None:
            parts.append(
                f"分 {n} 年、{n} 年合計上限 {plan.total_budget} 小時：依路徑順序共排入 {plan.total_hours} 小時，{average}；"
                f"課程不拆開上，實際是{years}。"
            )
        else:
            parts.append(
                f"分 {n} 年平均分配：共 {plan.total_hours} 小時，{average}；課程不拆開上，依路徑順序每年最多排 "
                f"{plan.year_capacity} 小時：{years}，共排入 {plan.total_hours} 小時。"
            )
    else:
        budget = plan.budget if plan.budget is not None else plan.total_budget
        left = budget - plan.total_hours
        parts.append(f"預算 {budget} 小時，排入 {plan.total_hours} 小時，" + (f"剩 {left} 小時。" if left else "剛好用完。"))
    if plan.split_applied:
        merged = "、".join(f"{c.code}（{c.hours} 小時）" for c in plan.split_applied)
        parts.append(f"{merged} 比一年的預算還多，改排成被整併的 6 小時課程，分年上完。")
    blocked = plan.blocked
    if blocked is not None:
        if plan.budget is not None and blocked.hours > plan.budget and not blocked.replaces:
            parts.append(f"下一門 {blocked.code} {blocked.name}（{blocked.hours} 小時）比每年的預算 {plan.budget} 小時還多，要上這門課需要提高預算。")
        elif not plan.left_over:
            parts.append(f"下一門 {blocked.code} {blocked.name}（{blocked.hours} 小時）起留待以後。")
        else:
            parts.append(
                f"下一門 {blocked.code} {blocked.name}（{blocked.hours} 小時）比剩下的 {plan.left_over} 小時多；"
                "課程不拆開上，也不跳過它先排後面的課，所以從這門起留待以後。"
            )
        if plan.split_offer:
            first = plan.split_offer
            parts.append(
                f"{blocked.code} 也可以改上被整併的 {code_range(blocked.replaces)} {_count(len(blocked.replaces))}門各 {first[0].hours} 小時的課："
                f"剩下的 {plan.left_over} 小時可以先上 {'、'.join(c.code for c in first)}（{sum(c.hours for c in first)} 小時）。"
                + ("要這樣排，說「整併課程分開上」就可以。" if in_chat else "要這樣排，請在「整併課程」選「分成三門 6 小時」。")
            )
    if in_chat:
        pass  # the chat lists what is left for later itself
    elif plan.later_courses:
        parts.append(f"留待以後：{len(plan.later_courses)} 門、{plan.later_hours} 小時。")
    else:
        parts.append("路徑上的課都排進去了。")
    return "".join(parts)


def _count(n: int) -> str:
    return {2: "兩", 3: "三", 4: "四"}.get(n, str(n))


def hours_figure(hours: float) -> str:
    """26 → 「26」, 52.666… → 「約 52.7」."""
    return str(int(hours)) if float(hours).is_integer() else f"約 {hours:.1f}"


def make_plan(curriculum: Curriculum, request: PlanRequest) -> PlanView:
    role, reason, alt = choose_role(curriculum, request)
    try:
        plan = plan_for_role(
            curriculum,
            role,
            stages=request.stages or None,
            modules=request.modules or None,
            split_consolidated=request.split_consolidated,
            taken=request.taken,
            budget=request.budget,
            years=request.years,
            exclude_modules=request.exclude_modules,
            total_budget=request.total_budget,
        )
    except PlanInputError as exc:
        raise PlanError(str(exc)) from None

    def row(when: str, stage: str, c) -> PlanRow:
        return PlanRow(
            when=when, stage=stage, code=c.code, name=c.name, hours=c.hours, module=c.module, module_name=curriculum.module(c.module).label
        )

    if plan.years:
        rows = [row(year_label(plan, y.year), s.stage, c) for y in plan.years for s in y.stages for c in s.courses]
    else:
        rows = [row(THIS_TIME if plan.personal else "", s.stage, c) for s in plan.stages for c in s.courses]
    later_rows = [row(LATER, s.stage, c) for s in plan.later for c in s.courses]
    credited_rows = [row(CREDITED, "", c.course) for c in plan.credits if c.on_path and c.kind != "partial"]
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
    credits = []
    for credit in plan.credits:
        tail = "" if credit.on_path else f"（不在「{role}」所選的路徑上，不影響這份規劃）"
        credits.append(credit.why + tail)
    normalized = request.model_copy(update={"role": role, "grade": None, "job": None})
    return PlanView(
        role=role,
        reason=reason,
        alt_roles=alt,
        rows=rows,
        stage_hours={s.stage: s.hours for s in plan.stages},
        total_hours=plan.total_hours,
        notes=notes,
        personal=plan.personal,
        credits=credits,
        credited_rows=credited_rows,
        later_rows=later_rows,
        later_hours=plan.later_hours,
        budget=plan.budget,
        year_count=plan.year_count,
        year_hours={y.year: y.hours for y in plan.years},
        budget_note=budget_note(plan),
        link=plan_query(normalized),
    )


# ------------------------------------------------------------ what the planner shows, and its exports
def summary_lines(view: PlanView) -> list[str]:
    """The plan's summary as Markdown lines (the planner shows these; the Markdown export starts with them)."""
    lines = [f"### 「{view.role}」學習路徑：合計 {view.total_hours} 小時", view.reason]
    lines.append("、".join(f"{stage} {hours} 小時" for stage, hours in view.stage_hours.items()))
    if view.alt_roles:
        lines.append(f"也可以改選「{'、'.join(view.alt_roles)}」。")
    if view.credits:
        lines.append("**已上過的課與抵免**\n\n" + "\n".join(f"- {c}" for c in view.credits))
    if view.budget_note:
        lines.append(view.budget_note)
    lines += [f"- {note}" for note in view.notes]
    return lines


def table_headers(view: PlanView) -> list[str]:
    base = ["階段", "代碼", "課程名稱", "時數", "模組"]
    return ["安排", *base] if view.personal else base


def table_rows(view: PlanView) -> list[list]:
    """The table the planner shows: planned, then left for later, then credited courses."""
    out = []
    for r in [*view.rows, *view.later_rows, *view.credited_rows]:
        cells = [r.stage, r.code, r.name, r.hours, r.module_name]
        out.append([r.when, *cells] if view.personal else cells)
    return out


def plan_markdown(view: PlanView) -> str:
    lines = [f"# 「{view.role}」學習路徑", ""]
    lines += [line for line in summary_lines(view)[1:]]
    lines.append("")
    headers = table_headers(view)
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "---|" * len(headers))
    for cells in table_rows(view):
        lines.append("| " + " | ".join(str(c).replace("|", "｜") for c in cells) + " |")
    lines.append("")
    lines.append(f"**合計 {view.total_hours} 小時**")
    return "\n".join(lines).strip() + "\n"


def plan_csv(view: PlanView) -> str:
    """Formula-safe CSV text (see corpus/exports.py): the rows of the planner's table, then the total."""
    headers = table_headers(view)
    total = ["合計", *[""] * (headers.index("時數") - 1), view.total_hours, *[""] * (len(headers) - headers.index("時數") - 1)]
    return csv_text(headers, [*table_rows(view), total])


def chart_rows(view: PlanView) -> list[dict]:
    """Hours by stage and module, for a stacked bar chart."""
    totals: dict[tuple[str, str], int] = {}
    for row in view.rows:
        key = (row.stage, row.module_name)
        totals[key] = totals.get(key, 0) + row.hours
    return [{"階段": stage, "模組": module, "時數": hours} for (stage, module), hours in totals.items()]


# ------------------------------------------------------------ a plan link
def plan_query(request: PlanRequest) -> str:
    """The planner URL's query string for a plan (role, taken, budget, years, stages, modules…)."""
    params: dict[str, str] = {}
    if request.role:
        params["role"] = request.role
    if request.taken:
        params["taken"] = ",".join(request.taken)
    if request.budget is not None:
        params["budget"] = str(request.budget)
    if request.total_budget is not None:
        params["total"] = str(request.total_budget)
    if request.years > 1:
        params["years"] = str(request.years)
    if request.stages:
        params["stages"] = ",".join(request.stages)
    if request.modules:
        params["modules"] = ",".join(str(m) for m in request.modules)
    if request.exclude_modules:
        params["skip"] = ",".join(str(m) for m in request.exclude_modules)
    if request.split_consolidated:
        params["split"] = "1"
    return "?" + urlencode(params)


PLAN_PARAMS = ("role", "taken", "budget", "total", "years", "stages", "modules", "skip", "split")
MAX_PARAM_CHARS = 500


def _list(value: str) -> list[str]:
    return [v for v in re.split(r"[,，、\s]+", unicodedata.normalize("NFKC", value)) if v]


def _int(value: str, what: str, low: int, high: int) -> int:
    value = unicodedata.normalize("NFKC", value).strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise PlanError(f"連結中的{what}「{value[:20]}」不正確：要是 {low} 到 {high:,} 之間的整數。")
    return int(value)


def request_from_query(curriculum: Curriculum, params: dict[str, str]) -> PlanRequest | None:
    """A plan link's query string, read back; None when it holds no plan. Bad values: PlanError (zh-TW)."""
    params = {k: str(v) for k, v in params.items() if k in PLAN_PARAMS}
    if not params.get("role"):
        return None
    for key, value in params.items():
        if len(value) > MAX_PARAM_CHARS:
            raise PlanError(f"連結中的「{key}」太長，請重新產生規劃連結。")
    role = params["role"].strip()
    if curriculum.role(role) is None:
        raise PlanError(f"連結中的角色「{role[:20]}」不存在；可選：{'、'.join(r.name for r in curriculum.roles)}。")
    taken = _list(params.get("taken", ""))
    for code in taken:
        if curriculum.course(code) is None:
            raise PlanError(f"連結中已上過的課程「{code[:20]}」不在課綱裡。")
    stage_names = [s.name for s in curriculum.stages]
    stages = _list(params.get("stages", ""))
    for stage in stages:
        if stage not in stage_names:
            raise PlanError(f"連結中的階段「{stage[:20]}」不存在；可選：{'、'.join(stage_names)}。")
    numbers = len(curriculum.modules)
    modules = [_int(m, "模組", 1, numbers) for m in _list(params.get("modules", ""))]
    skip = [_int(m, "排除模組", 1, numbers) for m in _list(params.get("skip", ""))]
    budget = _int(params["budget"], "時數預算", 1, MAX_BUDGET) if params.get("budget", "").strip() else None
    years = _int(params["years"], "年數", 1, MAX_YEARS) if params.get("years", "").strip() else 1
    total = _int(params["total"], "總時數上限", 1, MAX_BUDGET * MAX_YEARS) if params.get("total", "").strip() else None
    if budget is not None and total is not None:
        raise PlanError("連結中的每年時數預算（budget）和總時數上限（total）只能擇一。")
    return PlanRequest(
        role=curriculum.role(role).name,
        taken=list(dict.fromkeys(taken)),
        budget=budget,
        total_budget=total,
        years=years,
        stages=[s for s in stage_names if s in stages],
        modules=sorted(set(modules)),
        exclude_modules=sorted(set(skip)),
        split_consolidated=params.get("split", "") in ("1", "true", "yes"),
    )
