"""Shared fixtures: a temp data directory, the real model, a real Chroma."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from corpus.settings import DEFAULT_CORPUS, REPO_ROOT, reload_settings

SEED = Path(os.environ.get("ADVISOR_SEED", REPO_ROOT.parent / "shared" / "seed" / "000_058e8ac15e2154ef.txt"))


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory) -> Path:
    """Every test writes under a temp data dir; the built model is shared (read-only)."""
    path = tmp_path_factory.mktemp("data")
    os.environ["ADVISOR_DATA_DIR"] = str(path)
    os.environ.setdefault("ADVISOR_MODELS_DIR", str(REPO_ROOT / "data" / "models"))
    os.environ.pop("CHROMA_HOST", None)
    os.environ["ADVISOR_CORPUS"] = str(DEFAULT_CORPUS)
    reload_settings()
    return path


@pytest.fixture()
def corpus_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of the curriculum file, set as ADVISOR_CORPUS for this test."""
    target = tmp_path / "curriculum.json"
    shutil.copy(DEFAULT_CORPUS, target)
    monkeypatch.setenv("ADVISOR_CORPUS", str(target))
    reload_settings()
    yield target
    monkeypatch.setenv("ADVISOR_CORPUS", str(DEFAULT_CORPUS))
    reload_settings()


@pytest.fixture()
def own_data(tmp_path, monkeypatch):
    """A data directory (and so a Chroma folder) of this test's own."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    reload_settings()
    yield tmp_path / "data"
    monkeypatch.undo()
    reload_settings()


@pytest.fixture(scope="session")
def intents_file(searcher, data_dir) -> Path:
    """The intent classifier trained once for the session (training takes ~40 s)."""
    from nlu.model import load_or_train, model_path

    load_or_train(searcher)
    return model_path(data_dir, searcher.embeddings)


@pytest.fixture()
def trained_own_data(own_data, intents_file):
    """`own_data` with the session's trained intent classifier copied in: an Assistant starts in seconds."""
    (own_data / "nlu").mkdir(parents=True, exist_ok=True)
    shutil.copy(intents_file, own_data / "nlu" / intents_file.name)
    return own_data


@pytest.fixture(scope="session")
def curriculum(data_dir):
    from corpus import load_curriculum

    return load_curriculum(DEFAULT_CORPUS)


@pytest.fixture(scope="session")
def embeddings(data_dir):
    from index.embedder import default_embeddings

    return default_embeddings()


@pytest.fixture(scope="session")
def chroma_client(data_dir):
    from index.store import make_client

    return make_client()


@pytest.fixture(scope="session")
def searcher(curriculum, embeddings, chroma_client):
    from index.retrieve import HybridSearcher
    from index.store import build_index

    build_index(curriculum, embeddings, client=chroma_client)
    return HybridSearcher(curriculum, embeddings, client=chroma_client)


@pytest.fixture(scope="module")
def bot(curriculum, searcher):
    """The assistant over the shared model and index, one per test module (no LLM phrasing)."""
    from assistant.core import Assistant

    return Assistant(curriculum=curriculum, searcher=searcher, phraser=None)


def codes(answer) -> list[str]:
    """The course codes an answer cites, in order."""
    return [c.code for c in answer.citations]


@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL server for the session (tests/pg.py); each test makes its own database."""
    import pg

    with pg.postgres_server() as url:
        yield url


_databases = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """The same test against SQLite (in a temp data dir) and a real PostgreSQL (a fresh database)."""
    from storage import Database

    if request.param == "sqlite":
        yield Database.in_data_dir(tmp_path / "db-data")
        return
    import pg

    url = pg.create_database(request.getfixturevalue("postgres"), f"t{next(_databases)}")
    db = Database(url)
    yield db
    db.engine.dispose()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.fail(f"seed text missing at {SEED}")
    return SEED


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """End a server a test started: politely, then by force after 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@contextlib.contextmanager
def running_app(data: Path, **env_overrides: str):
    """`python -m ui` on a free loopback port with its own data directory; yields its url."""
    port = free_port()
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data), "ADVISOR_PORT": str(port), **env_overrides}
    log = (data / "app.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "ui"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 240
    try:
        while time.time() < deadline:
            if process.poll() is not None:
                pytest.fail(f"app exited: {(data / 'app.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("app did not start in time")
        yield url
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="session")
def app(tmp_path_factory, searcher):
    data = tmp_path_factory.mktemp("app-data")
    with running_app(data) as url:
        yield {"url": url, "data": data}
