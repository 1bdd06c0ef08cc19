"""`python -m corpus import FILE`: trainers' spreadsheets add or update courses; errors leave the corpus untouched."""

import csv

from click.testing import CliRunner
from openpyxl import Workbook

from corpus import load_curriculum
from corpus.__main__ import cli

HEADER = ["課程模組", "課程單元", "課程名稱", "時數", "訓練目標", "課程大綱/內容", "教學方法", "學習路徑"]
NEW_ROW = [
    "模組8：用AI",
    "8.4 會議與簡報中的AI應用",
    "8.4.1 生成式AI會議紀錄整理",
    "6",
    "掌握以生成式AI整理會議紀錄",
    "語音轉文字\n重點摘要與待辦追蹤",
    "示範教學、實作練習",
    "能應用/實作",
]
UPDATE_ROW = [
    "模組3、能開發(基礎)",
    "3.1 AI/ML應用開發實務",
    "3.1.4 委外AI系統規格制定與驗收實務",
    "9",
    "建立AI模型測試與驗收基礎認知",
    "AI模型驗收與準測試概念導入\nAI專案驗收注意要點",
    "講授法 案例分析",
    "",
]


def _csv(path, rows, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def test_csv_adds_and_updates(tmp_path, corpus_copy):
    source = _csv(tmp_path / "syllabus.csv", [HEADER, NEW_ROW, UPDATE_ROW])
    result = CliRunner().invoke(cli, ["import", str(source)])
    assert result.exit_code == 0, result.output
    assert "新增 1 門、更新 1 門" in result.output
    curriculum = load_curriculum(corpus_copy)
    added = curriculum.course("8.4.1")
    assert added.hours == 6 and added.unit_name == "會議與簡報中的AI應用"
    assert added.outline == ["語音轉文字", "重點摘要與待辦追蹤"]
    assert added.methods == ["示範教學", "實作練習"]
    assert "8.4.1" in curriculum.role_paths.paths["能應用"]["實作"]
    updated = curriculum.course("3.1.4")
    assert updated.hours == 9 and updated.level == "基礎"
    assert updated.methods == ["講授法", "案例分析"]
    assert len(curriculum.courses) == 42


def test_tsv_and_xlsx(tmp_path, corpus_copy):
    tsv = _csv(tmp_path / "syllabus.tsv", [HEADER, UPDATE_ROW], delimiter="\t")
    assert CliRunner().invoke(cli, ["import", str(tsv)]).exit_code == 0
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(NEW_ROW)
    book.save(tmp_path / "syllabus.xlsx")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "syllabus.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_curriculum(corpus_copy).course("8.4.1").hours == 6


def test_unchanged_rows_write_nothing(tmp_path, corpus_copy):
    before = corpus_copy.stat().st_mtime_ns
    row = ["模組1、 學AI", "1.1 AI素養與倫理", "1.1.1 AI素養與倫理", "6"]
    course = load_curriculum(corpus_copy).course("1.1.1")
    row += ["\n".join(course.goals), "\n".join(course.outline), "\n".join(course.methods), ""]
    result = CliRunner().invoke(cli, ["import", str(_csv(tmp_path / "same.csv", [HEADER, row]))])
    assert result.exit_code == 0 and "未變動 1 門" in result.output
    assert corpus_copy.stat().st_mtime_ns == before


def test_any_bad_row_leaves_corpus_untouched_and_names_each_row(tmp_path, corpus_copy):
    before = corpus_copy.read_bytes()
    bad_hours = NEW_ROW[:3] + ["六小時"] + NEW_ROW[4:]
    negative = UPDATE_ROW[:3] + ["-6"] + UPDATE_ROW[4:]
    no_code = ["模組2、 會數據", "2.1資料科學基礎", "沒有代碼的課", "6", "x", "y", "z", ""]
    unknown_module = ["模組9：玩AI", "9.1 單元", "9.1.1 課", "6", "x", "y", "z", "能應用/實作"]
    no_path = ["模組8：用AI", "8.5 新單元", "8.5.1 新課", "6", "x", "y", "z", ""]
    rows = [HEADER, NEW_ROW, bad_hours, negative, no_code, unknown_module, no_path]
    result = CliRunner().invoke(cli, ["import", str(_csv(tmp_path / "bad.csv", rows))])
    assert result.exit_code != 0
    assert "未做任何變更" in result.output
    assert "第 3 列" in result.output and "時數" in result.output
    assert "第 4 列" in result.output
    assert "第 5 列" in result.output and "課程名稱" in result.output
    assert "Traceback" not in result.output
    assert corpus_copy.read_bytes() == before


def test_cross_row_errors_also_leave_corpus_untouched(tmp_path, corpus_copy):
    before = corpus_copy.read_bytes()
    unknown_module = ["模組9：玩AI", "9.1 單元", "9.1.1 課", "6", "x", "y", "z", "能應用/實作"]
    result = CliRunner().invoke(cli, ["import", str(_csv(tmp_path / "m9.csv", [HEADER, unknown_module]))])
    assert result.exit_code != 0 and "沒有模組 9" in result.output
    no_path = ["模組8：用AI", "8.5 新單元", "8.5.1 新課", "6", "x", "y", "z", ""]
    result = CliRunner().invoke(cli, ["import", str(_csv(tmp_path / "np.csv", [HEADER, no_path]))])
    assert result.exit_code != 0 and "學習路徑" in result.output
    assert corpus_copy.read_bytes() == before


def test_missing_columns_and_wrong_type(tmp_path, corpus_copy):
    result = CliRunner().invoke(cli, ["import", str(_csv(tmp_path / "h.csv", [["課程名稱", "時數"], ["1.1.1 x", "6"]]))])
    assert result.exit_code != 0 and "缺少欄位" in result.output
    other = tmp_path / "notes.docx"
    other.write_text("x")
    result = CliRunner().invoke(cli, ["import", str(other)])
    assert result.exit_code != 0 and ".xlsx" in result.output


def test_duplicate_codes_in_file(tmp_path, corpus_copy):
    result = CliRunner().invoke(cli, ["import", str(_csv(tmp_path / "d.csv", [HEADER, NEW_ROW, NEW_ROW]))])
    assert result.exit_code != 0 and "8.4.1" in result.output and "2 次" in result.output


# ---------------------------------------------------------------- replace mode: the file is the whole syllabus
def _exported(tmp_path, suffix=".csv", drop=(), edit=None):
    """`python -m corpus export` of the current syllabus, read back as rows (header first), minus `drop`."""
    path = tmp_path / f"whole{suffix}"
    result = CliRunner().invoke(cli, ["export", str(path)])
    assert result.exit_code == 0 and "已匯出 41 門課" in result.output, result.output
    if suffix != ".csv":
        return path
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = [rows[0]] + [r for r in rows[1:] if r[2].split()[0] not in drop]
    if edit:
        edit(rows)
    return _csv(tmp_path / "edited.csv", rows)


def test_export_then_replace_import_changes_nothing(tmp_path, corpus_copy):
    """The export carries every field (取代課程 too: 「4.1.1、4.1.2、4.1.3」 is read as three codes)."""
    before = load_curriculum(corpus_copy)
    for suffix in (".csv", ".xlsx"):
        result = CliRunner().invoke(cli, ["import", "--replace", "--dry-run", str(_exported(tmp_path, suffix))])
        assert result.exit_code == 0, result.output
        assert "新增 0 門、更新 0 門、未變動 41 門、移除 0 門" in result.output, result.output
    result = CliRunner().invoke(cli, ["import", "--replace", str(_exported(tmp_path))])
    after = load_curriculum(corpus_copy)
    assert after.course_map == before.course_map and after.role_paths == before.role_paths


def test_replace_removes_courses_missing_from_the_file_and_their_path_places(tmp_path, corpus_copy):
    source = _exported(tmp_path, drop={"3.3.1", "8.3.1"})
    result = CliRunner().invoke(cli, ["import", "--replace", str(source)])
    assert result.exit_code == 0, result.output
    assert "移除 2 門" in result.output and "移除：3.3.1、8.3.1" in result.output
    assert "8.3.1 也從學習路徑移除：有規劃 實作、能應用 進階" in result.output
    curriculum = load_curriculum(corpus_copy)
    assert len(curriculum.courses) == 39 and curriculum.course("3.3.1") is None
    assert all("8.3.1" not in codes for stages in curriculum.role_paths.paths.values() for codes in stages.values())
    assert curriculum.course("4.1.4").replaces == ["4.1.1", "4.1.2", "4.1.3"]


def test_merge_mode_never_removes(tmp_path, corpus_copy):
    result = CliRunner().invoke(cli, ["import", str(_exported(tmp_path, drop={"3.3.1"}))])
    assert result.exit_code == 0 and "移除" not in result.output
    assert load_curriculum(corpus_copy).course("3.3.1") is not None


def test_replace_refuses_what_removing_would_break_with_the_row(tmp_path, corpus_copy):
    before = corpus_copy.read_bytes()
    # 4.1.4 names 4.1.1 in its 取代課程 cell, but the file has no 4.1.1 (row 18 is 4.1.4: 4.1.1 is gone above it).
    result = CliRunner().invoke(cli, ["import", "--replace", str(_exported(tmp_path, drop={"4.1.1"}))])
    assert result.exit_code != 0 and "未做任何變更" in result.output
    assert "第 17 列（代碼 4.1.4） 欄位 取代課程：找不到課程 4.1.1（以此檔取代整份課綱時，檔案中沒有的課程會移除" in result.output, result.output

    def no_replaces_column(rows):  # the consolidation then comes from the current syllabus
        at = rows[0].index("取代課程")
        for row in rows:
            del row[at]

    result = CliRunner().invoke(cli, ["import", "--replace", str(_exported(tmp_path, drop={"4.1.1"}, edit=no_replaces_column))])
    assert result.exit_code != 0
    assert "第 17 列（代碼 4.1.4） 欄位 取代課程：這門課整併了 4.1.1，但檔案中沒有 4.1.1" in result.output, result.output
    # Without 4.1.4, nothing puts 4.1.1–4.1.3 on a role path any more.
    result = CliRunner().invoke(cli, ["import", "--replace", str(_exported(tmp_path, drop={"4.1.4"}))])
    assert result.exit_code != 0
    assert "第 15 列（代碼 4.1.1） 欄位 學習路徑：沒有任何角色的學習路徑包含這門課（它原本經由 4.1.4 的整併列在學習路徑中）" in result.output, result.output
    result = CliRunner().invoke(cli, ["import", "--replace", str(_csv(tmp_path / "empty.csv", [HEADER]))])
    assert result.exit_code != 0 and "檔案中沒有任何課程" in result.output and "41 門課" in result.output
    assert "Traceback" not in result.output
    assert corpus_copy.read_bytes() == before
