"""Server mode: a real `chroma run` on loopback; answers must equal embedded mode's."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from corpus.settings import reload_settings
from index.retrieve import HybridSearcher
from index.store import build_index, make_client

QUESTIONS = [
    "我是中階主管該上哪些課",
    "跟個資法有關的課",
    "6 小時以內的生成式 AI 課",
    "有哪些 12 小時的課",
    "會開發的實作階段有哪些課",
    "要驗收廠商做的AI系統",
    "今天天氣如何",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma CLI comes with chromadb"
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("chroma run did not start")
    yield port
    process.terminate()
    process.wait(timeout=30)


def test_server_mode_answers_equal_embedded_mode(chroma_server, curriculum, embeddings, searcher, monkeypatch):
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma_server))
    settings = reload_settings()
    try:
        client = make_client(settings)
        assert type(client).__name__ != "PersistentClient" and client.heartbeat()
        report = build_index(curriculum, embeddings, client=client)
        assert report.rebuilt and report.count == 41
        assert not build_index(curriculum, embeddings, client=client).rebuilt  # content hash kept on the server
        remote = Assistant(curriculum=curriculum, searcher=HybridSearcher(curriculum, embeddings, client=client), phraser=None)
        local = Assistant(curriculum=curriculum, searcher=searcher, phraser=None)
        for question in QUESTIONS:
            a, b = remote.ask(question), local.ask(question)
            assert a.contract() == b.contract(), question
    finally:
        monkeypatch.delenv("CHROMA_HOST")
        monkeypatch.delenv("CHROMA_PORT")
        reload_settings()
