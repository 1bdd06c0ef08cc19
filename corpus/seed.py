"""Parse the 附錄二 syllabus table out of the seed text.

The seed is the Ministry of Digital Affairs' curriculum page saved as text; its
附錄二 table survives as tab-separated rows where an empty module or unit cell
continues the row above. This parser is what keeps the curated corpus
traceable to its source (see tests/test_corpus_seed.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HEADER_PREFIX = "課程模組\t"
_MODULE_RE = re.compile(r"模組\s*(\d)\s*[、：:]\s*([^()（）\s]+)")
_UNIT_RE = re.compile(r"^(\d\.\d)\s*(.+)$")
_COURSE_RE = re.compile(r"^(\d\.\d\.\d)\s*(.+)$")


@dataclass
class SeedRow:
    """One course row of the seed's table, with the cells as the seed has them."""

    line: int
    module: int
    module_name: str
    level: str | None
    unit_code: str
    unit_name: str
    code: str
    name: str
    hours: int
    goals: str
    outline: str
    methods: str
    cells: list[str] = field(repr=False, default_factory=list)


def _strip_html(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text).strip()


def parse_seed_table(path: Path) -> list[SeedRow]:
    """Return every course row of 附錄二 in the order the seed lists them."""
    rows: list[SeedRow] = []
    module = 0
    module_name = ""
    level: str | None = None
    unit_code = unit_name = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if "\t" not in raw or raw.startswith(HEADER_PREFIX):
            continue
        cells = raw.split("\t")
        if cells[0].strip():
            match = _MODULE_RE.search(cells[0])
            if not match:
                raise ValueError(f"{path}:{number}: cannot read module cell {cells[0]!r}")
            module, module_name = int(match.group(1)), match.group(2)
            level_match = re.search(r"[(（](基礎|進階)[)）]", cells[0])
            level = level_match.group(1) if level_match else None
        body = cells[1:]
        if len(body) == 7:  # the module 3 (進階) table has an extra level column
            body = body[1:]
        if len(body) != 6:
            raise ValueError(f"{path}:{number}: expected 6 cells after the module, got {len(body)}")
        unit_cell, course_cell, hours_cell, goals, outline, methods = (c.strip() for c in body)
        if unit_cell:
            unit = _UNIT_RE.match(unit_cell)
            if not unit:
                raise ValueError(f"{path}:{number}: cannot read unit cell {unit_cell!r}")
            unit_code, unit_name = unit.group(1), unit.group(2).strip()
        if course_cell:
            course = _COURSE_RE.match(course_cell)
            if not course:
                raise ValueError(f"{path}:{number}: cannot read course cell {course_cell!r}")
            code, name = course.group(1), course.group(2).strip()
        else:  # 5.3 has no course code of its own: the unit is the course
            code, name = unit_code, unit_name
        rows.append(
            SeedRow(
                line=number,
                module=module,
                module_name=module_name,
                level=level,
                unit_code=unit_code,
                unit_name=unit_name,
                code=code,
                name=name,
                hours=int(hours_cell),
                goals=_strip_html(goals),
                outline=_strip_html(outline),
                methods=_strip_html(methods),
                cells=cells,
            )
        )
    return rows
