"""Syllabus previews and corpus versions: publish a new curriculum, or roll back to an earlier one.

Publishing writes the corpus file, then builds the index as a new versioned Chroma collection and
switches the pointer (`index.store.build_index`): apps keep answering from the old version until the
switch, then follow it (`Assistant.check_index`). Each publish records a version — who, when, a
note, the uploaded file's hash and the whole curriculum — so any version can be served again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, text

from corpus.importer import prepare_import
from corpus.load import CorpusError, dump_curriculum, load_curriculum, parse_curriculum, remember_last_good, write_atomically
from corpus.models import Course, Curriculum
from corpus.plan import plan_for_role
from corpus.settings import get_settings
from storage import Database, get_database, now
from storage.schema import audit_log, corpus_versions

FIELD_LABELS = {
    "name": "課程名稱",
    "module": "模組",
    "unit_code": "單元代碼",
    "unit_name": "單元名稱",
    "level": "等級",
    "hours": "時數",
    "goals": "訓練目標",
    "outline": "課程大綱",
    "methods": "教學方法",
    "replaces": "取代課程",
    "notes": "備註",
}
ACTIONS = {"initial": "初始版本", "publish": "發布", "rollback": "回復", "paths": "學習路徑"}
_PUBLISH_LOCK = 716_041_8
_process_lock = threading.Lock()


class PublishError(RuntimeError):
    """A publish or rollback that did not happen; nothing changed. The message is for the user (zh-TW)."""


# ------------------------------------------------------------------ preview
@dataclass
class FieldChange:
    code: str
    name: str
    field: str
    old: str
    new: str


@dataclass
class HoursChange:
    role: str
    stage: str  # a stage name, or 合計
    old: int
    new: int


@dataclass
class Preview:
    added: list[Course] = field(default_factory=list)
    removed: list[Course] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)
    hours: list[HoursChange] = field(default_factory=list)  # every role × stage and each total, changed or not
    left_paths: dict[str, list[str]] = field(default_factory=dict)  # removed code -> the 「角色 階段」 it is taken off

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed) and all(h.old == h.new for h in self.hours)

    def removal_lines(self) -> list[str]:
        """One line per removed course, with the role paths it leaves (Markdown)."""
        lines = []
        for course in self.removed:
            paths = self.left_paths.get(course.code)
            where = f"，並從學習路徑移除：{'、'.join(paths)}" if paths else "（不在任何學習路徑中）"
            lines.append(f"移除 **{course.code} {course.name}**（{course.hours} 小時）{where}")
        return lines


def _show(value: object) -> str:
    if isinstance(value, list):
        return "；".join(str(v) for v in value) or "（無）"
    return "（無）" if value in (None, "") else str(value)


def _role_hours(curriculum: Curriculum) -> dict[tuple[str, str], int]:
    hours = {}
    for role in curriculum.roles:
        plan = plan_for_role(curriculum, role.name)
        for stage in plan.stages:
            hours[(role.name, stage.stage)] = stage.hours
        hours[(role.name, "合計")] = plan.total_hours
    return hours


def diff(old: Curriculum, new: Curriculum) -> Preview:
    """What publishing `new` in place of `old` changes: courses, fields, and each role path's hours."""
    before, after = old.course_map, new.course_map
    preview = Preview(
        added=[c for c in new.courses if c.code not in before],
        removed=[c for c in old.courses if c.code not in after],
    )
    for course in new.courses:
        previous = before.get(course.code)
        if previous is None or previous == course:
            continue
        for name, label in FIELD_LABELS.items():
            a, b = getattr(previous, name), getattr(course, name)
            if a != b:
                preview.changed.append(FieldChange(course.code, course.name, label, _show(a), _show(b)))
    for role, stages in old.role_paths.paths.items():
        for stage, codes in stages.items():
            for code in codes:
                if code not in after:
                    preview.left_paths.setdefault(code, []).append(f"{role} {stage}")
    old_hours, new_hours = _role_hours(old), _role_hours(new)
    for key in dict.fromkeys([*new_hours, *old_hours]):
        preview.hours.append(HoursChange(key[0], key[1], old_hours.get(key, 0), new_hours.get(key, 0)))
    return preview


def read_upload(path: Path, current: Curriculum, replace: bool = False) -> tuple[Curriculum, Preview]:
    """The uploaded spreadsheet merged into the current curriculum, or with `replace` taken as the whole
    syllabus (courses it does not list are removed); the same checks as `corpus import [--replace]`."""
    new, _ = prepare_import(path, current, replace=replace)
    return new, diff(current, new)


_PROBLEM = re.compile(r"^第 (\d+) 列(?:（[^）]*?代碼 ([^）]+)）)?(?:（標題列）)?\s*(?:欄位 ([^：]+)：)?(.*)$")


def problem_rows(exc: CorpusError) -> list[list[str]]:
    """The importer's problems as table rows: 列, 課程代碼, 欄位, 問題."""
    rows = []
    for problem in exc.problems:
        match = _PROBLEM.match(problem)
        if match:
            number, code, column, message = match.groups()
            rows.append([number, code or "", column or "", message.strip("：").strip()])
        else:
            rows.append(["", "", "", problem])
    return rows


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_hash(curriculum: Curriculum) -> str:
    return hashlib.sha256(dump_curriculum(curriculum).encode()).hexdigest()


# ------------------------------------------------------------------ versions
@dataclass(frozen=True)
class Version:
    id: int
    created_at: datetime
    trainer: str
    action: str
    note: str
    file_name: str
    file_hash: str
    corpus_hash: str
    index_hash: str
    collection: str
    course_count: int

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)


_VERSION_COLUMNS = [c for c in corpus_versions.c if c.name != "corpus_json"]


class Versions:
    def __init__(self, db: Database | None = None):
        self.db = db or get_database()
        self.last_build = None  # the index build of the last publish here (its phases and counts: eval/bench.py)

    def list(self) -> list[Version]:
        with self.db.engine.connect() as connection:
            rows = connection.execute(select(*_VERSION_COLUMNS).order_by(corpus_versions.c.id.desc()))
            return [Version(**row._mapping) for row in rows]

    def curriculum(self, version_id: int) -> Curriculum:
        with self.db.engine.connect() as connection:
            data = connection.execute(select(corpus_versions.c.corpus_json).where(corpus_versions.c.id == version_id)).scalar()
        if data is None:
            raise PublishError(f"沒有版本 {version_id}；`python -m ui trainer versions` 列出所有版本。")
        return parse_curriculum(json.loads(data), f"版本 {version_id}")

    def current(self) -> Version | None:
        value = self.db.get_meta("current_corpus_version")
        return next((v for v in self.list() if str(v.id) == value), None) if value else None

    def by_index_hash(self, index_hash: str) -> Curriculum | None:
        """The published curriculum an index version was built from (other app servers follow a publish)."""
        with self.db.engine.connect() as connection:
            data = connection.execute(
                select(corpus_versions.c.corpus_json).where(corpus_versions.c.index_hash == index_hash).order_by(corpus_versions.c.id.desc())
            ).scalar()
        return parse_curriculum(json.loads(data), "資料庫中的課綱版本") if data else None

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One publish at a time: in this process, and across servers (PostgreSQL) or processes (SQLite)."""
        if not _process_lock.acquire(timeout=600):
            raise PublishError("另一個發布仍在進行，請稍後再試。")
        try:
            if self.db.dialect == "postgresql":
                with self.db.engine.connect() as connection:
                    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PUBLISH_LOCK})
                    connection.commit()
                    try:
                        yield
                    finally:
                        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PUBLISH_LOCK})
                        connection.commit()
            else:
                lock = get_settings().data_dir / "publish.lock"
                lock.parent.mkdir(parents=True, exist_ok=True)
                with lock.open("a") as handle:
                    fcntl.flock(handle, fcntl.LOCK_EX)
                    yield
        finally:
            _process_lock.release()

    def _record(self, connection, curriculum: Curriculum, trainer: str, action: str, note: str, file_name: str, digest: str, report) -> int:
        version_id = connection.execute(
            insert(corpus_versions)
            .values(
                created_at=now(),
                trainer=trainer,
                action=action,
                note=note,
                file_name=file_name,
                file_hash=digest,
                corpus_hash=corpus_hash(curriculum),
                index_hash=report.content_hash if report else "",
                collection=report.collection if report else "",
                course_count=len(curriculum.courses),
                corpus_json=json.dumps(curriculum.model_dump(mode="json"), ensure_ascii=False),
            )
            .returning(corpus_versions.c.id)
        ).scalar_one()
        self.db.set_meta(connection, "current_corpus_version", str(version_id))
        return int(version_id)

    def ensure_initial(self, curriculum: Curriculum, embeddings=None) -> None:
        """Record what is served now as the first version, so a rollback can always reach it."""
        with self.db.engine.connect() as connection:
            if connection.execute(select(corpus_versions.c.id).limit(1)).first():
                return
        from index.store import content_hash, records_for

        report = None
        if embeddings is not None:
            report = _Report(content_hash(records_for(curriculum), embeddings.name_or_path), "")
        with self.db.begin() as connection:
            if not connection.execute(select(corpus_versions.c.id).limit(1)).first():
                self._record(connection, curriculum, "系統", "initial", "發布功能啟用前的課綱", "", "", report)

    def publish(
        self,
        curriculum: Curriculum,
        trainer: str,
        note: str = "",
        file_name: str = "",
        digest: str = "",
        action: str = "publish",
        embeddings=None,
        client=None,
    ) -> Version:
        """Serve `curriculum`: corpus file, then index (new collection, pointer switch), then the version row."""
        from index.embedder import default_embeddings
        from index.store import build_index, make_client

        settings = get_settings()
        embeddings = embeddings or default_embeddings()
        with self._exclusive():
            target = settings.corpus_file
            try:
                served = load_curriculum(target)
            except CorpusError:
                served = None
            if served is not None:
                self.ensure_initial(served, embeddings)
                if corpus_hash(served) == corpus_hash(curriculum):
                    raise PublishError("這份課綱與目前提供的版本完全相同，沒有需要發布的變更。")
            old_text = target.read_text(encoding="utf-8") if target.exists() else None
            try:
                write_atomically(target, dump_curriculum(curriculum))
                report = build_index(curriculum, embeddings, client=client or make_client(settings))
            except BaseException as exc:
                if old_text is not None:
                    write_atomically(target, old_text)  # the index pointer was not switched: put the file back
                if isinstance(exc, Exception):
                    raise PublishError(f"發布失敗，課綱與索引都沒有變更：{exc}") from exc
                raise
            self.last_build = report
            remember_last_good(curriculum)
            with self.db.begin() as connection:
                version_id = self._record(connection, curriculum, trainer, action, note.strip()[:1000], file_name, digest, report)
                connection.execute(
                    insert(audit_log).values(
                        at=now(),
                        trainer=trainer,
                        action=action,
                        detail=json.dumps(
                            {"version": version_id, "note": note.strip()[:1000], "file": file_name, "file_hash": digest, "collection": report.collection},
                            ensure_ascii=False,
                        ),
                    )
                )
        return next(v for v in self.list() if v.id == version_id)

    def rollback(self, version_id: int, trainer: str, note: str = "", embeddings=None, client=None) -> Version:
        """Serve an earlier version again (recorded as a new version that says where it came from)."""
        curriculum = self.curriculum(version_id)
        note = f"回復到版本 {version_id}" + (f"：{note.strip()}" if note.strip() else "")
        return self.publish(curriculum, trainer, note, action="rollback", embeddings=embeddings, client=client)


@dataclass(frozen=True)
class _Report:
    content_hash: str
    collection: str
