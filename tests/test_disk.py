"""Issue 15.11: disk hygiene. A full disk gives a clear zh-TW message (a real, small tmpfs), rebuilds
leave no orphaned Chroma segment folders, and at most the last broken copy of the index is kept.
"""

import os
import subprocess
import sys
import uuid

import pytest

from corpus.settings import REPO_ROOT, get_settings
from index.store import build_index, make_client, reset_local_store


@pytest.fixture()
def full_disk(tmp_path):
    """A 600 KB tmpfs: the model loads, the index does not fit."""
    mountpoint = tmp_path / "small-disk"
    mountpoint.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mountpoint)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {result.stderr.strip()}")
    yield mountpoint
    subprocess.run(["umount", "-l", str(mountpoint)], check=False)


@pytest.mark.parametrize("command", [["assistant", "ask", "跟個資法有關的課"], ["index", "build"], ["ui"]])
def test_full_disk_at_start_up_gives_a_clear_message(full_disk, command, searcher):
    env = {**os.environ, "ADVISOR_DATA_DIR": str(full_disk), "ADVISOR_PORT": "1"}
    result = subprocess.run([sys.executable, "-m", *command], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "磁碟空間不足" in result.stderr and "Traceback" not in result.stderr
    assert not list(full_disk.glob("chroma.broken-*"))  # a full disk is not a damaged index


def _segment_folders(folder):
    names = []
    for path in folder.iterdir():
        try:
            uuid.UUID(path.name)
        except ValueError:
            continue
        if path.is_dir():
            names.append(path.name)
    return names


def test_rebuilds_leave_no_orphaned_segment_folders(own_data, curriculum, embeddings):
    client = make_client()
    for _ in range(4):
        build_index(curriculum, embeddings, client=client, force=True)
    folder = get_settings().chroma_dir
    # Two versions are kept (the current and the one apps may still read): one vector folder each.
    assert len(_segment_folders(folder)) == 2


def test_only_the_last_broken_copy_is_kept(own_data):
    make_client()
    for _ in range(3):
        reset_local_store(reason="test")
    assert len(list(own_data.glob("chroma.broken-*"))) == 1


def test_import_onto_a_full_disk_leaves_the_corpus_and_says_why(tmp_path, searcher):
    import shutil

    from corpus.settings import DEFAULT_CORPUS

    mountpoint = tmp_path / "small-corpus-disk"
    mountpoint.mkdir()
    size = DEFAULT_CORPUS.stat().st_size + 8 * 1024  # room for the corpus, not for a second copy
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        corpus = mountpoint / "curriculum.json"
        shutil.copy(DEFAULT_CORPUS, corpus)
        before = corpus.read_bytes()
        source = tmp_path / "new.csv"
        source.write_text(
            "課程模組,課程單元,課程名稱,時數,訓練目標,課程大綱/內容,教學方法,學習路徑\n"
            "模組8：用AI,8.4 會議與簡報中的AI應用,8.4.1 生成式AI會議紀錄整理,6,目標,大綱,示範教學,能應用/實作\n",
            encoding="utf-8",
        )
        env = {**os.environ, "ADVISOR_CORPUS": str(corpus)}
        result = subprocess.run([sys.executable, "-m", "corpus", "import", str(source)], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode != 0 and "磁碟空間不足" in result.stderr and "Traceback" not in result.stderr
        assert corpus.read_bytes() == before and [p.name for p in mountpoint.iterdir()] == ["curriculum.json"]
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)
