"""Feedback on answers, kept in SQLite (WAL) in the data directory, with numbered migrations.

A vote refers to an answer the server gave (an id from `IssuedAnswers`): the question,
answer and citations stored come from the server's record, never from the client.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel

from assistant.models import Answer
from corpus.exports import write_table
from corpus.settings import get_settings

MAX_COMMENT_CHARS = 1_000


def _m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            citations TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT ''
        )
        """
    )


def _m002_session(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE feedback ADD COLUMN session TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX feedback_created ON feedback(created_at)")


def _m003_answer_id(db: sqlite3.Connection) -> None:
    # One vote per issued answer: a second vote replaces the first.
    db.execute("ALTER TABLE feedback ADD COLUMN answer_id TEXT")
    db.execute("CREATE UNIQUE INDEX feedback_answer ON feedback(answer_id) WHERE answer_id IS NOT NULL")


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("m001_initial", _m001_initial),
    ("m002_session", _m002_session),
    ("m003_answer_id", _m003_answer_id),
]


class FeedbackError(ValueError):
    """A vote the server refuses; the message is for the user (zh-TW)."""


class IssuedAnswers:
    """The server's record of the answers it gave, by an unguessable id, per session.

    Kept in memory and bounded (oldest dropped first): a vote must come from the
    session that received the answer, within `ttl` seconds.
    """

    def __init__(self, capacity: int = 5_000, ttl: float = 24 * 3600):
        self.capacity = capacity
        self.ttl = ttl
        self._items: OrderedDict[str, tuple[str, float, Answer]] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self, answer: Answer, session: str) -> str:
        answer_id = secrets.token_hex(16)
        with self._lock:
            self._items[answer_id] = (session, time.monotonic(), answer)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return answer_id

    def get(self, answer_id: object, session: str) -> Answer | None:
        if not isinstance(answer_id, str):
            return None
        with self._lock:
            item = self._items.get(answer_id)
        if item is None or item[0] != session or time.monotonic() - item[1] > self.ttl:
            return None
        return item[2]


class FeedbackRow(BaseModel):
    id: int
    created_at: str
    rating: int
    question: str
    answer: str
    citations: list[dict]
    comment: str
    session: str


class FeedbackStore:
    """One connection per thread; every write is its own committed transaction."""

    def __init__(self, path: Path | None = None):
        self.path = path or get_settings().data_dir / "feedback.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self.migrate()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        return db

    def migrate(self) -> None:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
            for name, migration in MIGRATIONS:
                if name not in done:
                    migration(db)
                    db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def add(self, answer: Answer | dict, liked: bool, comment: str = "", session: str = "") -> int:
        data = answer.model_dump() if isinstance(answer, Answer) else answer
        citations = [
            {k: c[k] for k in ("code", "name", "hours", "module")} for c in data.get("citations", [])
        ]
        cursor = self._db().execute(
            "INSERT INTO feedback (created_at, rating, question, answer, citations, comment, session) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_now(), 1 if liked else -1, data["question"], data["answer"], json.dumps(citations, ensure_ascii=False), comment.strip(), session),
        )
        return int(cursor.lastrowid)

    def vote(self, answer_id: str, answer: Answer, liked: object, comment: str = "", session: str = "") -> int:
        """Record 👍/👎 for an issued answer; a repeated vote replaces the earlier one. Returns the row id."""
        if not isinstance(liked, bool):
            raise FeedbackError("評分只能是 👍（true）或 👎（false）。")
        comment = check_comment(comment)
        citations = [{"code": c.code, "name": c.name, "hours": c.hours, "module": c.module} for c in answer.citations]
        row = (_now(), 1 if liked else -1, answer.question, answer.answer, json.dumps(citations, ensure_ascii=False), comment, session, answer_id)
        cursor = self._db().execute(
            "INSERT INTO feedback (created_at, rating, question, answer, citations, comment, session, answer_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(answer_id) WHERE answer_id IS NOT NULL DO UPDATE SET"
            " created_at = excluded.created_at, rating = excluded.rating,"
            " comment = CASE WHEN excluded.comment = '' THEN feedback.comment ELSE excluded.comment END"
            " RETURNING id",
            row,
        )
        return int(cursor.fetchone()[0])

    def remove(self, row_id: int) -> bool:
        """Undo a vote: the row goes, with its comment."""
        cursor = self._db().execute("DELETE FROM feedback WHERE id = ?", (row_id,))
        return cursor.rowcount == 1

    def comment(self, row_id: int, comment: str) -> bool:
        cursor = self._db().execute("UPDATE feedback SET comment = ? WHERE id = ?", (check_comment(comment), row_id))
        return cursor.rowcount == 1

    def rows(self) -> list[FeedbackRow]:
        cursor = self._db().execute(
            "SELECT id, created_at, rating, question, answer, citations, comment, session FROM feedback ORDER BY id"
        )
        return [
            FeedbackRow(
                id=r[0], created_at=r[1], rating=r[2], question=r[3], answer=r[4], citations=json.loads(r[5]), comment=r[6], session=r[7]
            )
            for r in cursor
        ]

    def export(self, target: Path) -> int:
        """CSV, or XLSX when the name ends in .xlsx; cells that a spreadsheet would run are neutralized."""
        rows = self.rows()
        table = []
        for row in rows:
            cited = "；".join(f"{c['code']} {c['name']}（{c['hours']} 小時）" for c in row.citations)
            table.append([row.id, row.created_at, "👍" if row.rating > 0 else "👎", row.question, row.answer, cited, row.comment])
        write_table(target, ["編號", "時間", "評價", "問題", "回答", "引用課程", "意見"], table)
        return len(rows)

    export_csv = export


def check_comment(comment: object) -> str:
    if not isinstance(comment, str):
        raise FeedbackError("意見必須是文字。")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError(f"意見太長：最多 {MAX_COMMENT_CHARS:,} 字，目前 {len(comment):,} 字。請精簡後再送出。")
    return comment


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
