"""Spreadsheet exports that cannot run formulas (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets read a cell that begins with `=`, `+`, `-`, `@`,
a tab or a carriage return as a formula. Every CSV/XLSX export goes through here:
such text cells get a leading apostrophe (OWASP's advice), and XLSX cells are
always written as text. The stored data stays exactly as typed; only the file differs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """Numbers stay numbers; text that a spreadsheet would read as a formula gets a leading `'`."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    # Leading spaces do not stop every spreadsheet: look past them.
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(v) for v in row]


def csv_text(headers: Sequence[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(headers))
    for row in rows:
        writer.writerow(safe_row(row))
    return buffer.getvalue()


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Iterable[object]]) -> None:
    """UTF-8 with a BOM so that Excel opens the Chinese text correctly."""
    path.write_text(csv_text(headers, rows), encoding="utf-8-sig", newline="")


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Iterable[object]], title: str = "匯出") -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in [headers, *rows]:
        sheet.append([_text_cell(sheet, v) for v in row])
    workbook.save(path)


def _text_cell(sheet, value: object):
    """openpyxl stores a str beginning with `=` as a formula: force the text type."""
    from openpyxl.cell import WriteOnlyCell

    value = safe_cell(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Iterable[object]]) -> None:
    """CSV or XLSX by the file's suffix."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, headers, rows)
    else:
        write_csv(path, headers, rows)
