"""The trainers' catalog: courses filtered by metadata (through Chroma), method and keyword."""

from __future__ import annotations

from pydantic import BaseModel

from assistant import compose
from assistant.vocabulary import METHOD_FAMILIES
from corpus.models import Course, Curriculum
from index.retrieve import Filters, HybridSearcher
from index.store import course_document
from index.text import normalize


class CatalogQuery(BaseModel):
    modules: list[int] = []
    role: str | None = None
    stage: str | None = None
    min_hours: int | None = None
    max_hours: int | None = None
    level: str | None = None
    method: str | None = None
    keyword: str = ""


def method_choices(curriculum: Curriculum) -> list[str]:
    used = [m for c in curriculum.courses for m in c.methods]
    return [family for family in METHOD_FAMILIES if any(family in m for m in used)]


def find_courses(curriculum: Curriculum, searcher: HybridSearcher, query: CatalogQuery) -> list[Course]:
    filters = Filters(
        modules=query.modules or None,
        min_hours=query.min_hours,
        max_hours=query.max_hours,
        role=query.role or None,
        stage=query.stage or None,
        level=query.level or None,
    )
    where = filters.to_where(curriculum)
    allowed = set(searcher.collection.get(where=where, include=[])["ids"]) if where else None
    courses = [c for c in curriculum.courses if allowed is None or c.code in allowed]
    if query.method:
        courses = [c for c in courses if any(query.method in m for m in c.methods)]
    keyword = normalize(query.keyword).lower()
    if keyword:
        courses = [c for c in courses if keyword in course_document(c, curriculum).lower()]
    return courses


def catalog_rows(curriculum: Curriculum, courses: list[Course]) -> list[list]:
    rows = []
    for c in courses:
        roles = curriculum.roles_of(c.code)
        rows.append(
            [
                c.code,
                c.name,
                c.hours,
                curriculum.module(c.module).label,
                c.level or "",
                "、".join(f"{r}/{'、'.join(s)}" for r, s in roles.items()),
                "、".join(c.methods),
            ]
        )
    return rows


CATALOG_HEADERS = ["代碼", "課程名稱", "時數", "模組", "等級", "角色/階段", "教學方法"]


def course_markdown(curriculum: Curriculum, code: str) -> str:
    course = curriculum.course(code)
    if course is None:
        return f"找不到代碼為 {code} 的課程。"
    return compose.detail_text(course, curriculum, focus=["goals", "outline", "methods"])
