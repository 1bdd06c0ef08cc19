"""Issue 15.1: no CSV/XLSX export can carry a formula (OWASP CSV injection); stored text stays as typed."""

import csv
import io
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from assistant import catalog, planner
from assistant.feedback import FeedbackStore
from storage import Database
from corpus.exports import safe_cell
from corpus.models import Curriculum
from corpus.settings import REPO_ROOT

ATTACKS = [
    "=HYPERLINK(\"http://evil.example\",\"點我\")",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_safe_cell_neutralizes_formula_starts(text):
    assert safe_cell(text) == "'" + text


def test_safe_cell_keeps_ordinary_values():
    assert safe_cell("3.1.4 委外AI系統") == "3.1.4 委外AI系統"
    assert safe_cell(-6) == -6 and safe_cell(6) == 6 and safe_cell(None) is None


def _cells_start_with_formula(rows):
    return [cell for row in rows for cell in row if isinstance(cell, str) and cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_feedback_export_has_no_formula_cells(tmp_path, suffix):
    store = FeedbackStore(Database.in_data_dir(tmp_path))
    for attack in ATTACKS:
        store.add({"question": attack, "answer": attack, "citations": []}, liked=True, comment=attack)
    assert [r.comment for r in store.rows()] == [a.strip() for a in ATTACKS]  # stored as typed
    target = tmp_path / f"out{suffix}"
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "feedback", "export", str(target)],
        cwd=REPO_ROOT,
        env={**os.environ, "ADVISOR_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
    else:
        sheet = load_workbook(target).active  # not data_only: formulas would come back as "=..."
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert _cells_start_with_formula(rows) == []
    questions = [row[3] for row in rows[1:]]
    assert questions[0] == "'" + ATTACKS[0]


def test_planner_and_catalog_csv_have_no_formula_cells(curriculum):
    data = curriculum.model_dump(mode="json")
    data["courses"][0]["name"] = "=HYPERLINK(\"http://evil.example\")"
    evil = Curriculum.model_validate(data)
    view = planner.make_plan(evil, planner.PlanRequest(role="能應用"))
    assert any(r.name.startswith("=") for r in view.rows)
    rows = list(csv.reader(io.StringIO(planner.plan_csv(view))))
    assert _cells_start_with_formula(rows) == []
    rows = list(csv.reader(io.StringIO(catalog.catalog_csv(evil, evil.courses))))
    assert _cells_start_with_formula(rows) == [] and rows[1][1].startswith("'=")
