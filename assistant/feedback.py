"""Feedback on answers, kept in SQLite (WAL) in the data directory, with numbered migrations."""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel

from assistant.models import Answer
from corpus.settings import get_settings


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


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("m001_initial", _m001_initial),
    ("m002_session", _m002_session),
]


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

    def rate(self, row_id: int, liked: bool) -> bool:
        """Change a stored vote (👍 ↔ 👎): one current vote per answer."""
        cursor = self._db().execute("UPDATE feedback SET rating = ?, created_at = ? WHERE id = ?", (1 if liked else -1, _now(), row_id))
        return cursor.rowcount == 1

    def remove(self, row_id: int) -> bool:
        """Undo a vote: the row goes, with its comment."""
        cursor = self._db().execute("DELETE FROM feedback WHERE id = ?", (row_id,))
        return cursor.rowcount == 1

    def comment(self, row_id: int, comment: str) -> bool:
        cursor = self._db().execute("UPDATE feedback SET comment = ? WHERE id = ?", (comment.strip(), row_id))
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

    def export_csv(self, target: Path) -> int:
        rows = self.rows()
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["編號", "時間", "評價", "問題", "回答", "引用課程", "意見"])
            for row in rows:
                cited = "；".join(f"{c['code']} {c['name']}（{c['hours']} 小時）" for c in row.citations)
                writer.writerow([row.id, row.created_at, "👍" if row.rating > 0 else "👎", row.question, row.answer, cited, row.comment])
        return len(rows)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
