"""The Chroma collections: one record per course, rebuilt only when corpus or model change.

A build never touches the collection apps are reading. Each build writes a new, versioned
collection (`courses-v<ms>-<hash>`), then switches a pointer (the metadata of the small
`courses-pointer` collection: one atomic write in Chroma's own database, so it works the
same embedded and against `chroma run`). Apps resolve the pointer and check it while they
run; the build keeps the previous version for them and deletes older ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import chromadb
import numpy as np
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings

from corpus.models import Course, Curriculum
from corpus.settings import Settings, get_settings
from index.embedder import ChromaE5Function, E5Embeddings

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1
BATCH = 5000  # rows per Chroma write (capped by the client's own maximum): fewer, larger writes
NO_SPACE = "磁碟空間不足，無法建立或更新索引。請清出資料目錄（ADVISOR_DATA_DIR）所在磁碟的空間，再執行 `python -m index build`。"


class IndexStoreError(RuntimeError):
    """The index cannot be written or read; the message (zh-TW) says how to fix it."""


def make_client(settings: Settings | None = None):
    """HttpClient when CHROMA_HOST is set, else a PersistentClient; a corrupt folder is set aside."""
    settings = settings or get_settings()
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    try:
        client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
        client.list_collections()
        return client
    except Exception as exc:  # chroma raises many kinds for a damaged folder
        if is_out_of_space(exc, settings.chroma_dir):
            raise IndexStoreError(NO_SPACE) from None
        return reset_local_store(settings, reason=str(exc))


def reset_local_store(settings: Settings | None = None, reason: str = ""):
    """Set a damaged local Chroma folder aside (keeping only the newest broken copy) and open a fresh one."""
    settings = settings or get_settings()
    folder = settings.chroma_dir
    forget_local_client(folder)
    if folder.exists():
        broken = folder.with_name(f"{folder.name}.broken-{time.time_ns()}")
        folder.rename(broken)
        log.warning("索引資料夾損毀（%s），已移到 %s，重新建立", reason or "無法讀取", broken.name)
        for older in sorted(folder.parent.glob(f"{folder.name}.broken-*"))[:-1]:
            shutil.rmtree(older, ignore_errors=True)  # keep at most the last broken copy
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    except Exception as exc:
        if is_out_of_space(exc):
            raise IndexStoreError(NO_SPACE) from None
        raise


def forget_local_client(folder: Path) -> None:
    """Chroma keeps one client per path in the process: drop this path's, so the next opens the folder anew.

    Other paths' clients are left alone (clear_system_cache would break every open client)."""
    SharedSystemClient._identifier_to_system.pop(str(folder), None)
    SharedSystemClient._identifier_to_refcount.pop(str(folder), None)


def reopen_client(settings: Settings | None = None):
    """A client that reads the local folder as it is now (after another process replaced it)."""
    settings = settings or get_settings()
    if not settings.chroma_host:
        forget_local_client(settings.chroma_dir)
    return make_client(settings)


def store_identity(settings: Settings | None = None) -> tuple | None:
    """Changes when another process replaces the local Chroma folder (a repair): apps then reconnect."""
    settings = settings or get_settings()
    if settings.chroma_host:
        return None
    try:
        stat = (settings.chroma_dir / "chroma.sqlite3").stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def collection_works(collection) -> bool:
    """A stored vector must come back as its own nearest neighbour: the vector index is readable."""
    try:
        sample = collection.get(limit=1, include=["embeddings"])
        if not sample["ids"]:
            return False
        found = collection.query(query_embeddings=[sample["embeddings"][0]], n_results=1, include=[])
        return found["ids"][0][:1] == sample["ids"][:1]
    except Exception:
        return False


def course_document(course: Course, curriculum: Curriculum) -> str:
    module = curriculum.module(course.module)
    level = f"（{course.level}）" if course.level else ""
    lines = [
        f"{course.code} {course.name}{level}",
        f"{module.label}：{module.overview}｜{course.unit_code} {course.unit_name}" if module else course.unit_name,
        "訓練目標：" + "；".join(course.goals),
        "課程大綱：" + "；".join(course.outline),
        "教學方法：" + "、".join(course.methods),
    ]
    return "\n".join(lines)


def course_metadata(course: Course, curriculum: Curriculum) -> dict:
    meta: dict = {
        "code": course.code,
        "name": course.name,
        "module": course.module,
        "unit": course.unit_code,
        "hours": course.hours,
        "level": course.level or "",
        "methods": "、".join(course.methods),
        "consolidated": bool(course.replaces),
    }
    role_ids = {r.name: r.id for r in curriculum.roles}
    stage_ids = {s.name: s.id for s in curriculum.stages}
    for role, stages in curriculum.roles_of(course.code).items():
        meta[f"role_{role_ids[role]}"] = True
        for stage in stages:
            meta[f"stage_{stage_ids[stage]}"] = True
            meta[f"path_{role_ids[role]}_{stage_ids[stage]}"] = True
    return meta


@dataclass
class Records:
    ids: list[str]
    documents: list[str]
    metadatas: list[dict]


def records_for(curriculum: Curriculum) -> Records:
    courses = curriculum.courses
    return Records(
        ids=[c.code for c in courses],
        documents=[course_document(c, curriculum) for c in courses],
        metadatas=[course_metadata(c, curriculum) for c in courses],
    )


def content_hash(records: Records, model_name: str) -> str:
    payload = json.dumps(
        [SCHEMA_VERSION, model_name, records.ids, records.documents, records.metadatas], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _collection_hash(collection) -> str | None:
    return (collection.metadata or {}).get("content_hash")


def pointer_name(name: str) -> str:
    return f"{name}-pointer"


def version_name(name: str, digest: str) -> str:
    return f"{name}-v{time.time_ns() // 1_000_000}-{digest[:8]}"


def _pointer(client, name: str):
    return client.get_or_create_collection(name=pointer_name(name), embedding_function=None, metadata={"current": ""})


def current_version(client, name: str) -> str | None:
    """The collection the pointer names (None before the first build)."""
    try:
        collection = client.get_collection(name=pointer_name(name), embedding_function=None)
    except Exception as exc:
        if is_missing(exc):
            return None
        raise
    return (collection.metadata or {}).get("current") or None


def switch_version(client, name: str, target: str) -> str | None:
    """Point `name` at `target` in one metadata write; returns the version it pointed at before."""
    pointer = _pointer(client, name)
    previous = (pointer.metadata or {}).get("current") or None
    pointer.modify(metadata={"current": target, "previous": previous or "", "switched_at": time.time()})
    return previous


def is_missing(exc: Exception) -> bool:
    return type(exc).__name__ in ("NotFoundError", "InvalidCollectionException") or "does not exist" in str(exc)


def open_collection(client, embeddings: E5Embeddings, name: str):
    """The collection serving `name`: the pointer's version (or, for an old index, `name` itself)."""
    return client.get_collection(name=current_version(client, name) or name, embedding_function=ChromaE5Function(embeddings))


def versions_of(client, name: str) -> list[str]:
    prefix = f"{name}-v"
    names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
    return sorted(n for n in names if n.startswith(prefix))


def prune_versions(client, name: str, keep: set[str]) -> list[str]:
    """Delete versions of `name` (and an old unversioned `name`) except `keep`."""
    removed = []
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    for old in [*versions_of(client, name), *([name] if name in names else [])]:
        if old in keep:
            continue
        try:
            client.delete_collection(old)
            removed.append(old)
        except Exception as exc:  # another build may have removed it first
            log.info("舊索引 %s 已不存在（%s）", old, exc)
    return removed


def prune_segment_folders(folder: Path) -> list[str]:
    """Delete segment folders of a local store that no collection uses any more."""
    if not (folder / "chroma.sqlite3").exists():
        return []
    try:
        with sqlite3.connect(f"file:{folder / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
            live = {row[0] for row in db.execute("SELECT id FROM segments")}
    except sqlite3.Error as exc:
        log.info("無法列出索引區段（%s），略過清理", exc)
        return []
    removed = []
    for path in folder.iterdir():
        if path.is_dir() and _looks_like_uuid(path.name) and path.name not in live:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def _looks_like_uuid(text: str) -> bool:
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(c in "0123456789abcdef" for c in text.replace("-", ""))


@dataclass
class BuildReport:
    rebuilt: bool
    count: int
    seconds: float
    content_hash: str
    collection: str = ""
    removed: list[str] = field(default_factory=list)
    embedded: int = 0  # documents embedded by this build (the rest reused their stored vectors)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for the bench


def _batch_size(client) -> int:
    try:
        return max(1, min(BATCH, int(client.get_max_batch_size())))
    except Exception:  # an older server without the call
        return 256


def build_index(
    curriculum: Curriculum,
    embeddings: E5Embeddings,
    client=None,
    name: str | None = None,
    force: bool = False,
    records: Records | None = None,
) -> BuildReport:
    """Make the pointer name a current, readable collection; skip when it already does.

    A rebuild writes a new version beside the one being read, switches the pointer, and only
    then deletes versions older than the one it replaced (apps may still be reading that).
    """
    settings = get_settings()
    client = client or make_client(settings)
    name = name or settings.collection
    records = records or records_for(curriculum)
    digest = content_hash(records, embeddings.name_or_path)
    start = time.perf_counter()
    try:
        existing = open_collection(client, embeddings, name)
    except Exception as exc:
        if not is_missing(exc):
            raise
        existing = None
    if existing is not None and not force:
        if _collection_hash(existing) != digest or existing.count() != len(records.ids):
            log.warning("索引與目前的課綱或模型不符，重建 %s", name)
        elif not collection_works(existing):
            log.warning("索引讀取失敗（可能損毀），重建 %s", name)
        else:
            return BuildReport(False, existing.count(), time.perf_counter() - start, digest, existing.name)
    target = version_name(name, digest)
    try:
        collection = client.create_collection(
            name=target,
            embedding_function=ChromaE5Function(embeddings),
            metadata={"content_hash": digest, "model": embeddings.name_or_path},
        )
    except Exception as exc:
        if is_out_of_space(exc):
            raise IndexStoreError(NO_SPACE) from None
        raise
    phases: dict[str, float] = {}
    embedded = 0
    try:
        clock = time.perf_counter()
        reused = {} if force else _vectors_to_reuse(existing, records, embeddings.name_or_path, client)
        hashes = [document_hash(doc) for doc in records.documents]
        phases["read_reused_s"] = time.perf_counter() - clock
        batch = _batch_size(client)
        embed_s = 0.0
        clock = time.perf_counter()
        for i in range(0, len(records.ids), batch):
            ids, docs, digests = records.ids[i : i + batch], records.documents[i : i + batch], hashes[i : i + batch]
            todo = [j for j, digest in enumerate(digests) if digest not in reused]
            started = time.perf_counter()
            fresh = dict(zip(todo, embeddings.embed_documents([docs[j] for j in todo]))) if todo else {}
            embed_s += time.perf_counter() - started
            embedded += len(todo)
            collection.add(
                ids=ids,
                documents=docs,
                metadatas=[{**meta, "doc_hash": digest} for meta, digest in zip(records.metadatas[i : i + batch], digests)],
                embeddings=np.asarray([fresh[j] if j in fresh else reused[digest] for j, digest in enumerate(digests)], dtype=np.float32),
            )
        phases["embed_s"] = embed_s
        phases["write_s"] = time.perf_counter() - clock - embed_s
        if reused:
            log.info("索引 %s：%d 門課沿用原本的向量，%d 門重新嵌入", target, len(records.ids) - embedded, embedded)
        clock = time.perf_counter()
        if collection.count() != len(records.ids) or not collection_works(collection):
            raise RuntimeError(f"新索引 {target} 寫入後無法讀取")
        phases["verify_s"] = time.perf_counter() - clock
    except BaseException as exc:
        _drop_quietly(client, target)  # the pointer still names the old version: nothing changed for apps
        if isinstance(exc, Exception) and is_out_of_space(exc):
            raise IndexStoreError(NO_SPACE) from None
        raise
    clock = time.perf_counter()
    try:
        previous = switch_version(client, name, target)
    except Exception as exc:
        _drop_quietly(client, target)
        if is_out_of_space(exc):
            raise IndexStoreError(NO_SPACE) from None
        raise
    keep = {target, previous} if previous else {target}
    if existing is not None and existing.name == name:
        keep.add(name)  # an old unversioned index may still be read by an app started before the switch
    removed = prune_versions(client, name, keep)
    folder = local_folder(client)
    if removed and folder is not None:
        prune_segment_folders(folder)
    phases["switch_prune_s"] = time.perf_counter() - clock
    phases = {k: round(v, 3) for k, v in phases.items()}
    return BuildReport(True, collection.count(), time.perf_counter() - start, digest, target, removed, embedded, phases)


def document_hash(document: str) -> str:
    """What a course's vector depends on (with the model, which the collection's content hash pins)."""
    return hashlib.sha256(document.encode()).hexdigest()


def _vectors_to_reuse(existing, records: Records, model: str, client=None) -> dict:
    """Vectors of the collection being replaced, by document hash, for the documents that did not change:
    a publish that changes one course embeds one course (incremental indexing)."""
    if existing is None or (existing.metadata or {}).get("model") != model or not collection_works(existing):
        return {}
    wanted = {document_hash(d) for d in records.documents}
    reused = {}
    total = existing.count()
    batch = _batch_size(client) if client is not None else 256
    for offset in range(0, total, batch):  # in pages: one get of a 100,000-row collection would hold it all twice
        try:
            stored = existing.get(include=["metadatas", "embeddings"], limit=batch, offset=offset)
        except Exception as exc:  # a damaged collection: embed everything
            log.info("無法讀取舊索引的向量（%s），全部重新嵌入", exc)
            return {}
        for meta, vector in zip(stored["metadatas"] or [], stored["embeddings"] if stored["embeddings"] is not None else []):
            digest = (meta or {}).get("doc_hash")
            if digest in wanted:
                reused[digest] = vector  # a numpy row: Chroma takes it back as it is
    return reused


def local_folder(client) -> Path | None:
    """The folder of an embedded client; None for a Chroma server."""
    try:
        chroma_settings = client.get_settings()
    except Exception:
        return None
    return Path(chroma_settings.persist_directory) if chroma_settings.is_persistent else None


def _drop_quietly(client, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception as exc:
        log.info("無法刪除未完成的索引 %s（%s）", name, exc)


def index_status(curriculum: Curriculum, embeddings: E5Embeddings, client=None, name: str | None = None) -> str:
    """'current', 'stale' or 'missing'."""
    settings = get_settings()
    client = client or make_client(settings)
    try:
        collection = open_collection(client, embeddings, name or settings.collection)
    except Exception:
        return "missing"
    digest = content_hash(records_for(curriculum), embeddings.name_or_path)
    return "current" if _collection_hash(collection) == digest else "stale"


def ensure_index(
    curriculum: Curriculum, embeddings: E5Embeddings, client=None, name: str | None = None
) -> tuple[object, BuildReport]:
    """Start-up and reload: detect a missing, stale or damaged index and rebuild it.

    When the local store itself cannot be used (its database damaged), the folder is set
    aside and the index is built in a fresh one. Returns the client to use from now on.
    """
    settings = get_settings()
    try:
        client = client or make_client(settings)
        return client, build_index(curriculum, embeddings, client=client, name=name)
    except Exception as exc:
        if isinstance(exc, IndexStoreError) or settings.chroma_host:
            raise
        if is_out_of_space(exc, settings.chroma_dir):
            raise IndexStoreError(NO_SPACE) from None
        log.warning("索引資料庫無法使用（%s），重建", exc)
        client = reset_local_store(settings, reason=str(exc))
        return client, build_index(curriculum, embeddings, client=client, name=name)


MIN_FREE_BYTES = 20 * 1024 * 1024


def is_out_of_space(exc: BaseException, folder: Path | None = None) -> bool:
    """A full disk, said so by the error or seen on the disk (chroma may report it as a compaction error)."""
    text = str(exc).lower()
    if getattr(exc, "errno", None) == 28 or "no space left" in text or "disk is full" in text:
        return True
    if folder is not None:
        try:
            return shutil.disk_usage(folder if folder.exists() else folder.parent).free < MIN_FREE_BYTES
        except OSError:
            return False
    return False


def exit_now(message: str, code: int = 1) -> None:
    """Print a zh-TW error and leave at once: after a failed write chroma's native threads can
    abort the interpreter's normal shutdown (exit status 134), which would hide the message."""
    import os
    import sys

    sys.stdout.flush()
    print(f"錯誤：{message}", file=sys.stderr, flush=True)
    os._exit(code)


def drop_index(client, name: str) -> list[str]:
    """Delete every version of `name` and its pointer (for scratch indexes such as the bench's)."""
    removed = prune_versions(client, name, keep=set())
    try:
        client.delete_collection(pointer_name(name))
        removed.append(pointer_name(name))
    except Exception as exc:
        if not is_missing(exc):
            raise
    return removed
