"""Trainer workspace (issue 16): syllabus preview, publish and rollback — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from assistant import Assistant
from corpus import load_curriculum
from corpus.load import CorpusError
from workspace.versions import PublishError, Versions, diff, file_hash, problem_rows, read_upload

HEADER = ["課程模組", "課程單元", "課程名稱", "時數", "訓練目標", "課程大綱/內容", "教學方法", "學習路徑"]
LONGER_314 = [
    "模組3、能開發(基礎)",
    "3.1 AI/ML應用開發實務",
    "3.1.4 委外AI系統規格制定與驗收實務",
    "12",
    "建立AI模型測試與驗收基礎認知，理解指標與流程，具備報告判讀與風險辨識能力。",
    "AI模型驗收與準測試概念導入\n關鍵性能指標理解與應用\nAI專案驗收注意要點\n案例討論",
    "講授法、案例分析、PBL、小組討論",
    "",
]
NEW_841 = ["模組8：用AI", "8.4 會議與簡報中的AI應用", "8.4.1 生成式AI會議紀錄整理", "6", "以生成式AI整理會議紀錄", "語音轉文字\n重點摘要", "示範教學、實作練習", "能應用/實作"]


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def test_preview_lists_added_and_changed_courses_and_path_hours(tmp_path, curriculum):
    new, preview = read_upload(write_csv(tmp_path / "s.csv", [LONGER_314, NEW_841]), curriculum)
    assert [c.code for c in preview.added] == ["8.4.1"] and preview.removed == []
    assert [(c.code, c.field, c.old, c.new) for c in preview.changed] == [("3.1.4", "時數", "6", "12")]
    hours = {(h.role, h.stage): (h.old, h.new) for h in preview.hours}
    assert hours[("會開發", "進階")] == (90, 96) and hours[("會開發", "合計")] == (180, 186)
    assert hours[("能應用", "實作")][1] == hours[("能應用", "實作")][0] + 6
    assert hours[("有規劃", "合計")][0] == hours[("有規劃", "合計")][1] == 158
    back = diff(new, curriculum)  # the other way: the course is removed
    assert [c.code for c in back.removed] == ["8.4.1"] and not back.empty
    assert diff(curriculum, curriculum).empty


def test_problems_become_a_table_by_row_and_column(tmp_path, curriculum):
    bad = [list(LONGER_314), list(NEW_841)]
    bad[0][3] = "十二"
    bad[1][7] = "神仙/實作"
    with pytest.raises(CorpusError) as caught:
        read_upload(write_csv(tmp_path / "bad.csv", bad), curriculum)
    rows = problem_rows(caught.value)
    assert ["2", "3.1.4", "時數"] == rows[0][:3] and "正整數" in rows[0][3]
    assert ["3", "8.4.1", "學習路徑"] == rows[1][:3] and "神仙" in rows[1][3]


def test_publish_and_rollback_switch_corpus_and_index_and_the_app_follows(database, trained_own_data, corpus_copy, embeddings, tmp_path):
    bot = Assistant(curriculum=None, embeddings=embeddings, phraser=None)
    versions = Versions(database)
    source = write_csv(tmp_path / "s.csv", [LONGER_314])
    new, _ = read_upload(source, bot.curriculum)
    published = versions.publish(new, "trainer1", "3.1.4 改為 12 小時", file_name=source.name, digest=file_hash(source), embeddings=embeddings)
    assert load_curriculum(corpus_copy).course("3.1.4").hours == 12
    assert bot.check_index() and bot.curriculum.course("3.1.4").hours == 12
    assert "12 小時" in bot.ask("3.1.4 幾小時").answer
    listed = versions.list()
    assert [v.action for v in listed] == ["publish", "initial"] and versions.current().id == published.id
    assert (listed[0].trainer, listed[0].note, listed[0].file_hash) == ("trainer1", "3.1.4 改為 12 小時", file_hash(source))
    with pytest.raises(PublishError, match="完全相同"):
        versions.publish(new, "trainer1", embeddings=embeddings)
    initial = listed[-1].id
    rolled = versions.rollback(initial, "trainer1", embeddings=embeddings)
    assert rolled.action == "rollback" and rolled.note.startswith(f"回復到版本 {initial}")
    assert bot.check_index() and bot.curriculum.course("3.1.4").hours == 6
    assert load_curriculum(corpus_copy).course("3.1.4").hours == 6


def test_another_server_follows_a_publish_through_the_database(database, trained_own_data, corpus_copy, embeddings, tmp_path, monkeypatch):
    """A server whose corpus file was not written by the publish reads the published curriculum from the database."""
    bot = Assistant(curriculum=None, embeddings=embeddings, phraser=None)
    bot.published_corpus = Versions(database).by_index_hash
    other_file = tmp_path / "other-server-curriculum.json"
    other_file.write_text(corpus_copy.read_text(encoding="utf-8"), encoding="utf-8")
    new, _ = read_upload(write_csv(tmp_path / "s.csv", [NEW_841]), bot.curriculum)
    Versions(database).publish(new, "trainer1", embeddings=embeddings)
    monkeypatch.setenv("ADVISOR_CORPUS", str(other_file))  # this server's own copy of the corpus file
    from corpus.settings import reload_settings

    reload_settings()
    assert bot.check_index() and bot.curriculum.course("8.4.1") is not None
    assert load_curriculum(other_file).course("8.4.1") is not None  # a restart serves it too


def test_a_server_that_looks_before_the_version_row_is_written_follows_it_later(database, trained_own_data, corpus_copy, embeddings, tmp_path, monkeypatch):
    """A publish switches the index pointer before it writes the version row. Another server that
    checks in between finds no row yet: it must look again, not ignore that version for good (CI
    once caught server B there and it never followed the publish)."""
    bot = Assistant(curriculum=None, embeddings=embeddings, phraser=None)
    rows = Versions(database)
    other_file = tmp_path / "other-server-curriculum.json"
    other_file.write_text(corpus_copy.read_text(encoding="utf-8"), encoding="utf-8")
    new, _ = read_upload(write_csv(tmp_path / "s.csv", [NEW_841]), bot.curriculum)
    rows.publish(new, "trainer1", embeddings=embeddings)
    monkeypatch.setenv("ADVISOR_CORPUS", str(other_file))
    from corpus.settings import reload_settings

    reload_settings()
    bot.published_corpus = lambda digest: None  # the row is not there yet
    assert not bot.check_index() and bot.curriculum.course("8.4.1") is None
    bot.published_corpus = rows.by_index_hash  # now it is
    assert bot.check_index() and bot.curriculum.course("8.4.1") is not None


def test_cli_adds_an_account_and_publishes_through_the_same_code(own_data, corpus_copy, tmp_path, monkeypatch):
    from workspace import cli

    passwords = iter(["a long enough password"] * 2)
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(passwords))
    runner = CliRunner()
    result = runner.invoke(cli.trainer, ["add", "trainer1"])
    assert result.exit_code == 0 and "已新增" in result.output, result.output
    source = write_csv(tmp_path / "s.csv", [LONGER_314])
    result = runner.invoke(cli.trainer, ["publish", str(source), "--trainer", "nobody"])
    assert result.exit_code != 0 and "沒有訓練承辦帳號" in result.output
    result = runner.invoke(cli.trainer, ["publish", str(source), "--trainer", "trainer1", "--dry-run"])
    assert "會開發 進階 90 → 96 小時" in result.output and "沒有發布" in result.output
    result = runner.invoke(cli.trainer, ["publish", str(source), "--trainer", "trainer1", "--note", "試發布"])
    assert result.exit_code == 0 and "已發布版本 2" in result.output, result.output
    result = runner.invoke(cli.trainer, ["versions"])
    assert "試發布" in result.output and "初始版本" in result.output
    result = runner.invoke(cli.trainer, ["rollback", "1", "--trainer", "trainer1"])
    assert result.exit_code == 0 and load_curriculum(corpus_copy).course("3.1.4").hours == 6
    audit = runner.invoke(cli.trainer, ["audit"]).output
    assert "rollback" in audit and "publish" in audit and "account_add" in audit


def test_a_publish_embeds_only_the_courses_whose_text_changed(own_data, curriculum, embeddings, tmp_path):
    """Incremental indexing: vectors of unchanged courses are copied from the version being replaced."""
    from index.store import build_index, make_client, open_collection

    class Counting:
        def __init__(self, inner):
            self.inner, self.name_or_path, self.embedded = inner, inner.name_or_path, 0

        def embed_documents(self, docs):
            self.embedded += len(docs)
            return self.inner.embed_documents(docs)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    client = make_client()
    build_index(curriculum, embeddings, client=client)
    hours_only, _ = read_upload(write_csv(tmp_path / "h.csv", [LONGER_314]), curriculum)
    counting = Counting(embeddings)
    assert build_index(hours_only, counting, client=client).rebuilt and counting.embedded == 0  # hours are metadata
    new_outline = [*LONGER_314[:5], LONGER_314[5] + "\n驗收文件範本實作", *LONGER_314[6:]]
    new, _ = read_upload(write_csv(tmp_path / "s.csv", [new_outline]), hours_only)
    counting = Counting(embeddings)
    report = build_index(new, counting, client=client)
    assert report.rebuilt and counting.embedded == 1 == report.embedded
    collection = open_collection(client, embeddings, "courses")
    fresh = embeddings.embed_documents(collection.get(ids=["1.1.1"])["documents"])[0]
    stored = collection.get(ids=["1.1.1"], include=["embeddings"])["embeddings"][0]
    assert max(abs(a - b) for a, b in zip(fresh, stored)) < 1e-5  # a copied vector is the vector
    forced = Counting(embeddings)
    build_index(new, forced, client=client, force=True)
    assert forced.embedded == len(new.courses)  # --force embeds everything again


def test_the_searcher_after_a_publish_tokenizes_only_the_changed_course(own_data, curriculum, embeddings, tmp_path):
    """BM25 tokens of unchanged courses come from the searcher being replaced; the scores are a fresh build's."""
    import numpy as np

    from index.retrieve import HybridSearcher
    from index.store import build_index, make_client

    client = make_client()
    build_index(curriculum, embeddings, client=client)
    old = HybridSearcher(curriculum, embeddings, client=client)
    new_outline = [*LONGER_314[:5], LONGER_314[5] + "\n驗收文件範本實作", *LONGER_314[6:]]
    new, _ = read_upload(write_csv(tmp_path / "s.csv", [new_outline]), curriculum)
    build_index(new, embeddings, client=client)
    follower = HybridSearcher(new, embeddings, client=client, previous=old)
    fresh = HybridSearcher(new, embeddings, client=client)
    shared = [key for key, value in follower.doc_tokens.items() if value is old.doc_tokens.get(key)]
    assert len(shared) == len(new.courses) - 1  # every course but 3.1.4 kept its tokens
    for question in ("驗收文件範本", "個資法", "生成式AI圖像"):
        assert np.allclose(follower.bm25_scores(question), fresh.bm25_scores(question))
    assert follower.search("驗收文件範本", k=1)[0].code == "3.1.4"


def test_path_edits_are_checked_and_confirming_them_ends_the_proposal_note(curriculum):
    from workspace.paths import apply_paths, path_rows

    rows = path_rows(curriculum)
    assert len(rows) == 9 and rows[0][:2] == ["有規劃", "入門"]
    develop_practice = next(r for r in rows if r[:2] == ["會開發", "實作"])
    develop_practice[2] += "、8.1.1"  # add a course to a stage
    new = apply_paths(curriculum, rows, confirm=True)
    assert "8.1.1" in new.role_paths.paths["會開發"]["實作"] and not new.role_paths.proposal
    hours = {(h.role, h.stage): (h.old, h.new) for h in diff(curriculum, new).hours}
    assert hours[("會開發", "實作")] == (60, 66)
    from assistant.compose import plan_text
    from corpus.plan import plan_for_role

    assert "建議路徑" in plan_text(plan_for_role(curriculum, "會開發"), curriculum, "", [])
    assert "建議路徑" not in plan_text(plan_for_role(new, "會開發"), new, "", [])  # confirmed: no proposal note
    bad = [list(r) for r in path_rows(curriculum)]
    bad[0][2] += "、9.9.9、4.1.1"  # unknown code; 4.1.4 (which replaces 4.1.1) is already there
    bad[-1][2] = ""  # every course of 會開發 實作 is now on no path
    with pytest.raises(CorpusError) as caught:
        apply_paths(curriculum, bad, confirm=False)
    text = "\n".join(caught.value.problems)
    assert "找不到課程 9.9.9" in text and "4.1.4 已整併" in text
    unreachable = [list(r) for r in path_rows(curriculum)]
    unreachable[-1][2] = ""
    with pytest.raises(CorpusError) as caught:
        apply_paths(curriculum, unreachable, confirm=False)
    assert any("沒有任何角色的學習路徑包含這門課" in p for p in caught.value.problems), caught.value.problems


# ---------------------------------------------------------------- replace mode: the upload is the whole syllabus
def whole_syllabus(path, curriculum, drop=(), edit=None):
    """The whole syllabus in the import's columns (what `python -m corpus export` writes), minus `drop`."""
    from corpus.importer import SYLLABUS_HEADER, syllabus_rows

    rows = [SYLLABUS_HEADER] + [[str(v) for v in r] for r in syllabus_rows(curriculum) if r[2].split()[0] not in drop]
    if edit:
        edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_replace_preview_removes_courses_and_says_which_paths_and_hours_change(tmp_path, curriculum):
    source = whole_syllabus(tmp_path / "whole.csv", curriculum, drop={"3.3.1", "8.3.1"})
    merged, merged_preview = read_upload(source, curriculum)  # the default merges: nothing is removed
    assert merged_preview.removed == [] and merged_preview.empty
    new, preview = read_upload(source, curriculum, replace=True)
    assert [c.code for c in preview.removed] == ["3.3.1", "8.3.1"] and not preview.added and not preview.changed
    assert preview.left_paths == {"3.3.1": ["會開發 實作"], "8.3.1": ["有規劃 實作", "能應用 進階"]}
    assert preview.removal_lines() == [
        "移除 **3.3.1 AI系統中的問題識別與解決**（12 小時），並從學習路徑移除：會開發 實作",
        "移除 **8.3.1 法律服務的生成式AI工具(如ChatGPT)應用**（6 小時），並從學習路徑移除：有規劃 實作、能應用 進階",
    ]
    hours = {(h.role, h.stage): (h.old, h.new) for h in preview.hours}
    assert hours[("會開發", "實作")] == (60, 48) and hours[("會開發", "合計")] == (180, 168)
    assert hours[("有規劃", "實作")] == (56, 50) and hours[("有規劃", "合計")] == (158, 152)
    assert hours[("能應用", "進階")] == (30, 24) and hours[("會開發", "入門")] == (30, 30)
    assert new.course("3.3.1") is None and len(new.courses) == 39


def test_replace_problems_are_rows_of_the_error_table(tmp_path, curriculum):
    with pytest.raises(CorpusError) as caught:
        read_upload(whole_syllabus(tmp_path / "a.csv", curriculum, drop={"4.1.1"}), curriculum, replace=True)
    [row] = problem_rows(caught.value)
    assert row[:3] == ["17", "4.1.4", "取代課程"] and "找不到課程 4.1.1" in row[3] and "檔案中沒有的課程會移除" in row[3]
    with pytest.raises(CorpusError) as caught:
        read_upload(whole_syllabus(tmp_path / "b.csv", curriculum, drop={"4.2.4"}), curriculum, replace=True)
    rows = problem_rows(caught.value)
    assert "4.2.2" in curriculum.role_paths.paths["能應用"]["入門"]  # on a path of its own: still reachable
    assert [r[:3] for r in rows] == [["19", "4.2.1", "學習路徑"], ["21", "4.2.3", "學習路徑"]]
    assert all("它原本經由 4.2.4 的整併列在學習路徑中" in r[3] for r in rows)


def test_publishing_a_whole_syllabus_removes_courses_and_rollback_brings_them_back(
    database, trained_own_data, corpus_copy, embeddings, tmp_path
):
    from index.store import open_collection

    bot = Assistant(curriculum=None, embeddings=embeddings, phraser=None)
    versions = Versions(database)
    source = whole_syllabus(tmp_path / "whole.csv", bot.curriculum, drop={"3.3.1", "8.3.1"})
    new, _ = read_upload(source, bot.curriculum, replace=True)
    versions.publish(new, "trainer1", "移除 3.3.1、8.3.1", file_name=source.name, digest=file_hash(source), embeddings=embeddings)
    assert load_curriculum(corpus_copy).course("3.3.1") is None
    assert bot.check_index() and bot.curriculum.course("3.3.1") is None
    assert open_collection(bot.searcher.client, embeddings, "courses").count() == 39  # the index has no row for them
    assert "沒有代碼為 3.3.1 的課程" in bot.ask("3.3.1 是什麼課").answer
    develop = bot.ask("我在資訊室負責委外案")
    assert develop.total_hours == 168 and "3.3.1" not in [c.code for c in develop.citations]
    initial = versions.list()[-1].id
    versions.rollback(initial, "trainer1", embeddings=embeddings)
    assert bot.check_index() and bot.curriculum.course("3.3.1") is not None
    assert open_collection(bot.searcher.client, embeddings, "courses").count() == 41
    assert bot.ask("我在資訊室負責委外案").total_hours == 180


def test_a_refused_whole_syllabus_writes_nothing(database, own_data, corpus_copy, embeddings, curriculum, tmp_path, monkeypatch):
    """Problems found by the check: no corpus file, no version, no index switch; the CLI says so in zh-TW."""
    from index.store import build_index, current_version, make_client
    from workspace import cli

    client = make_client()
    build_index(curriculum, embeddings, client=client)
    pointer = current_version(client, "courses")
    before = corpus_copy.read_bytes()
    monkeypatch.setattr(cli, "Versions", lambda: Versions(database))
    monkeypatch.setattr(cli, "Accounts", lambda: __import__("workspace.accounts", fromlist=["Accounts"]).Accounts(database))
    passwords = iter(["a long enough password"] * 2)
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(passwords))
    runner = CliRunner()
    assert runner.invoke(cli.trainer, ["add", "trainer1"]).exit_code == 0
    broken = whole_syllabus(tmp_path / "broken.csv", curriculum, drop={"4.1.4"})
    result = runner.invoke(cli.trainer, ["publish", str(broken), "--trainer", "trainer1", "--replace"])
    assert result.exit_code != 0 and "檔案有錯，沒有發布" in result.output and "第 15 列（代碼 4.1.1）" in result.output
    assert "Traceback" not in result.output and str(tmp_path) not in result.output
    assert corpus_copy.read_bytes() == before and Versions(database).list() == []
    assert current_version(client, "courses") == pointer
    fine = whole_syllabus(tmp_path / "fine.csv", curriculum, drop={"3.3.1"})
    result = runner.invoke(cli.trainer, ["publish", str(fine), "--trainer", "trainer1", "--replace", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "移除 1 門" in result.output and "移除 3.3.1 AI系統中的問題識別與解決（12 小時），並從學習路徑移除：會開發 實作" in result.output
    assert "會開發 實作 60 → 48 小時" in result.output and "會開發 合計 180 → 168 小時" in result.output
    assert corpus_copy.read_bytes() == before and current_version(client, "courses") == pointer


def test_every_question_kind_the_assistant_can_give_has_a_zh_tw_label():
    """The review page names kinds in words; a kind added to assistant/models.py without a label fails here."""
    import itertools
    import re
    from typing import get_args

    from assistant.feedback import outcome_of
    from assistant.labels import KIND_LABELS, OUTCOME_LABELS, kind_choices, kind_label
    from assistant.models import Answer, Citation, Kind

    kinds = get_args(Kind)
    assert [k for k in kinds if k not in KIND_LABELS] == [], "kinds without a label in assistant/data/labels.toml"
    assert [k for k in KIND_LABELS if k not in kinds] == [], "labels of kinds the assistant no longer has"
    han = re.compile(r"[\u4e00-\u9fff]")
    assert all(han.search(label) and not re.search(r"[a-z_]{3,}", label) for label in KIND_LABELS.values()), KIND_LABELS
    assert len(set(KIND_LABELS.values())) == len(KIND_LABELS), "two kinds share a label: the filter could not tell them apart"
    cited = [Citation(code="1.1.1", name="AI素養與倫理", hours=6, module=1)]
    outcomes = {
        outcome_of(Answer(question="q", answer="a", kind=kind, refused=refused, hedged=hedged, citations=citations))
        for kind, refused, hedged, citations in itertools.product(kinds, (False, True), (False, True), ([], cited))
    }
    assert outcomes <= set(OUTCOME_LABELS), outcomes - set(OUTCOME_LABELS)
    assert kind_label("") == "（未記錄）" and kind_label("no_match") == "課綱沒有這方面的課"
    assert kind_choices(["topic", "no_match", "topic"]) == [("依主題找課", "topic"), ("課綱沒有這方面的課", "no_match")]


def test_review_rows_and_exports_name_kinds_in_words(database, tmp_path):
    from openpyxl import load_workbook

    from assistant import Answer, FeedbackStore, QuestionLog, ReviewFilter
    from ui.trainer_review import feedback_rows, question_rows

    store, log = FeedbackStore(database), QuestionLog(database)
    missing = Answer(question="有沒有教無人機空拍的課", answer="課綱沒有這方面的課。", kind="no_match")
    detail = Answer(question="3.1.4 幾小時", answer="6 小時", kind="course_detail")
    store.add(missing, liked=False, comment="=1+1")
    store.add(detail, liked=True)
    log.record(missing)
    log.record(detail)
    everything = ReviewFilter()
    assert [row[4] for row in feedback_rows(store, everything)] == ["課綱沒有這方面的課", "課程內容"]
    assert [row[1:] for row in question_rows(log, everything)] == [["有沒有教無人機空拍的課", "課綱沒有這方面的課", "課綱沒有"]]
    only = ReviewFilter(kinds=["course_detail"])
    assert [row[3] for row in feedback_rows(store, only)] == ["3.1.4 幾小時"]  # the filter still passes codes
    target = tmp_path / "回饋.xlsx"
    assert store.export(target, everything) == 2
    rows = [[cell.value for cell in row] for row in load_workbook(target).active.iter_rows()]
    assert rows[0][3:5] == ["問題", "問題類型"] and [r[4] for r in rows[1:]] == ["課綱沒有這方面的課", "課程內容"]
    assert rows[1][-1] == "'=1+1"
