"""Issue 15.4, 15.5, 15.7, 15.11: rebuilding or repairing the index while the app answers, with a real
Chroma and the real model; the app follows the pointer to the new version without a restart.
"""

import json
import os
import subprocess
import sys
import threading

import pytest

from assistant import Assistant, catalog
from corpus.settings import REPO_ROOT, get_settings, reload_settings
from index.retrieve import Filters, HybridSearcher
from index.store import build_index, current_version, make_client, versions_of

NEW_NAME = "資料隱私與個資保護法規（新版）"


def _rename_course(corpus_file, code="4.2.2", name=NEW_NAME):
    data = json.loads(corpus_file.read_text(encoding="utf-8"))
    next(c for c in data["courses"] if c["code"] == code)["name"] = name
    corpus_file.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


class Hammer:
    """Ask topic questions and filter the catalog in a loop; count what fails."""

    QUESTIONS = ["跟個資法有關的課", "如何經營粉專", "生成式AI寫公文"]

    def __init__(self, bot: Assistant):
        self.bot = bot
        self.errors: list[str] = []
        self.answered = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            for question in self.QUESTIONS:
                try:
                    answer = self.bot.ask(question)
                    assert answer.citations, f"no citations for {question}"
                    assert all(self.bot.curriculum.course(c.code) or c.code == "4.2.2" for c in answer.citations)
                    query = catalog.CatalogQuery(modules=[4], role="能應用")
                    assert catalog.find_courses(self.bot.curriculum, self.bot.searcher, query)
                    self.answered += 1
                except Exception as exc:  # counted: the test reports every failure
                    self.errors.append(f"{question}: {exc!r}")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=120)


def test_rebuild_never_removes_the_version_being_read(own_data, curriculum, embeddings):
    client = make_client()
    first = build_index(curriculum, embeddings, client=client)
    searcher = HybridSearcher(curriculum, embeddings, client=client)
    assert first.rebuilt and searcher.collection.name == first.collection == current_version(client, "courses")
    second = build_index(curriculum, embeddings, client=client, force=True)
    assert second.collection != first.collection and current_version(client, "courses") == second.collection
    assert searcher.collection.count() == len(curriculum.courses)  # the old version is still there
    assert searcher.search("個資法", k=3)
    third = build_index(curriculum, embeddings, client=client, force=True)
    assert versions_of(client, "courses") == sorted([second.collection, third.collection])  # older ones deleted
    assert searcher.search("個資法", k=3)  # dense search reads the vectors held since start-up: no Chroma call
    hits = searcher.search("個資法", k=3, filters=Filters(modules=[4]))  # a `where` reads its version, gone: it follows the pointer
    assert hits and {h.module for h in hits} == {4} and searcher.collection.name == third.collection


def test_app_follows_a_build_made_by_another_process_without_failing(own_data, corpus_copy, curriculum):
    bot = Assistant(curriculum=None, phraser=None)
    assert bot.ask("跟個資法有關的課").citations
    env = {**os.environ, "ADVISOR_DATA_DIR": str(own_data), "ADVISOR_CORPUS": str(corpus_copy)}
    with Hammer(bot) as hammer:
        forced = subprocess.run([sys.executable, "-m", "index", "build", "--force"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert forced.returncode == 0, forced.stderr[-2000:]
        assert bot.check_index() and not bot.check_index()
        _rename_course(corpus_copy)
        changed = subprocess.run([sys.executable, "-m", "index", "build"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert changed.returncode == 0, changed.stderr[-2000:]
        assert bot.check_index()
    assert hammer.errors == [] and hammer.answered > 0
    assert bot.curriculum.course("4.2.2").name == NEW_NAME
    assert NEW_NAME in bot.ask("4.2.2 是什麼課").answer
    assert bot.searcher.collection.name == current_version(make_client(), "courses")


def test_reload_serves_the_old_corpus_until_the_new_is_ready(own_data, corpus_copy):
    bot = Assistant(curriculum=None, phraser=None)
    _rename_course(corpus_copy)
    with Hammer(bot) as hammer:
        message = bot.reload()
    assert "已重新載入" in message
    assert hammer.errors == [] and hammer.answered > 0
    assert NEW_NAME in bot.ask("4.2.2 是什麼課").answer


def test_reload_repairs_an_index_damaged_while_running(own_data, corpus_copy):
    bot = Assistant(curriculum=None, phraser=None)
    sqlite = get_settings().chroma_dir / "chroma.sqlite3"
    with sqlite.open("r+b") as handle:  # overwrite pages after the header, as a bad disk would
        handle.seek(4096)
        handle.write(os.urandom(sqlite.stat().st_size - 4096))
    message = bot.reload()
    assert "已重新載入" in message
    answer = bot.ask("跟個資法有關的課")
    assert {"4.2.1", "4.2.2"} & {c.code for c in answer.citations}
    assert catalog.find_courses(bot.curriculum, bot.searcher, catalog.CatalogQuery(modules=[4], role="能應用"))
    broken = list(own_data.glob("chroma.broken-*"))
    assert len(broken) == 1


def test_reload_is_not_in_the_public_api(app):
    from gradio_client import Client

    api = Client(app["url"], verbose=False).view_api(print_info=False, return_format="dict")
    names = " ".join([*api.get("named_endpoints", {}), *map(str, api.get("unnamed_endpoints", {}))])
    assert "reload" not in names
    assert {"/ask", "/feedback"} <= set(api["named_endpoints"])


def test_drop_index_removes_every_version_and_the_pointer(tmp_path, monkeypatch, curriculum, embeddings):
    from corpus.settings import reload_settings
    from index.store import build_index, current_version, drop_index, make_client, versions_of

    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    reload_settings()
    try:
        client = make_client()
        build_index(curriculum, embeddings, client=client, name="scratch")
        build_index(curriculum, embeddings, client=client, name="scratch", force=True)
        assert len(drop_index(client, "scratch")) == 3
        assert versions_of(client, "scratch") == [] and current_version(client, "scratch") is None
    finally:
        monkeypatch.undo()
        reload_settings()


def test_the_follower_repairs_a_damaged_index_without_a_reload(own_data, corpus_copy):
    bot = Assistant(curriculum=None, phraser=None)
    sqlite = get_settings().chroma_dir / "chroma.sqlite3"
    with sqlite.open("r+b") as handle:
        handle.seek(4096)
        handle.write(os.urandom(sqlite.stat().st_size - 4096))
    assert bot.check_index()  # what the web app's follower thread runs every 2 s
    answer = bot.ask("跟個資法有關的課")
    assert {"4.2.1", "4.2.2"} & {c.code for c in answer.citations}
    assert catalog.find_courses(bot.curriculum, bot.searcher, catalog.CatalogQuery(modules=[4], role="能應用"))
    assert not bot.check_index()  # repaired: nothing more to do
