"""Import courses from a trainer's spreadsheet (CSV, TSV or XLSX, 附錄二 columns).

Rows are read like the seed's table: an empty 課程模組 or 課程單元 cell continues
the row above. Every row is checked; on any error nothing is written and each
bad row is reported. Otherwise courses are added or updated by code, the whole
curriculum is validated again and the file is replaced atomically.

Two modes. Merge (the default): the file adds or updates courses; courses it does not
list stay. Replace (`replace=True`, `corpus import --replace`, the trainer area's
「以此檔取代整份課綱」): the file is the whole syllabus — courses it does not list are
removed, and dropped from every role path; its 取代課程 and 備註 columns, when present,
are taken as written (empty means none); a consolidation that would point at a removed
course, or a course that would be on no path any more, is reported with its row.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from pydantic import BaseModel, ValidationError

from corpus.load import (
    ERROR_MESSAGES,
    CorpusError,
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


class PathDrop(BaseModel):
    """A removed course taken off one role × stage of the paths."""

    code: str
    role: str
    stage: str


class ImportResult(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    written: bool
    removed: list[str] = []  # replace mode: courses the file does not list
    dropped_from_paths: list[PathDrop] = []


MAX_ROWS = 100_000  # data rows in one file
MAX_CELL_CHARS = 10_000  # one cell
MAX_FILE_BYTES = 50 * 1024 * 1024  # the file as uploaded
MAX_XLSX_EXPANDED = 200 * 1024 * 1024  # an XLSX is a zip: what it unpacks to

Row = tuple[int, dict[str, str]]  # spreadsheet row number, cells by column header


def read_rows(path: Path) -> list[Row]:
    """Rows with their spreadsheet row numbers. The header is checked before anything else is read;
    formula cells, oversized cells and files over the caps are reported, never guessed at."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".tsv", ".txt"):
        raise CorpusError(path, ["只支援 .csv、.tsv 或 .xlsx 檔"])
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CorpusError(path, [f"無法讀取檔案：{os_reason(exc)}"]) from None
    if size > MAX_FILE_BYTES:
        raise CorpusError(path, [f"檔案太大（{size / 1024 / 1024:.1f} MB），上限 {MAX_FILE_BYTES // 1024 // 1024} MB；請分成幾個檔案匯入"])
    lines = _xlsx_lines(path) if suffix == ".xlsx" else _text_lines(path, "\t" if suffix != ".csv" else ",")
    header: list[str] | None = None
    rows: list[Row] = []
    problems: list[str] = []
    for number, cells in lines:
        values = [v for v, _ in cells]
        if not any(v.strip() for v in values):
            continue
        if header is None:
            header = [v.strip() for v in values]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise CorpusError(path, [f"第 {number} 列（標題列）缺少欄位：{'、'.join(missing)}"])
            continue
        if len(rows) >= MAX_ROWS:
            raise CorpusError(path, [f"資料列超過 {MAX_ROWS:,} 列；請分成幾個檔案匯入"])
        row = {}
        for i, name in enumerate(header):
            value, formula = cells[i] if i < len(cells) else ("", False)
            if formula:
                problems.append(f"第 {number} 列 欄位 {name}：這一格是公式（{value[:40]}），請貼上值，不要用公式")
                value = ""
            elif len(value) > MAX_CELL_CHARS:
                problems.append(f"第 {number} 列 欄位 {name}：內容太長（{len(value):,} 字，上限 {MAX_CELL_CHARS:,} 字）")
                value = ""
            row[name] = value.strip()
        rows.append((number, row))
    if header is None:
        raise CorpusError(path, ["檔案是空的"])
    if problems:
        raise CorpusError(path, problems)
    return rows


def _text_lines(path: Path, delimiter: str):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(path, [f"無法讀取檔案（請存成 UTF-8）：{os_reason(exc)}"]) from None
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    number = 0  # a record is one spreadsheet row, even when a cell spans several lines
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [(cell, False) for cell in cells]
    except csv.Error as exc:
        raise CorpusError(path, [f"第 {number + 1} 列：無法讀取（{_csv_reason(exc)}）"]) from None


def _csv_reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"有一格超過 {csv.field_size_limit():,} 字，上限 {MAX_CELL_CHARS:,} 字"
    return "引號或分隔符號不成對"


def _xlsx_lines(path: Path):
    """Cells as (text, is_formula), streamed row by row (read-only): the header comes first."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise CorpusError(path, [f"無法讀取 Excel 檔：{os_reason(exc) if isinstance(exc, OSError) else '不是有效的 .xlsx 檔'}"]) from None
    if expanded > MAX_XLSX_EXPANDED:
        raise CorpusError(path, [f"Excel 檔解壓後超過 {MAX_XLSX_EXPANDED // 1024 // 1024} MB，請只保留課綱的工作表與欄位"])
    try:
        # data_only=False: a formula comes back as its text, so it can be reported instead of read as empty.
        sheet = load_workbook(path, read_only=True, data_only=False).active
        for number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
            yield number, [_xlsx_cell(cell) for cell in row]
    except CorpusError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise CorpusError(path, [f"無法讀取 Excel 檔：{os_reason(exc) if isinstance(exc, OSError) else type(exc).__name__}"]) from None


def _xlsx_cell(cell) -> tuple[str, bool]:
    value = getattr(cell, "value", None)
    if value is None:
        return "", False
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=") and len(value) > 1):
        return str(value), True
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), False
    return str(value), False


def _items(cell: str, methods: bool = False) -> list[str]:
    """Cell text to a list: one item a line; methods may also be split by 、 or spaces."""
    pattern = r"[\n；;]+|、|\s{1,}(?![(（])" if methods else r"[\n；;]+"
    items = [re.sub(r"^(\d+\.|[•\-*])\s*", "", part).strip() for part in re.split(pattern, cell)]
    return [item for item in items if item]


def _codes(cell: str) -> list[str]:
    """Course codes separated by 、 ， ; spaces or lines (never read as a numbered list: 「4.1.1」 stays whole)."""
    return [code for code in re.split(r"[\s、,，；;]+", cell) if code]


def _path_pairs(cell: str) -> list[tuple[str, str]]:
    pairs = []
    for item in _items(cell.replace("、", "；")):
        role, _, stage = item.partition("/")
        pairs.append((role.strip(), stage.strip()))
    return pairs


# Course fields as the trainer's column headers (messages name what they see).
FIELD_HEADERS = {
    "code": "課程名稱（代碼）",
    "name": "課程名稱",
    "module": "課程模組",
    "unit_code": "課程單元",
    "unit_name": "課程單元",
    "level": "等級",
    "hours": "時數",
    "goals": "訓練目標",
    "outline": "課程大綱/內容",
    "methods": "教學方法",
    "replaces": "取代課程",
    "notes": "備註",
}
# NUL and other controls, zero-width characters, bidirectional overrides and isolates.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def _cell_problems(where: str, row: dict[str, str]) -> list[str]:
    problems = []
    for header, value in row.items():
        bad = _INVISIBLE.search(value)
        if bad:
            problems.append(f"{where} 欄位 {header}：含有看不見的字元或控制字元（U+{ord(bad.group()):04X}），請刪除後再匯入")
        elif _HTML.search(value):
            problems.append(f"{where} 欄位 {header}：含有 HTML 標籤（{_HTML.search(value).group()[:30]}），請只寫文字")
    return problems


def _describe_course_error(exc: ValidationError) -> list[str]:
    lines = []
    for item in exc.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        message = ERROR_MESSAGES.get(item["type"]) or str(item.get("ctx", {}).get("error", item["msg"]))
        lines.append(f"欄位 {FIELD_HEADERS.get(field, field)}：{message}")
    return lines


def _row_codes(rows: list[Row]) -> dict[str, int]:
    """Each course code the file lists → its spreadsheet row (a row without a course name is its unit's course)."""
    codes: dict[str, int] = {}
    unit_cell = ""
    for number, row in rows:
        unit_cell = row.get("課程單元", "") or unit_cell
        match = _CODED.match(row.get("課程名稱", "")) or _CODED.match(unit_cell)
        if match:
            codes.setdefault(match.group(1), number)
    return codes


REMOVED_HINT = "以此檔取代整份課綱時，檔案中沒有的課程會移除"


def rows_to_courses(
    path: Path, rows: list[Row], curriculum: Curriculum | None = None, replace: bool = False
) -> tuple[list[Course], dict[str, list[tuple[str, str]]], list[str]]:
    """Courses, the role paths each row asks for, and every problem in one pass, by spreadsheet row.

    With the current curriculum, checks that need other rows or the corpus (module, role and
    stage names, replaced courses, a path for each new course) are made here too, with the row.
    In replace mode a replaced course must be in the file itself (the others are removed)."""
    courses, paths, problems = [], {}, []
    module_cell = unit_cell = ""
    known_codes = {c.code for c in curriculum.courses} if curriculum and not replace else set()
    all_codes = known_codes | set(_row_codes(rows))  # once, not per row: a 10,000-row file stays linear
    for number, row in rows:
        cell_problems = _cell_problems(f"第 {number} 列", row)
        if cell_problems:
            problems += cell_problems
            continue
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
            "replaces": _codes(row.get("取代課程", "")),
            "notes": _items(row.get("備註", "")),
        }
        pairs = _path_pairs(row.get("學習路徑", ""))
        if any(not role or not stage for role, stage in pairs):
            problems.append(f"{where}（代碼 {code}）欄位 學習路徑：請寫成「角色/階段」，例如「會開發/實作」")
            continue
        paths[code] = pairs
        try:
            course = Course.model_validate(data)
        except ValidationError as exc:
            for line in _describe_course_error(exc):
                problems.append(f"{where}（代碼 {code}）{line}")
            continue
        if curriculum is not None:
            problems += _corpus_problems(f"{where}（代碼 {code}）", course, pairs, curriculum, all_codes, replace)
        courses.append(course)
    return courses, paths, problems


def _corpus_problems(
    where: str, course: Course, pairs: list[tuple[str, str]], curriculum: Curriculum, codes: set[str], replace: bool = False
) -> list[str]:
    problems = []
    if curriculum.module(course.module) is None:
        numbers = "、".join(str(m.number) for m in curriculum.modules)
        problems.append(f"{where} 欄位 課程模組：沒有模組 {course.module}（目前有模組 {numbers}）")
    roles = {r.name for r in curriculum.roles}
    stages = {s.name for s in curriculum.stages}
    for role, stage in pairs:
        if role not in roles:
            problems.append(f"{where} 欄位 學習路徑：沒有「{role}」這個角色（可用：{'、'.join(sorted(roles))}）")
        if stage not in stages:
            problems.append(f"{where} 欄位 學習路徑：沒有「{stage}」這個階段（可用：{'、'.join(s.name for s in curriculum.stages)}）")
    missing = [code for code in course.replaces if code not in codes]
    if missing:
        removed = replace and any(curriculum.course(code) for code in missing)
        hint = f"（{REMOVED_HINT}；要保留整併請把這些課也列在檔案中）" if removed else ""
        problems.append(f"{where} 欄位 取代課程：找不到課程 {'、'.join(missing)}{hint}")
    if curriculum.course(course.code) is None and not pairs:
        problems.append(f"{where} 欄位 學習路徑：新課程至少要列在一個角色的路徑，例如「能應用/實作」")
    return problems


def merge(
    curriculum: Curriculum,
    incoming: list[Course],
    paths: dict[str, list[tuple[str, str]]],
    replace: bool = False,
    as_written: frozenset[str] = frozenset(),
) -> tuple[dict, ImportResult]:
    """New curriculum data with incoming courses added (in code order) or updated in place.

    With `replace`, courses not in `incoming` are removed, and taken off the role paths;
    `as_written` names the fields (replaces, notes) the file gives as the whole truth."""
    current = {c.code: c for c in curriculum.courses}
    added, updated, unchanged = [], [], []
    incoming_codes = {c.code for c in incoming}
    removed = [c.code for c in curriculum.courses if c.code not in incoming_codes] if replace else []
    courses = [c for c in curriculum.courses if c.code in incoming_codes] if replace else list(curriculum.courses)
    position = {c.code: i for i, c in enumerate(courses)}  # linear: no list search per row
    for course in incoming:
        old = current.get(course.code)
        if old is None:
            position[course.code] = len(courses)
            courses.append(course)
            added.append(course.code)
            continue
        # A spreadsheet may have no place for notes or replaces: keep the curated ones unless given
        # (or, replacing the whole syllabus with a file that has the column, as written there).
        new = course.model_copy(
            update={
                "replaces": course.replaces if "replaces" in as_written else course.replaces or old.replaces,
                "notes": course.notes if "notes" in as_written else course.notes or old.notes,
            }
        )
        if new == old:
            unchanged.append(course.code)
        else:
            courses[position[course.code]] = new
            updated.append(course.code)
    courses.sort(key=lambda c: [int(part) for part in c.code.split(".")])
    data = curriculum.model_dump(mode="json")
    data["courses"] = [c.model_dump(mode="json") for c in courses]
    role_paths = data["role_paths"]["paths"]
    dropped: list[PathDrop] = []
    if removed:
        gone = set(removed)
        for role, stages in role_paths.items():
            for stage, stage_codes in stages.items():
                dropped += [PathDrop(code=code, role=role, stage=stage) for code in stage_codes if code in gone]
                stages[stage] = [code for code in stage_codes if code not in gone]
    listed: dict[tuple[str, str], set[str]] = {}
    for code, pairs in paths.items():
        for role, stage in pairs:
            stage_codes = role_paths.setdefault(role, {}).setdefault(stage, [])
            if (role, stage) not in listed:
                listed[(role, stage)] = set(stage_codes)
            seen = listed[(role, stage)]
            if code not in seen:
                stage_codes.append(code)
                seen.add(code)
    result = ImportResult(added=added, updated=updated, unchanged=unchanged, written=False, removed=removed, dropped_from_paths=dropped)
    return data, result


def prepare_import(source: Path, curriculum: Curriculum, replace: bool = False) -> tuple[Curriculum, ImportResult]:
    """The curriculum with the file's courses merged in (or, with `replace`, the file as the whole
    syllabus), checked whole; CorpusError lists every problem."""
    rows = read_rows(source)
    courses, paths, problems = rows_to_courses(source, rows, curriculum, replace=replace)
    seen: dict[str, int] = {}
    for course in courses:
        seen[course.code] = seen.get(course.code, 0) + 1
    problems += [f"課程代碼 {code} 在檔案中出現 {n} 次" for code, n in seen.items() if n > 1]
    if replace and not rows:
        problems.append(f"檔案中沒有任何課程；{REMOVED_HINT}，這樣會移除全部 {len(curriculum.courses)} 門課")
    if problems:
        raise CorpusError(source, problems)
    header = set(rows[0][1]) if rows else set()
    as_written = frozenset(f for f, column in (("replaces", "取代課程"), ("notes", "備註")) if replace and column in header)
    data, result = merge(curriculum, courses, paths, replace=replace, as_written=as_written)
    if replace:
        problems = _replace_problems(curriculum, data, result, _row_codes(rows), "取代課程" in header)
        if problems:
            raise CorpusError(source, problems)
    return parse_curriculum(data, source), result  # cross-row checks: modules, replaces, paths


def _replace_problems(
    old: Curriculum, data: dict, result: ImportResult, rows: dict[str, int], has_replaces_column: bool
) -> list[str]:
    """What removing courses would break, said at the row of the course it affects: a consolidation
    kept from the current syllabus that names a removed course, and a course left on no role path."""
    removed = set(result.removed)
    courses = data["courses"]
    problems = []
    for course in courses:
        gone = [code for code in course["replaces"] if code in removed]
        if gone:  # kept from the current syllabus (a 取代課程 cell in the file was checked with its row)
            names = "、".join(gone)
            fix = "在「取代課程」欄寫出它實際整併的課程" if has_replaces_column else "在檔案加上「取代課程」欄，寫出它實際整併的課程"
            problems.append(
                f"第 {rows.get(course['code'], '?')} 列（代碼 {course['code']}） 欄位 取代課程：這門課整併了 {names}，"
                f"但檔案中沒有 {names}（{REMOVED_HINT}）；請把 {names} 加回檔案，或{fix}（留空表示沒有整併）"
            )
    reachable = {code for stages in data["role_paths"]["paths"].values() for codes in stages.values() for code in codes}
    for course in courses:
        if course["code"] in reachable:
            reachable.update(course["replaces"])
    for course in courses:
        code = course["code"]
        if code in reachable:
            continue
        holder = old.replaced_by(code)
        why = f"（它原本經由 {holder.code} 的整併列在學習路徑中）" if holder else ""
        problems.append(
            f"第 {rows.get(code, '?')} 列（代碼 {code}） 欄位 學習路徑：沒有任何角色的學習路徑包含這門課{why}；"
            "請在「學習路徑」欄填寫，例如「能應用/實作」"
        )
    return problems


SYLLABUS_HEADER = [*COLUMNS, *OPTIONAL]


def syllabus_rows(curriculum: Curriculum) -> list[list[str | int]]:
    """The whole syllabus in the import's columns (one row per course): exported, edited and imported
    again with `--replace`, it is the same syllabus (tests/test_import.py)."""
    listed: dict[str, list[str]] = {}
    for role, stages in curriculum.role_paths.paths.items():
        for stage, codes in stages.items():
            for code in codes:
                listed.setdefault(code, []).append(f"{role}/{stage}")
    rows = []
    for course in curriculum.courses:
        module = curriculum.module(course.module)
        rows.append(
            [
                f"模組{course.module}：{module.name}" if module else f"模組{course.module}",
                f"{course.unit_code} {course.unit_name}",
                f"{course.code} {course.name}",
                course.hours,
                "\n".join(course.goals),
                "\n".join(course.outline),
                "、".join(course.methods),
                course.level or "",
                "、".join(course.replaces),
                "\n".join(course.notes),
                "；".join(listed.get(course.code, [])),
            ]
        )
    return rows


def import_file(source: Path, corpus_file: Path, dry_run: bool = False, replace: bool = False) -> ImportResult:
    """Validate everything first; write only when every row and the result are good."""
    new, result = prepare_import(source, load_curriculum(corpus_file), replace=replace)
    if not dry_run and (result.added or result.updated or result.removed):
        try:
            write_atomically(corpus_file, dump_curriculum(new))
        except OSError as exc:
            reason = "磁碟空間不足" if exc.errno == 28 else os_reason(exc)
            raise CorpusError(corpus_file, [f"無法寫入課綱檔案（{reason}），檔案沒有變更；請清出空間或檢查權限後再匯入"]) from None
        result.written = True
    return result
