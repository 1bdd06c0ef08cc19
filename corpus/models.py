"""Typed curriculum data. Every field a user may read comes from the seed."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CODE_PATTERN = r"^[1-9](\.[1-9]\d*){1,2}$"
Level = Literal["基礎", "進階"]
# "將4.1.1-4.1.3整併…": a goal that names the range a consolidated course covers.
CONSOLIDATED_RANGE = re.compile(r"(\d+\.\d+)\.(\d+)\s*[-–~－至到]\s*(\d+\.\d+)\.(\d+)")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Course(_Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)
    module: int = Field(ge=1)
    unit_code: str = Field(pattern=r"^[1-9]\.[1-9]\d*$")
    unit_name: str = Field(min_length=1)
    level: Level | None = None
    hours: int = Field(gt=0, le=1000)
    goals: list[str] = Field(default_factory=list)
    outline: list[str] = Field(default_factory=list)
    methods: list[str] = Field(default_factory=list)
    replaces: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def shown_goals(self) -> list[str]:
        """The goals as a reader sees them: verbatim, except that a goal naming a consolidated
        range other than the one this course replaces (the seed's 4.2.4 says "4.1.1-4.1.3")
        carries a note saying so and which courses it really consolidates."""
        return [goal + self.range_note(goal) for goal in self.goals]

    def range_note(self, goal: str) -> str:
        match = CONSOLIDATED_RANGE.search(goal)
        if not match or not self.replaces:
            return ""
        unit, first, last_unit, last = match.groups()
        stated = {f"{unit}.{n}" for n in range(int(first), int(last) + 1)} if unit == last_unit else set()
        if stated == set(self.replaces):
            return ""
        real = f"{self.replaces[0]}–{self.replaces[-1]}" if len(self.replaces) > 1 else self.replaces[0]
        return f"（註：課綱原文此處誤植為「{match.group(0)}」；本課實際整併的是 {real}。）"


class Module(_Strict):
    number: int = Field(ge=1)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    overview: str
    notes: list[str] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return f"模組{self.number} {self.name}"


class Role(_Strict):
    id: str
    name: str
    description: str


class Grade(_Strict):
    name: str
    roles: list[str]


class Stage(_Strict):
    id: str
    name: str


class RolePaths(_Strict):
    proposal: bool
    note: str
    paths: dict[str, dict[str, list[str]]]


class Curriculum(_Strict):
    title: str
    source: str
    modules: list[Module]
    roles: list[Role]
    grades: list[Grade]
    grade_note: str
    stages: list[Stage]
    path_note: str
    role_paths: RolePaths
    courses: list[Course]

    @model_validator(mode="after")
    def _check_references(self) -> "Curriculum":
        problems: list[str] = []
        codes: dict[str, int] = {}
        modules = {m.number for m in self.modules}
        for i, course in enumerate(self.courses):
            where = f"courses[{i}]（{course.code}）"
            if course.code in codes:
                problems.append(f"{where}.code：課程代碼重複（第 {codes[course.code] + 1} 筆已使用）")
            codes.setdefault(course.code, i)
            if course.module not in modules:
                problems.append(f"{where}.module：沒有模組 {course.module}")
            if not course.code.startswith(f"{course.module}."):
                problems.append(f"{where}.code：代碼應以模組編號 {course.module}. 開頭")
        for i, course in enumerate(self.courses):
            for target in course.replaces:
                if target not in codes:
                    problems.append(f"courses[{i}]（{course.code}）.replaces：找不到被取代的課程 {target}")
        role_names = {r.name for r in self.roles}
        stage_names = {s.name for s in self.stages}
        for grade in self.grades:
            for role in grade.roles:
                if role not in role_names:
                    problems.append(f"grades（{grade.name}）.roles：沒有角色 {role}")
        reachable: set[str] = set()
        for role, stages in self.role_paths.paths.items():
            if role not in role_names:
                problems.append(f"role_paths.paths.{role}：沒有這個角色")
            for stage, stage_codes in stages.items():
                if stage not in stage_names:
                    problems.append(f"role_paths.paths.{role}.{stage}：沒有這個階段")
                for code in stage_codes:
                    if code not in codes:
                        problems.append(f"role_paths.paths.{role}.{stage}：找不到課程 {code}")
                    reachable.add(code)
        for course in self.courses:
            if course.code in reachable:
                reachable.update(course.replaces)
        for course in self.courses:
            if course.code not in reachable:
                problems.append(f"courses（{course.code}）：沒有任何角色的學習路徑包含這門課（匯入時請在「學習路徑」欄填寫，例如「會開發/實作」）")
        if problems:
            raise ValueError("；".join(problems))
        return self

    def course(self, code: str) -> Course | None:
        return self.course_map.get(code)

    @cached_property
    def course_map(self) -> dict[str, Course]:
        return {c.code: c for c in self.courses}

    def module(self, number: int) -> Module | None:
        return next((m for m in self.modules if m.number == number), None)

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name or r.id == name), None)

    def replaced_by(self, code: str) -> Course | None:
        """The consolidated course that replaces `code`, if any."""
        return self._replacements.get(code)

    @cached_property
    def _replacements(self) -> dict[str, Course]:
        """Replaced code -> the first course (in file order) that replaces it."""
        out: dict[str, Course] = {}
        for course in self.courses:
            for code in course.replaces:
                out.setdefault(code, course)
        return out

    @cached_property
    def _placements(self) -> tuple[list[tuple[str, str]], dict[str, set[int]]]:
        """Every (role, stage) of the paths in order, and for each code the positions that list it."""
        order: list[tuple[str, str]] = []
        where: dict[str, set[int]] = {}
        for role, stages in self.role_paths.paths.items():
            for stage, stage_codes in stages.items():
                for code in stage_codes:
                    where.setdefault(code, set()).add(len(order))
                order.append((role, stage))
        return order, where

    def roles_of(self, code: str) -> dict[str, list[str]]:
        """Role name -> stage names in which the course (or its consolidation) appears.

        Looked up in indexes built once per curriculum: a 10,000-course catalog's metadata is linear."""
        holder = self.replaced_by(code)
        order, where = self._placements
        positions = where.get(code, set()) | (where.get(holder.code, set()) if holder else set())
        out: dict[str, list[str]] = {}
        for i in sorted(positions):
            role, stage = order[i]
            out.setdefault(role, []).append(stage)
        return out
