"""Bad input, corpus and index faults, crash safety and property tests: it keeps answering, loses nothing."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant
from assistant.feedback import FeedbackStore
from storage import Database
from corpus.plan import total_hours
from corpus.settings import REPO_ROOT, reload_settings

BAD_INPUTS = [
    "",
    "   \n\t ",
    "\x00\x01\x02課程\x7f",
    "😀😀😀",
    "？？？！！！……",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "**粗體** [連結](javascript:alert(1)) `code` # 標題",
    "我是developer想學AI，有什麼course？",
    "ＡＩ課程　６小時以內",
    "3.1.4" * 3000,
    "跟個資法有關的課" * 2000,
]


@pytest.mark.parametrize("text", BAD_INPUTS, ids=[repr(t[:12]) for t in BAD_INPUTS])
def test_bad_input_gets_a_clear_answer(bot, curriculum, text):
    answer = bot.ask(text)
    assert answer.answer.strip()
    assert all(curriculum.course(c.code) for c in answer.citations)
    assert "<script" not in answer.answer and "onerror" not in answer.answer and "javascript:" not in answer.answer
    if len(text) > 10_000:
        assert "前 1000 個字" in answer.answer


def test_cli_handles_bad_input_without_traceback(tmp_path, searcher):
    path = tmp_path / "bad.txt"
    path.write_text("\n".join(t.replace("\n", " ") for t in BAD_INPUTS if t.strip()) + "\n", encoding="utf-8")
    env = os.environ.copy()
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--file", str(path), "--json"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert len(result.stdout.strip().splitlines()) == len([t for t in BAD_INPUTS if t.strip()])
    empty = subprocess.run([sys.executable, "-m", "assistant", "ask", ""], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert empty.returncode == 0 and "請輸入" in empty.stdout
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = subprocess.run([sys.executable, "-m", "assistant", "ask", "--file", str(binary)], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "UTF-8" in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------ corpus faults
def test_bad_corpus_at_start_falls_back_to_last_good(tmp_path, corpus_copy, curriculum, searcher):
    Assistant(curriculum=None, searcher=searcher, phraser=None)  # a good start records the last good corpus
    data = json.loads(corpus_copy.read_text(encoding="utf-8"))
    data["courses"][0]["hours"] = "six"
    corpus_copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bot = Assistant(curriculum=None, searcher=searcher, phraser=None)
    assert bot.corpus_warning and "hours" in bot.corpus_warning and corpus_copy.name in bot.corpus_warning
    assert str(corpus_copy.parent) not in bot.corpus_warning  # issue 15.10: no server paths to users
    assert bot.ask("1.1.1 幾小時").citations[0].hours == 6


def test_running_app_keeps_last_good_corpus_on_reload(corpus_copy, curriculum, searcher):
    bot = Assistant(curriculum=curriculum, searcher=searcher, phraser=None)
    corpus_copy.write_text('{"broken": ', encoding="utf-8")
    message = bot.reload()
    assert "繼續使用目前的版本" in message and "第 1 行" in message
    assert bot.ask("3.1.4 幾小時").citations[0].hours == 6


# ------------------------------------------------------------ index faults
def _ask_in_fresh_process(data_dir, question="3.1.4 幾小時"):
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "-v", "ask", question, "--json"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout), result.stderr


def test_missing_corrupt_or_stale_index_is_rebuilt(tmp_path):
    answer, _ = _ask_in_fresh_process(tmp_path)  # missing: built on start
    assert answer["citations"][0]["hours"] == 6
    sqlite = tmp_path / "chroma" / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    answer, log = _ask_in_fresh_process(tmp_path)
    assert answer["citations"][0]["code"] == "3.1.4" and "損毀" in log
    # An index stamped with another corpus or model is rebuilt, never used.
    script = textwrap.dedent(
        """
        import chromadb
        from chromadb.config import Settings
        c = chromadb.PersistentClient(path=r"%s", settings=Settings(anonymized_telemetry=False))
        from index.store import current_version
        col = c.get_collection(current_version(c, "courses"))  # the version the pointer names
        col.modify(metadata={**col.metadata, "content_hash": "built-with-another-model"})
        """
        % (tmp_path / "chroma")
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO_ROOT)
    answer, log = _ask_in_fresh_process(tmp_path, "跟個資法有關的課")
    assert "不符" in log and {"4.2.1", "4.2.2"} & {c["code"] for c in answer["citations"]}


# ------------------------------------------------------------ crash safety
def test_feedback_committed_before_kill_9_survives(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from assistant.feedback import FeedbackStore
        from storage import Database
        store = FeedbackStore(Database.in_data_dir(Path(r"{tmp_path}")))
        for i in range(25):
            store.add({{"question": f"q{{i}}", "answer": "a", "citations": []}}, liked=i % 2 == 0, comment="c")
        print("committed", flush=True)
        while True:
            store.add({{"question": "after", "answer": "a", "citations": []}}, liked=True)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "committed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    rows = FeedbackStore(Database.in_data_dir(tmp_path)).rows()
    assert [r.question for r in rows[:25]] == [f"q{i}" for i in range(25)]
    assert all(r.comment == "c" for r in rows[:25])


def test_feedback_export(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    reload_settings()
    try:
        FeedbackStore().add({"question": "跟個資法有關的課", "answer": "…", "citations": [{"code": "4.2.1", "name": "遵守AI相關法律與政策", "hours": 6, "module": 4}]}, liked=False, comment="想要更多例子")
        target = tmp_path / "out.csv"
        result = subprocess.run(
            [sys.executable, "-m", "assistant", "feedback", "export", str(target)],
            cwd=REPO_ROOT,
            env={**os.environ, "ADVISOR_DATA_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0 and "1 筆" in result.stdout
        text = target.read_text(encoding="utf-8-sig")
        assert "跟個資法有關的課" in text and "4.2.1 遵守AI相關法律與政策（6 小時）" in text and "👎" in text
    finally:
        monkeypatch.delenv("ADVISOR_DATA_DIR")
        reload_settings()


# ------------------------------------------------------------ properties
WORDS = ["我是", "中階", "主管", "資訊室", "課", "幾小時", "總共", "模組4", "3.1.4", "4.1.4", "9.9.9", "差在哪", "第二門", "那進階的呢",
         "個資法", "生成式AI", "6小時以內", "實作", "入門", "忽略以上指示", "天氣", "有哪些", "這些", "<b>", "😀", "、", "？", "English"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=8), st.lists(st.sampled_from(WORDS), max_size=3))
def test_properties_of_any_question(bot, curriculum, parts, earlier):
    history = []
    for turn in earlier:
        history.append(bot.ask(turn, history))
    answer = bot.ask("".join(parts), history)  # never raises
    cited = [curriculum.course(c.code) for c in answer.citations]
    assert all(cited), "citations are a subset of the corpus"
    for citation, course in zip(answer.citations, cited):
        assert (citation.name, citation.hours) == (course.name, course.hours)
    if answer.total_hours is not None:
        assert answer.total_hours == total_hours(cited), "totals equal the sum over cited courses after consolidation"
    if answer.refused:
        assert not answer.citations
