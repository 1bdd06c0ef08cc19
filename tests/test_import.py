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
