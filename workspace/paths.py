"""Editing the role × stage paths: a table a trainer edits, checked before it is saved as a version."""

from __future__ import annotations

import re

from pydantic import ValidationError

from corpus.load import CorpusError, describe_validation_error
from corpus.models import Curriculum

_SEPARATORS = re.compile(r"[\s,，、;；]+")
CONFIRMED_NOTE = "學習路徑已由訓練單位確認。"


def path_rows(curriculum: Curriculum) -> list[list[str]]:
    """One row per role × stage: 角色, 階段, the course codes in order (separated by 「、」)."""
    paths = curriculum.role_paths.paths
    return [
        [role.name, stage.name, "、".join(paths.get(role.name, {}).get(stage.name, []))]
        for role in curriculum.roles
        for stage in curriculum.stages
    ]


def apply_paths(curriculum: Curriculum, rows: list[list], confirm: bool) -> Curriculum:
    """The curriculum with these paths, or CorpusError listing every problem by row.

    Checked: known roles, stages and course codes; no course twice in one role; a consolidated
    course and a course it replaces not both in one role (that counts the hours twice); and, by
    the curriculum's own validation, every course reachable from some role's path.
    `confirm`: the trainer confirms the paths, so answers stop calling them a proposal.
    """
    roles = {r.name for r in curriculum.roles}
    stages = {s.name for s in curriculum.stages}
    problems: list[str] = []
    paths: dict[str, dict[str, list[str]]] = {}
    for number, row in enumerate(rows, start=1):
        role, stage, cell = (list(row) + ["", "", ""])[:3]
        role, stage = str(role or "").strip(), str(stage or "").strip()
        where = f"第 {number} 列（{role or '?'}／{stage or '?'}）"
        if role not in roles:
            problems.append(f"{where}：沒有「{role}」這個角色（可用：{'、'.join(r.name for r in curriculum.roles)}）")
            continue
        if stage not in stages:
            problems.append(f"{where}：沒有「{stage}」這個階段（可用：{'、'.join(s.name for s in curriculum.stages)}）")
            continue
        codes = [c for c in _SEPARATORS.split(str(cell or "")) if c]
        unknown = [c for c in codes if curriculum.course(c) is None]
        if unknown:
            problems.append(f"{where}：找不到課程 {'、'.join(unknown)}")
        paths.setdefault(role, {})[stage] = [c for c in codes if curriculum.course(c) is not None]
    for role, stage_paths in paths.items():
        seen: dict[str, str] = {}
        for stage, codes in stage_paths.items():
            for code in codes:
                if code in seen:
                    problems.append(f"「{role}」：{code} 同時在「{seen[code]}」與「{stage}」階段，請只留一個")
                seen.setdefault(code, stage)
        for code in seen:
            course = curriculum.course(code)
            both = [part for part in course.replaces if part in seen]
            if both:
                problems.append(
                    f"「{role}」：{code} 已整併 {'、'.join(course.replaces)}，不能再同時列 {'、'.join(both)}（時數會重複計算），請擇一"
                )
    if problems:
        raise CorpusError("學習路徑", problems)
    data = curriculum.model_dump(mode="json")
    data["role_paths"]["paths"] = paths
    if confirm:
        data["role_paths"]["proposal"] = False
        data["role_paths"]["note"] = CONFIRMED_NOTE
    try:
        return Curriculum.model_validate(data)
    except ValidationError as exc:
        lines = [part.strip() for line in describe_validation_error(exc, data) for part in line.removeprefix("（整個檔案）：").split("；")]
        raise CorpusError("學習路徑", [line for line in lines if line]) from None
