"""Import courses from a trainer's spreadsheet (CSV, TSV or XLSX, 附錄二 columns).

Rows are read like the seed's table: an empty 課程模組 or 課程單元 cell continues
the row above. Every row is checked; on any error nothing is written and each
bad row is reported. Otherwise courses are added or updated by code, the whole
curriculum is validated again and the file is replaced atomically.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pydantic import BaseModel, ValidationError

from corpus.load import (
    CorpusError,
    describe_validation_error,
    dump_curriculum,
    load_curriculum,
    os_reason,
    parse_curriculum,
    write_atomically,
)
from corpus.models import Course, Curriculum

COLUMNS = ["課程模組", "課程單元", "課程名稱", "時數", "訓練目標", "課程大綱/內容", "教學方法"]
OPTIONAL = ["等級", "取代課程", "備註", "學習路徑"]  # 學習路徑: 「會開發/實作；能應用/進階」
_MODULE = re.compile(r"模組\s*(\d+)")
_LEVEL = re.compile(r"[(（](基礎|進階)[)）]")
_CODED = re.compile(r"^(\d+(?:\.\d+){1,2})\s*(.*)$")


class ImportResult(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    written: bool


def read_rows(path: Path) -> list[dict[str, str]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a bad file
            raise CorpusError(path, [f"無法讀取 Excel 檔：{os_reason(exc)}"]) from None
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    elif suffix in (".csv", ".tsv", ".txt"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(path, [f"無法讀取檔案（請存成 UTF-8）：{os_reason(exc)}"]) from None
        delimiter = "\t" if suffix != ".csv" else ","
        values = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    else:
        raise CorpusError(path, ["只支援 .csv、.tsv 或 .xlsx 檔"])
    values = [row for row in values if any(cell.strip() for cell in row)]
    if not values:
        raise CorpusError(path, ["檔案是空的"])
    header = [cell.strip() for cell in values[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CorpusError(path, [f"第 1 列（標題列）缺少欄位：{'、'.join(missing)}"])
    return [
        {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        for row in values[1:]
    ]


def _items(cell: str, methods: bool = False) -> list[str]:
    """Cell text to a list: one item a line; methods may also be split by 、 or spaces."""
    pattern = r"[\n；;]+|、|\s{1,}(?![(（])" if methods else r"[\n；;]+"
    items = [re.sub(r"^(\d+\.|[•\-*])\s*", "", part).strip() for part in re.split(pattern, cell)]
    return [item for item in items if item]


def _path_pairs(cell: str) -> list[tuple[str, str]]:
    pairs = []
    for item in _items(cell.replace("、", "；")):
        role, _, stage = item.partition("/")
        pairs.append((role.strip(), stage.strip()))
    return pairs


def rows_to_courses(
    path: Path, rows: list[dict[str, str]]
) -> tuple[list[Course], dict[str, list[tuple[str, str]]], list[str]]:
    """Courses, the role paths each row asks for, and per-row problems."""
    courses, paths, problems = [], {}, []
    module_cell = unit_cell = ""
    for number, row in enumerate(rows, start=2):
        module_cell = row["課程模組"] or module_cell
        unit_cell = row["課程單元"] or unit_cell
        where = f"第 {number} 列"
        module = _MODULE.search(module_cell)
        unit = _CODED.match(unit_cell)
        if not module:
            problems.append(f"{where} 欄位 課程模組：看不出模組編號（例如「模組3、能開發」）")
            continue
        if not unit:
            problems.append(f"{where} 欄位 課程單元：看不出單元代碼（例如「3.1 AI/ML應用開發實務」）")
            continue
        course_match = _CODED.match(row["課程名稱"]) if row["課程名稱"] else None
        if row["課程名稱"] and not course_match:
            problems.append(f"{where} 欄位 課程名稱：開頭要有課程代碼（例如「3.1.4 委外AI系統…」）")
            continue
        code, name = course_match.groups() if course_match else (unit.group(1), unit.group(2))
        hours_text = row["時數"]
        if not re.fullmatch(r"\d+", hours_text):
            problems.append(f"{where}（代碼 {code}）欄位 時數：必須是正整數，讀到「{hours_text}」")
            continue
        level = row.get("等級") or (_LEVEL.search(module_cell).group(1) if _LEVEL.search(module_cell) else None)
        data = {
            "code": code,
            "name": name.strip(),
            "module": int(module.group(1)),
            "unit_code": unit.group(1),
            "unit_name": unit.group(2).strip(),
            "level": level or None,
            "hours": int(hours_text),
            "goals": _items(row["訓練目標"]),
            "outline": _items(row["課程大綱/內容"]),
            "methods": _items(row["教學方法"], methods=True),
            "replaces": _items(row.get("取代課程", ""), methods=True),
            "notes": _items(row.get("備註", "")),
        }
        pairs = _path_pairs(row.get("學習路徑", ""))
        if any(not role or not stage for role, stage in pairs):
            problems.append(f"{where}（代碼 {code}）欄位 學習路徑：請寫成「角色/階段」，例如「會開發/實作」")
            continue
        paths[code] = pairs
        try:
            courses.append(Course.model_validate(data))
        except ValidationError as exc:
            for line in describe_validation_error(exc, data):
                problems.append(f"{where}（代碼 {code}）欄位 {line}")
    return courses, paths, problems


def merge(
    curriculum: Curriculum, incoming: list[Course], paths: dict[str, list[tuple[str, str]]]
) -> tuple[dict, ImportResult]:
    """New curriculum data with incoming courses added (in code order) or updated in place."""
    current = {c.code: c for c in curriculum.courses}
    added, updated, unchanged = [], [], []
    courses = list(curriculum.courses)
    for course in incoming:
        old = current.get(course.code)
        if old is None:
            courses.append(course)
            added.append(course.code)
            continue
        # A spreadsheet has no place for notes or replaces: keep the curated ones unless given.
        new = course.model_copy(
            update={
                "replaces": course.replaces or old.replaces,
                "notes": course.notes or old.notes,
            }
        )
        if new == old:
            unchanged.append(course.code)
        else:
            courses[courses.index(old)] = new
            updated.append(course.code)
    courses.sort(key=lambda c: [int(part) for part in c.code.split(".")])
    data = curriculum.model_dump(mode="json")
    data["courses"] = [c.model_dump(mode="json") for c in courses]
    role_paths = data["role_paths"]["paths"]
    for code, pairs in paths.items():
        for role, stage in pairs:
            stage_codes = role_paths.setdefault(role, {}).setdefault(stage, [])
            if code not in stage_codes:
                stage_codes.append(code)
    return data, ImportResult(added=added, updated=updated, unchanged=unchanged, written=False)


def import_file(source: Path, corpus_file: Path, dry_run: bool = False) -> ImportResult:
    """Validate everything first; write only when every row and the result are good."""
    curriculum = load_curriculum(corpus_file)
    courses, paths, problems = rows_to_courses(source, read_rows(source))
    seen: dict[str, int] = {}
    for course in courses:
        seen[course.code] = seen.get(course.code, 0) + 1
    problems += [f"課程代碼 {code} 在檔案中出現 {n} 次" for code, n in seen.items() if n > 1]
    if problems:
        raise CorpusError(source, problems)
    data, result = merge(curriculum, courses, paths)
    new = parse_curriculum(data, source)  # cross-row checks: modules, replaces, paths
    if not dry_run and (result.added or result.updated):
        write_atomically(corpus_file, dump_curriculum(new))
        result.written = True
    return result
