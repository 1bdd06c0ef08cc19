"""`python -m assistant ask --json`: exactly one JSON object on stdout, in the documented shape."""

import json
import os
import subprocess
import sys

import pytest

from corpus.settings import REPO_ROOT

KEYS = {"question", "answer", "citations", "total_hours", "role", "refused", "sources"}


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
        input=stdin,
    )


def check_contract(obj):
    assert set(obj) == KEYS
    assert isinstance(obj["question"], str) and isinstance(obj["answer"], str)
    assert isinstance(obj["refused"], bool)
    for source in obj["sources"]:  # framework sections quoted (additive field)
        assert set(source) == {"id", "title"} and all(isinstance(v, str) for v in source.values())
    assert obj["total_hours"] is None or isinstance(obj["total_hours"], int)
    assert obj["role"] in (None, "有規劃", "能應用", "會開發")
    for citation in obj["citations"]:
        assert set(citation) == {"code", "name", "hours", "module"}
        assert isinstance(citation["code"], str) and isinstance(citation["name"], str)
        assert isinstance(citation["hours"], int) and isinstance(citation["module"], int)


def test_single_question_json(searcher):
    result = run("ask", "我是中階主管該上哪些課", "--json")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)  # the whole stdout is one JSON object
    check_contract(obj)
    assert obj["question"] == "我是中階主管該上哪些課"
    assert obj["role"] == "有規劃" and obj["total_hours"] == 158 and not obj["refused"]


def test_file_json_lines_each_answered_on_its_own(tmp_path, searcher):
    questions = ["3.1.4 幾小時", "今天天氣如何", "那進階的呢？", "9.9.9 是什麼課", "模組4總共幾小時"]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(questions) + "\n\n", encoding="utf-8")
    result = run("ask", "--file", str(path), "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(questions)
    objects = [json.loads(line) for line in lines]
    for obj, question in zip(objects, questions):
        check_contract(obj)
        assert obj["question"] == question
    assert objects[0]["citations"][0]["hours"] == 6
    assert all(obj["sources"] == [] for obj in objects)  # course questions never cite a section
    assert objects[1]["refused"] is True and objects[1]["citations"] == []
    assert objects[4]["total_hours"] == 36


def test_readable_output_and_bad_usage(searcher):
    result = run("ask", "3.1.4 教什麼")
    assert result.returncode == 0 and "委外AI系統規格制定與驗收實務" in result.stdout
    both = run("ask", "x", "--file", "missing.txt")
    assert both.returncode != 0 and "Traceback" not in both.stderr
    neither = run("ask")
    assert neither.returncode != 0 and "請給一個問題" in neither.stderr


@pytest.mark.parametrize("stdin", ["我是科員\n那進階的呢\n/exit\n"])
def test_terminal_chat_keeps_history(stdin, searcher):
    result = run("chat", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "能應用" in result.stdout and "進階階段" in result.stdout and "再見" in result.stdout


def test_document_question_json_names_its_source(searcher):
    result = run("ask", "這份課綱的聯絡窗口是誰", "--json")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    check_contract(obj)
    assert obj["sources"] == [{"id": "contact", "title": "聯絡窗口"}]
    assert obj["citations"] == [] and "thliu@moda.gov.tw" in obj["answer"]
