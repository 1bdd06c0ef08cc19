"""The Chroma collection: one record per course, rebuilt only when corpus or model change."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass

import chromadb
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings

from corpus.models import Course, Curriculum
from corpus.settings import Settings, get_settings
from index.embedder import ChromaE5Function, E5Embeddings

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1
BATCH = 256


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
        broken = settings.chroma_dir.with_name(f"{settings.chroma_dir.name}.broken-{int(time.time())}")
        log.warning("索引資料夾損毀（%s），已移到 %s，重新建立", exc, broken)
        settings.chroma_dir.rename(broken)
        settings.chroma_dir.mkdir(parents=True)
        SharedSystemClient.clear_system_cache()  # chroma keeps the failed client for this path otherwise
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


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


def open_collection(client, embeddings: E5Embeddings, name: str):
    return client.get_collection(name=name, embedding_function=ChromaE5Function(embeddings))


@dataclass
class BuildReport:
    rebuilt: bool
    count: int
    seconds: float
    content_hash: str


def build_index(
    curriculum: Curriculum,
    embeddings: E5Embeddings,
    client=None,
    name: str | None = None,
    force: bool = False,
    records: Records | None = None,
) -> BuildReport:
    """Create or refresh the collection; skip when its content hash is current."""
    settings = get_settings()
    client = client or make_client(settings)
    name = name or settings.collection
    records = records or records_for(curriculum)
    digest = content_hash(records, embeddings.name_or_path)
    start = time.perf_counter()
    try:
        existing = open_collection(client, embeddings, name)
    except Exception:  # chroma raises NotFoundError / ValueError by version
        existing = None
    if existing is not None and not force:
        if _collection_hash(existing) != digest or existing.count() != len(records.ids):
            log.warning("索引與目前的課綱或模型不符，重建 %s", name)
        elif not collection_works(existing):
            log.warning("索引讀取失敗（可能損毀），重建 %s", name)
        else:
            return BuildReport(False, existing.count(), time.perf_counter() - start, digest)
    if existing is not None:
        client.delete_collection(name)
    collection = client.create_collection(
        name=name,
        embedding_function=ChromaE5Function(embeddings),
        metadata={"content_hash": digest, "model": embeddings.name_or_path},
    )
    for i in range(0, len(records.ids), BATCH):
        docs = records.documents[i : i + BATCH]
        collection.add(
            ids=records.ids[i : i + BATCH],
            documents=docs,
            metadatas=records.metadatas[i : i + BATCH],
            embeddings=embeddings.embed_documents(docs),
        )
    return BuildReport(True, collection.count(), time.perf_counter() - start, digest)


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
