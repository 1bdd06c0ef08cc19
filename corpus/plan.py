"""Role learning paths, personal plans and hour totals, computed from the corpus only.

Consolidation: a course with `replaces` (4.1.4, 4.2.4) covers the courses it
lists, so a set holding both counts the consolidated course once and drops the
parts. Every total in the product goes through `consolidate`.

A personal plan (`plan_for_role` with `taken`, `budget`, `years`) starts from the
role's path and then:
- credits what was taken: the course itself; a consolidated course taken covers its
  parts, all parts taken cover the consolidated course, and some parts taken leave
  the remaining parts (not the whole consolidated course) to take;
- fills an hour budget in path order (入門 → 進階 → 實作, then the path's order within
  a stage), never splitting a course and never jumping ahead of one that does not fit;
- splits the path into years under the budget (or evenly when no budget is given);
- or, with `total_budget` (a cap over all the years, 「兩年內上限 100 小時」), fills that many
  hours in path order and spreads them evenly over the years.
The chat, the planner and `python -m corpus path` all call this one function.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel

from corpus.models import Course, Curriculum

MAX_YEARS = 10
MAX_BUDGET = 10_000


class PlanInputError(ValueError):
    """A plan asked for with inputs the curriculum cannot satisfy; the message is for the user (zh-TW)."""


class Consolidation(BaseModel):
    course: Course
    replaced: list[Course]

    @property
    def saved_hours(self) -> int:
        return sum(c.hours for c in self.replaced)


class StagePlan(BaseModel):
    stage: str
    courses: list[Course]
    hours: int


class Credit(BaseModel):
    """A course the plan does not ask for because of what was taken, and why."""

    course: Course
    kind: Literal["taken", "covered", "partial"]
    because: list[Course]  # the taken courses that give this credit
    remaining: list[Course] = []  # partial: the parts still to take instead of `course`
    on_path: bool = False  # the course (or, for a partial credit, its parts) is on the role's path

    @property
    def why(self) -> str:
        c = self.course
        if self.kind == "taken":
            return f"{c.code} {c.name}：您已上過。"
        if self.kind == "covered" and c.replaces:
            return (
                f"{c.code} {c.name}（{c.hours} 小時）：您已上過 {code_range([p.code for p in self.because])} "
                f"全部 {len(self.because)} 門，{c.code} 是這幾門的整併課程，視同完成。"
            )
        if self.kind == "covered":
            holder = self.because[0]
            return f"{c.code} {c.name}：您已上過整併課程 {holder.code}（{holder.hours} 小時），它已涵蓋這門課。"
        left = sum(p.hours for p in self.remaining)
        return (
            f"{c.code} {c.name}（{c.hours} 小時）整併了 {code_range(c.replaces)}；您已上過 "
            f"{'、'.join(p.code for p in self.because)}，不必再上整堂 {c.code}，"
            f"只要補上 {'、'.join(p.code for p in self.remaining)}（共 {left} 小時）。"
        )


class YearPlan(BaseModel):
    year: int
    stages: list[StagePlan]  # only stages with courses this year
    hours: int

    @property
    def courses(self) -> list[Course]:
        return [c for stage in self.stages for c in stage.courses]


class Plan(BaseModel):
    role: str
    stages: list[StagePlan]  # what is planned (every year), by stage
    total_hours: int  # hours planned: the sum of `courses` after consolidation
    consolidations: list[Consolidation]
    split_consolidated: bool = False
    proposal: bool
    note: str
    # A personal plan: what was taken and credited, the budget, the years, what is left.
    taken: list[Course] = []
    credits: list[Credit] = []
    budget: int | None = None  # hours a year, as asked
    total_budget: int | None = None  # hours over all the years together, as asked
    year_count: int = 1
    year_capacity: int | None = None  # hours a year used to fill: the budget, or an even split
    years: list[YearPlan] = []  # filled only for a budget or more than one year
    later: list[StagePlan] = []  # left for later (not planned under the budget)
    later_hours: int = 0
    blocked: Course | None = None  # the next course, larger than what was left
    left_over: int = 0  # hours of the last year's budget not used
    split_offer: list[Course] = []  # parts of `blocked` (consolidated) that fit in `left_over`
    split_applied: list[Course] = []  # consolidated courses larger than a year's budget, taken as their parts
    modules: list[int] = []
    excluded_modules: list[int] = []
    excluded_courses: list[Course] = []  # courses the user does not want (「8.3.1、8.3.2 不想上」)
    stage_names: list[str] = []  # the stages asked for (all when none was named)

    @property
    def courses(self) -> list[Course]:
        return [c for stage in self.stages for c in stage.courses]

    @property
    def later_courses(self) -> list[Course]:
        return [c for stage in self.later for c in stage.courses]

    @property
    def personal(self) -> bool:
        """Anything beyond the role's whole path: taken courses, a budget, years or excluded modules."""
        return bool(self.taken or self.limited or self.excluded_modules or self.excluded_courses)

    @property
    def limited(self) -> bool:
        return self.budget is not None or self.total_budget is not None or self.year_count > 1

    @property
    def average_hours(self) -> float:
        """The planned hours divided evenly over the years (courses are not split, so a year's hours may differ)."""
        return self.total_hours / max(self.year_count, 1)


def _unique(courses: Iterable[Course]) -> list[Course]:
    seen: set[str] = set()
    out = []
    for course in courses:
        if course.code not in seen:
            seen.add(course.code)
            out.append(course)
    return out


def code_range(codes: Sequence[str]) -> str:
    return f"{codes[0]}–{codes[-1]}" if len(codes) > 2 else "、".join(codes)


def consolidate(courses: Iterable[Course]) -> tuple[list[Course], list[Consolidation]]:
    """Drop duplicates and the parts of any consolidated course that is present."""
    kept = _unique(courses)
    dropped: set[str] = set()
    consolidations = []
    for course in kept:
        if not course.replaces:  # only consolidated courses have parts: linear in the plan's length
            continue
        parts = [c for c in kept if c.code in course.replaces]
        if parts:
            consolidations.append(Consolidation(course=course, replaced=parts))
            dropped.update(c.code for c in parts)
    return [c for c in kept if c.code not in dropped], consolidations


def total_hours(courses: Iterable[Course]) -> int:
    kept, _ = consolidate(courses)
    return sum(c.hours for c in kept)


def plain_sum(courses: Iterable[Course]) -> int:
    """The sum without consolidation: what a naive total would say."""
    return sum(c.hours for c in _unique(courses))


def expand(curriculum: Curriculum, courses: Sequence[Course]) -> list[Course]:
    """Replace each consolidated course by its parts (the 6 h alternative)."""
    out: list[Course] = []
    for course in courses:
        parts = [curriculum.course_map[code] for code in course.replaces]
        out.extend(parts or [course])
    return _unique(out)


def credits_for(curriculum: Curriculum, taken: Sequence[Course]) -> list[Credit]:
    """What the taken courses credit, through consolidation both ways."""
    taken_codes = {c.code for c in taken}
    credits = [Credit(course=c, kind="taken", because=[c]) for c in _unique(taken)]
    for merged in curriculum.courses:
        if not merged.replaces:
            continue
        parts = [curriculum.course_map[p] for p in merged.replaces]
        done = [p for p in parts if p.code in taken_codes]
        if merged.code in taken_codes:
            credits += [Credit(course=p, kind="covered", because=[merged]) for p in parts if p.code not in taken_codes]
        elif len(done) == len(parts):
            credits.append(Credit(course=merged, kind="covered", because=done))
        elif done:
            rest = [p for p in parts if p.code not in taken_codes]
            credits.append(Credit(course=merged, kind="partial", because=done, remaining=rest))
    return credits


def _check_inputs(curriculum, stages, modules, exclude_modules, taken, budget, years, total_budget=None) -> list[Course]:
    stage_names = [s.name for s in curriculum.stages]
    for stage in stages or []:
        if stage not in stage_names:
            raise PlanInputError(f"沒有「{stage}」這個階段；可選：{'、'.join(stage_names)}。")
    numbers = [m.number for m in curriculum.modules]
    for module in [*(modules or []), *(exclude_modules or [])]:
        if module not in numbers:
            raise PlanInputError(f"沒有模組 {module}；課綱的模組是 {numbers[0]}–{numbers[-1]}。")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int) or not 1 <= budget <= MAX_BUDGET):
        raise PlanInputError(f"時數預算要是 1 到 {MAX_BUDGET:,} 之間的整數（小時），例如 20。")
    if total_budget is not None and (
        isinstance(total_budget, bool) or not isinstance(total_budget, int) or not 1 <= total_budget <= MAX_BUDGET * MAX_YEARS
    ):
        raise PlanInputError(f"總時數上限要是 1 到 {MAX_BUDGET * MAX_YEARS:,} 之間的整數（小時），例如 100。")
    if budget is not None and total_budget is not None:
        raise PlanInputError("每年的時數預算和全部年數的總時數上限只能擇一。")
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise PlanInputError(f"年數要是 1 到 {MAX_YEARS} 之間的整數，例如 2。")
    courses = []
    for code in taken:
        course = curriculum.course(str(code).strip())
        if course is None:
            raise PlanInputError(f"課綱裡沒有代碼為 {code} 的課程；請用課程代碼（例如 1.1.1）或完整課名。")
        courses.append(course)
    order = {c.code: i for i, c in enumerate(curriculum.courses)}
    return sorted(_unique(courses), key=lambda c: order[c.code])  # curriculum order, however they were named


def _fill(queue: list[tuple[str, Course]], capacity: int, years: int, curriculum: Curriculum, credited: set[str]):
    """Fill `years` years of `capacity` hours in queue order; a course never splits, none is skipped.

    With more than one year, a consolidated course larger than a whole year's capacity is taken
    as its parts (it could never be taken whole). Returns (per-year picks, index reached, left in
    the last year, consolidated courses split)."""
    queue = list(queue)
    picks: list[list[tuple[str, Course]]] = []
    split: list[Course] = []
    i, left = 0, capacity
    for _ in range(years):
        left, chosen = capacity, []
        while i < len(queue):
            stage, course = queue[i]
            if course.hours <= left:
                chosen.append((stage, course))
                left -= course.hours
                i += 1
            elif years > 1 and course.replaces and course.hours > capacity:
                parts = [curriculum.course_map[p] for p in course.replaces if p not in credited]
                queue[i : i + 1] = [(stage, p) for p in parts]
                split.append(course)
            else:
                break
        picks.append(chosen)
    return picks, queue, i, left, split


def _even_capacity(queue: list[tuple[str, Course]], years: int, curriculum: Curriculum, credited: set[str]) -> int:
    """The smallest yearly capacity that fits the whole path into `years` years, in order."""
    total = sum(c.hours for _, c in queue)
    if not queue:
        return 0
    capacity = max(math.ceil(total / years), max(c.hours for _, c in queue))
    while True:
        _, full, reached, _, _ = _fill(queue, capacity, years, curriculum, credited)
        if reached >= len(full):
            return capacity
        capacity += 1


def _by_stage(items: Sequence[tuple[str, Course]], stage_names: Sequence[str], keep_empty: bool = False) -> list[StagePlan]:
    out = []
    for stage in stage_names:
        courses = [c for s, c in items if s == stage]
        if courses or keep_empty:
            out.append(StagePlan(stage=stage, courses=courses, hours=sum(c.hours for c in courses)))
    return out


def plan_for_role(
    curriculum: Curriculum,
    role: str,
    stages: Sequence[str] | None = None,
    modules: Sequence[int] | None = None,
    split_consolidated: bool = False,
    *,
    taken: Sequence[str] = (),
    budget: int | None = None,
    years: int = 1,
    exclude_modules: Sequence[int] | None = None,
    total_budget: int | None = None,
    exclude_courses: Sequence[str] = (),
) -> Plan:
    """The role's path, stage by stage, each course counted once over the whole plan;
    with `taken`, `budget` (a year), `total_budget` (all the years), `years` or `exclude_modules`,
    a personal plan (see the module doc).

    Raises KeyError for an unknown role and PlanInputError (zh-TW message) for other bad input."""
    role_obj = curriculum.role(role)
    if role_obj is None:
        raise KeyError(role)
    taken_courses = _check_inputs(curriculum, stages, modules, exclude_modules, taken, budget, years, total_budget)
    excluded = set(exclude_modules or [])
    left_out = [curriculum.course_map[c] for c in dict.fromkeys(exclude_courses) if c in curriculum.course_map]
    if len(left_out) != len(set(exclude_courses)):
        unknown = [c for c in exclude_courses if c not in curriculum.course_map]
        raise PlanInputError(f"課綱裡沒有代碼為 {'、'.join(unknown)} 的課程。")
    # A consolidated course left out takes its parts with it, and leaving out all its parts leaves it out.
    out_codes = {c.code for c in left_out} | {p for c in left_out for p in c.replaces}
    out_codes |= {c.code for c in curriculum.courses if c.replaces and set(c.replaces) <= out_codes}
    credits = credits_for(curriculum, taken_courses)
    credited = {c.course.code for c in credits if c.kind != "partial"}
    partial = {c.course.code: c for c in credits if c.kind == "partial"}

    path = curriculum.role_paths.paths.get(role_obj.name, {})
    wanted_stages = [s.name for s in curriculum.stages if not stages or s.name in stages]
    placed: list[Course] = []
    on_path: set[str] = set()
    items: list[tuple[str, Course]] = []
    for stage in wanted_stages:
        courses = [curriculum.course_map[code] for code in path.get(stage, [])]
        if modules:
            courses = [c for c in courses if c.module in modules]
        courses = [c for c in courses if c.module not in excluded]
        if split_consolidated:
            courses = expand(curriculum, courses)
        courses = [c for c in courses if c.code not in out_codes]
        on_path.update(c.code for c in courses)
        wanted: list[Course] = []
        for course in courses:
            if course.code in credited:
                continue
            if course.code in partial:  # some parts taken: the rest of the parts, not the whole course
                wanted.extend(p for p in partial[course.code].remaining if p.code not in credited)
            else:
                wanted.append(course)
        placed_codes = {t.code for t in placed}
        wanted = [c for c in _unique(wanted) if c.code not in placed_codes]
        kept, _ = consolidate(placed + wanted)
        kept_codes = {c.code for c in kept}
        wanted = [c for c in wanted if c.code in kept_codes]
        placed.extend(wanted)
        items.extend((stage, c) for c in wanted)
    for credit in credits:  # on the path: the course, a consolidation holding it, or its parts
        holder = curriculum.replaced_by(credit.course.code)
        related = {credit.course.code, *credit.course.replaces, *([holder.code] if holder else [])}
        credit.on_path = bool(related & on_path)

    base = dict(
        role=role_obj.name,
        split_consolidated=split_consolidated,
        proposal=curriculum.role_paths.proposal,
        note=curriculum.role_paths.note,
        taken=taken_courses,
        credits=credits,
        budget=budget,
        total_budget=total_budget,
        year_count=years,
        modules=list(modules or []),
        excluded_modules=sorted(excluded),
        excluded_courses=left_out,
        stage_names=wanted_stages,
    )
    if budget is None and total_budget is None and years == 1:
        planned = [c for _, c in items]
        kept, consolidations = consolidate(planned)
        return Plan(
            stages=_by_stage(items, wanted_stages, keep_empty=True),
            total_hours=sum(c.hours for c in kept),
            consolidations=consolidations,
            **base,
        )

    if total_budget is not None:
        # A cap over all the years: fill it in path order (one long "year"), then spread what fits evenly.
        _, queue, reached, left, _ = _fill(items, total_budget, 1, curriculum, credited)
        fitted = queue[:reached]
        capacity = _even_capacity(fitted, years, curriculum, credited)
        picks, _, _, _, split = _fill(fitted, capacity, years, curriculum, credited)
    else:
        capacity = budget if budget is not None else _even_capacity(items, years, curriculum, credited)
        picks, queue, reached, left, split = _fill(items, capacity, years, curriculum, credited)
    year_plans = [
        YearPlan(year=n, stages=_by_stage(chosen, wanted_stages), hours=sum(c.hours for _, c in chosen))
        for n, chosen in enumerate(picks, start=1)
    ]
    planned_items = [item for chosen in picks for item in chosen]
    rest = queue[reached:]
    blocked = rest[0][1] if rest else None
    offer: list[Course] = []
    if blocked is not None and blocked.replaces and not split_consolidated:
        room = left
        for code in blocked.replaces:
            part = curriculum.course_map[code]
            if code in credited or part.hours > room:
                break
            offer.append(part)
            room -= part.hours
    planned = [c for _, c in planned_items]
    kept, consolidations = consolidate(planned)
    return Plan(
        stages=_by_stage(planned_items, wanted_stages),
        total_hours=sum(c.hours for c in kept),
        consolidations=consolidations,
        year_capacity=capacity,
        years=year_plans,
        later=_by_stage(rest, wanted_stages),
        later_hours=sum(c.hours for _, c in rest),
        blocked=blocked,
        left_over=left if blocked is not None else 0,
        split_offer=offer,
        split_applied=split,
        **base,
    )
