"""Issue 15.8 and 15.9: spreadsheet imports never guess. Formula cells, oversized cells and files,
invisible characters and HTML are reported by spreadsheet row and column header, all in one pass."""

import csv
import time

from click.testing import CliRunner
from openpyxl import Workbook

from corpus import importer
from corpus.__main__ import cli

HEADER = ["課程模組", "課程單元", "課程名稱", "時數", "訓練目標", "課程大綱/內容", "教學方法", "學習路徑"]
GOOD = ["模組8：用AI", "8.4 會議與簡報中的AI應用", "8.4.1 生成式AI會議紀錄整理", "6", "目標", "大綱", "示範教學", "能應用/實作"]


def _import(path, *extra):
    return CliRunner().invoke(cli, ["import", str(path), *extra])


def _csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_xlsx_formula_cells_are_reported_never_imported(tmp_path, corpus_copy):
    before = corpus_copy.read_bytes()
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(GOOD[:2] + ['=B2&" 課"', "=2*3"] + GOOD[4:])  # formulas without cached values
    book.save(tmp_path / "formulas.xlsx")
    result = _import(tmp_path / "formulas.xlsx")
    assert result.exit_code != 0, result.output
    assert "第 2 列 欄位 課程名稱" in result.output and "第 2 列 欄位 時數" in result.output
    assert "請貼上值，不要用公式" in result.output and "讀到「」" not in result.output
    assert corpus_copy.read_bytes() == before


def test_huge_csv_cell_gives_a_zh_tw_message(tmp_path, corpus_copy):
    path = _csv(tmp_path / "huge.csv", [HEADER, GOOD[:4] + ["長" * 140_000] + GOOD[5:]])
    result = _import(path)
    assert result.exit_code != 0 and "Traceback" not in result.output and "field larger" not in result.output
    assert "第 2 列" in result.output and "上限" in result.output
    path = _csv(tmp_path / "long.csv", [HEADER, GOOD[:4] + ["長" * 20_000] + GOOD[5:]])
    result = _import(path)
    assert "第 2 列 欄位 訓練目標：內容太長" in result.output


def test_caps_on_rows_and_expanded_xlsx(tmp_path, corpus_copy, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    rows = [HEADER] + [GOOD[:2] + [f"8.4.{i} 課{i}"] + GOOD[3:] for i in range(1, 6)]
    result = _import(_csv(tmp_path / "many.csv", rows))
    assert result.exit_code != 0 and "資料列超過 3 列" in result.output
    monkeypatch.setattr(importer, "MAX_XLSX_EXPANDED", 1000)
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(GOOD)
    book.save(tmp_path / "big.xlsx")
    result = _import(tmp_path / "big.xlsx")
    assert result.exit_code != 0 and "解壓後超過" in result.output


def test_header_is_checked_before_the_rows_are_read(tmp_path, corpus_copy, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("rows were read before the header was checked")

    path = _csv(tmp_path / "bad-header.csv", [["代碼", "名稱"]] + [["x", "y"]] * 10)
    monkeypatch.setattr(importer, "_cell_problems", boom)
    result = _import(path)
    assert result.exit_code != 0 and "缺少欄位" in result.output


def test_invisible_characters_and_html_are_rejected_with_the_cell(tmp_path, corpus_copy):
    rows = [
        HEADER,
        GOOD[:2] + ["8.4.1 生成式\u200bAI會議"] + GOOD[3:],
        GOOD[:2] + ["8.4.2 \u202e反轉的課名"] + GOOD[3:],
        GOOD[:2] + ["8.4.3 有\x00NUL"] + GOOD[3:],
        GOOD[:2] + ["8.4.4 <b>粗體</b>課"] + GOOD[3:],
    ]
    result = _import(_csv(tmp_path / "hidden.csv", rows))
    assert result.exit_code != 0
    for number, hint in ((2, "U+200B"), (3, "U+202E"), (4, "U+0000"), (5, "HTML")):
        assert f"第 {number} 列 欄位 課程名稱" in result.output and hint in result.output


def test_all_errors_in_one_pass_with_row_numbers_and_column_headers(tmp_path, corpus_copy):
    rows = [
        HEADER,
        GOOD[:3] + ["六"] + GOOD[4:],  # row 2: per-row error
        ["模組9：玩AI", "9.1 單元", "9.1.1 課", "6", "x", "y", "z", "能應用/實作"],  # row 3: unknown module
        GOOD[:2] + ["8.4.5 新課", "6", "x", "y", "z", "主任/實作"],  # row 4: unknown role
        GOOD[:2] + ["8.4.6 沒有路徑", "6", "x", "y", "z", ""],  # row 5: a new course in no path
        GOOD[:2] + ["8.4.7 大課", "2000", "x", "y", "z", "能應用/實作"],  # row 6: hours too large
    ]
    result = _import(_csv(tmp_path / "mixed.csv", rows))
    assert result.exit_code != 0
    output = result.output
    assert "第 2 列" in output and "第 3 列" in output and "沒有模組 9" in output
    assert "第 4 列" in output and "沒有「主任」這個角色" in output
    assert "第 5 列" in output and "新課程至少要列在一個角色的路徑" in output
    assert "第 6 列（代碼 8.4.7）欄位 時數" in output
    assert "hours" not in output and "unit_name" not in output


def test_merge_is_linear(curriculum):
    """Many new rows used to spend most of a dry run in a list-membership check per row."""
    template = curriculum.course("8.1.1")
    incoming = [template.model_copy(update={"code": f"8.{4 + i // 9000}.{i % 9000 + 1}"}) for i in range(30_000)]
    paths = {c.code: [("能應用", "實作")] for c in incoming}
    started = time.perf_counter()
    data, result = importer.merge(curriculum, incoming, paths)
    elapsed = time.perf_counter() - started
    assert len(result.added) == 30_000 and len(data["role_paths"]["paths"]["能應用"]["實作"]) >= 30_000
    assert elapsed < 3, f"merge took {elapsed:.1f} s"
