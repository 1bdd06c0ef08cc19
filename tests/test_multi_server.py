"""Two app servers on one PostgreSQL and one `chroma run` (issue 16): a publish and a rollback made on
one are served by the other, while both keep answering (0 failures)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from conftest import running_app
from corpus.settings import DEFAULT_CORPUS, REPO_ROOT
from test_chroma_server import chroma_server  # noqa: F401 - fixture
from test_workspace import LONGER_314, write_csv

PASSWORD = "a long enough password"


class Asker(threading.Thread):
    """Asks both servers in turn until stopped; records every failure."""

    def __init__(self, urls: list[str]):
        super().__init__(daemon=True)
        from gradio_client import Client

        self.clients = [Client(url, verbose=False) for url in urls]
        self.stop = threading.Event()
        self.answered = 0
        self.errors: list[str] = []

    def run(self) -> None:
        questions = ["跟個資法有關的課", "3.1.4 幾小時", "我是中階主管該上哪些課"]
        i = 0
        while not self.stop.is_set():
            client = self.clients[i % len(self.clients)]
            try:
                answer = client.predict(questions[i % len(questions)], None, api_name="/ask")
                assert answer["answer"]
                self.answered += 1
            except Exception as exc:  # noqa: BLE001 - every failure is what the test counts
                self.errors.append(repr(exc))
            i += 1
            time.sleep(0.1)


def hours_of_314(client) -> str:
    return client.predict("3.1.4 幾小時", None, api_name="/ask")["answer"]


def wait_for(client, text: str, timeout: float = 60) -> str:
    deadline = time.time() + timeout
    answer = ""
    while time.time() < deadline:
        answer = hours_of_314(client)
        if text in answer:
            return answer
        time.sleep(1)
    return answer


def test_two_servers_share_publish_rollback_and_feedback(tmp_path, postgres, chroma_server, intents_file):  # noqa: F811
    import pg
    from gradio_client import Client

    from storage import Database
    from workspace.accounts import Accounts

    url = pg.create_database(postgres, "multi")
    Accounts(Database(url)).add("trainer1", PASSWORD)
    servers = []
    for name in ("a", "b"):
        data = tmp_path / name
        (data / "nlu").mkdir(parents=True)
        shutil.copy(intents_file, data / "nlu" / intents_file.name)
        corpus = tmp_path / f"curriculum-{name}.json"  # each server has its own corpus file
        shutil.copy(DEFAULT_CORPUS, corpus)
        servers.append(
            {
                "data": data,
                "env": {
                    "ADVISOR_CORPUS": str(corpus),
                    "ADVISOR_DATABASE_URL": url,
                    "CHROMA_HOST": "127.0.0.1",
                    "CHROMA_PORT": str(chroma_server),
                },
            }
        )
    with running_app(servers[0]["data"], **servers[0]["env"]) as url_a, running_app(servers[1]["data"], **servers[1]["env"]) as url_b:
        a, b = Client(url_a, verbose=False), Client(url_b, verbose=False)
        assert "6 小時" in hours_of_314(b)
        asker = Asker([url_a, url_b])
        asker.start()
        env_a = {**os.environ, "ADVISOR_DATA_DIR": str(servers[0]["data"]), **servers[0]["env"]}
        source = write_csv(tmp_path / "s.csv", [LONGER_314])
        cli = [sys.executable, "-m", "ui", "trainer"]
        done = subprocess.run([*cli, "publish", str(source), "--trainer", "trainer1", "--note", "在 A 發布"], cwd=REPO_ROOT, env=env_a, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "12 小時" in wait_for(b, "12 小時"), "server B did not follow the publish made on A"
        assert "12 小時" in wait_for(a, "12 小時")
        done = subprocess.run([*cli, "rollback", "1", "--trainer", "trainer1"], cwd=REPO_ROOT, env=env_a, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "6 小時" in wait_for(b, "6 小時"), "server B did not follow the rollback made on A"
        answer = b.predict("跟個資法有關的課", None, api_name="/ask")
        b.predict(answer["answer_id"], True, "兩台共用", api_name="/feedback")
        asker.stop.set()
        asker.join(timeout=60)
        assert asker.errors == [] and asker.answered > 10, asker.errors[:3]
    from assistant.feedback import FeedbackStore
    from workspace.versions import Versions

    db = Database(url)
    assert [v.action for v in Versions(db).list()] == ["rollback", "publish", "initial"]
    assert [r.comment for r in FeedbackStore(db).rows()] == ["兩台共用"]
