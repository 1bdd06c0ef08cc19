"""Role learning paths and hour totals, computed from the corpus only.

Consolidation: a course with `replaces` (4.1.4, 4.2.4) covers the courses it
lists, so a set holding both counts the consolidated course once and drops the
parts. Every total in the product goes through `consolidate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from corpus.models import Course, Curriculum


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


class Plan(BaseModel):
    role: str
    stages: list[StagePlan]
    total_hours: int
    consolidations: list[Consolidation]
    split_consolidated: bool = False
    proposal: bool
    note: str

    @property
    def courses(self) -> list[Course]:
        return [c for stage in self.stages for c in stage.courses]


def _unique(courses: Iterable[Course]) -> list[Course]:
    seen: set[str] = set()
    out = []
    for course in courses:
        if course.code not in seen:
            seen.add(course.code)
            out.append(course)
    return out


def consolidate(courses: Iterable[Course]) -> tuple[list[Course], list[Consolidation]]:
    """Drop duplicates and the parts of any consolidated course that is present."""
    kept = _unique(courses)
    dropped: set[str] = set()
    consolidations = []
    for course in kept:
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


def plan_for_role(
    curriculum: Curriculum,
    role: str,
    stages: Sequence[str] | None = None,
    modules: Sequence[int] | None = None,
    split_consolidated: bool = False,
) -> Plan:
    """The role's path, stage by stage, each course counted once over the whole plan."""
    role_obj = curriculum.role(role)
    if role_obj is None:
        raise KeyError(role)
    path = curriculum.role_paths.paths.get(role_obj.name, {})
    wanted_stages = [s.name for s in curriculum.stages if not stages or s.name in stages]
    taken: list[Course] = []
    stage_plans = []
    for stage in wanted_stages:
        courses = [curriculum.course_map[code] for code in path.get(stage, [])]
        if modules:
            courses = [c for c in courses if c.module in modules]
        if split_consolidated:
            courses = expand(curriculum, courses)
        courses = [c for c in courses if c.code not in {t.code for t in taken}]
        kept, _ = consolidate(taken + courses)
        courses = [c for c in courses if c in kept]
        taken.extend(courses)
        stage_plans.append(StagePlan(stage=stage, courses=courses, hours=sum(c.hours for c in courses)))
    kept, consolidations = consolidate(taken)
    return Plan(
        role=role_obj.name,
        stages=stage_plans,
        total_hours=sum(c.hours for c in kept),
        consolidations=consolidations,
        split_consolidated=split_consolidated,
        proposal=curriculum.role_paths.proposal,
        note=curriculum.role_paths.note,
    )
