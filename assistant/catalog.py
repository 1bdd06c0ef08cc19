"""The trainers' catalog: courses filtered by metadata (through Chroma), method and keyword."""

from __future__ import annotations

from pydantic import BaseModel

from assistant import compose
from assistant.vocabulary import METHOD_FAMILIES
from corpus.exports import csv_text
from corpus.models import Course, Curriculum
from index.retrieve import Filters, HybridSearcher
from index.store import course_document
from index.text import normalize


MAX_KEYWORD_CHARS = 200


class CatalogQuery(BaseModel):
    modules: list[int] = []
    role: str | None = None
    stage: str | None = None
    min_hours: int | None = None
    max_hours: int | None = None
    level: str | None = None
    method: str | None = None
    keyword: str = ""

    def filters(self) -> Filters:
        """The metadata part, which Chroma's `where` answers."""
        return Filters(
            modules=self.modules or None,
            min_hours=self.min_hours,
            max_hours=self.max_hours,
            role=self.role or None,
            stage=self.stage or None,
            level=self.level or None,
        )


def method_choices(curriculum: Curriculum) -> list[str]:
    used = [m for c in curriculum.courses for m in c.methods]
    return [family for family in METHOD_FAMILIES if any(family in m for m in used)]


def find_courses(curriculum: Curriculum, searcher: HybridSearcher, query: CatalogQuery) -> list[Course]:
    """Courses in corpus order: metadata through Chroma, then teaching method and keyword."""
    where = query.filters().to_where(curriculum)
    allowed = set(searcher.codes_where(where)) if where else None
    courses = [c for c in curriculum.courses if allowed is None or c.code in allowed]
    if query.method:
        method = query.method.lower()
        courses = [c for c in courses if any(method in m.lower() for m in c.methods)]
    if len(query.keyword) > MAX_KEYWORD_CHARS:
        return []  # no course text holds a keyword this long: do not normalize megabytes to find out
    keyword = normalize(query.keyword).lower()
    if keyword and courses:
        courses = rank_by_keyword(curriculum, searcher, keyword, courses)
    return courses


def rank_by_keyword(curriculum: Curriculum, searcher: HybridSearcher, keyword: str, courses: list[Course]) -> list[Course]:
    """The chat's hybrid ranking (BM25 + vectors, RRF) over the filtered courses, best first.

    Exact code and name matches come first; then the courses the ranking finds strongly (the rule
    of the chat's filtered topics); then any other course whose text contains the keyword; when
    none of these match, the three best-ranked courses, as the chat answers a topic.
    """
    by_code = {c.code: c for c in courses}
    exact = [c for c in courses if keyword == c.code.lower() or keyword in normalize(c.name).lower()]
    hits = searcher.search(keyword, k=len(courses), allowed=list(by_code))
    best = max((h.bm25_score for h in hits), default=0.0)
    strong = [by_code[h.code] for h in hits if best > 0 and h.bm25_score >= 0.5 * best]
    literal = [c for c in courses if keyword in course_document(c, curriculum).lower()]
    chosen = exact + strong + literal or [by_code[h.code] for h in hits[:3]]
    return [by_code[code] for code in dict.fromkeys(c.code for c in chosen)]


def method_names(curriculum: Curriculum) -> list[str]:
    """Teaching methods as the syllabus names them, most used first."""
    counts: dict[str, int] = {}
    for course in curriculum.courses:
        for method in course.methods:
            counts[method] = counts.get(method, 0) + 1
    return sorted(counts, key=lambda m: -counts[m])


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


def catalog_csv(curriculum: Curriculum, courses: list[Course]) -> str:
    """The catalog table as formula-safe CSV text (see corpus/exports.py)."""
    return csv_text(CATALOG_HEADERS, catalog_rows(curriculum, courses))


def course_markdown(curriculum: Curriculum, code: str) -> str:
    course = curriculum.course(code)
    if course is None:
        return f"找不到代碼為 {code} 的課程。"
    return compose.detail_text(course, curriculum, focus=["goals", "outline", "methods"])
