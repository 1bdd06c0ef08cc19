"""Feedback on answers and the question log, kept in the shared database (`storage`).

A vote refers to an answer the server gave (an id from `IssuedAnswers`): the question,
answer and citations stored come from the server's record, never from the client.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from assistant.labels import OUTCOME_LABELS, kind_label
from assistant.models import Answer
from corpus.exports import write_table
from corpus.settings import get_settings
from storage import Database, get_database, now
from storage.schema import feedback as table
from storage.schema import questions

MAX_COMMENT_CHARS = 1_000


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
    kind: str = ""


EXPORT_HEADERS = ["編號", "時間（UTC）", "評價", "問題", "問題類型", "回答", "引用課程", "意見"]


class FeedbackStore:
    """👍/👎 and comments in the shared database; every write is its own committed transaction."""

    def __init__(self, db: Database | None = None):
        self.db = db or get_database()

    def add(self, answer: Answer | dict, liked: bool, comment: str = "", session: str = "") -> int:
        data = answer.model_dump() if isinstance(answer, Answer) else answer
        citations = [{k: c[k] for k in ("code", "name", "hours", "module")} for c in data.get("citations", [])]
        values = dict(
            created_at=now(),
            rating=1 if liked else -1,
            question=data["question"],
            answer=data["answer"],
            citations=citations,
            comment=comment.strip(),
            kind=data.get("kind") or "",
            session=session,
        )
        with self.db.begin() as connection:
            return int(connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())

    def vote(self, answer_id: str, answer: Answer, liked: object, comment: str = "", session: str = "") -> int:
        """Record 👍/👎 for an issued answer; a repeated vote replaces the earlier one. Returns the row id."""
        if not isinstance(liked, bool):
            raise FeedbackError("評分只能是 👍（true）或 👎（false）。")
        comment = check_comment(comment)
        citations = [{"code": c.code, "name": c.name, "hours": c.hours, "module": c.module} for c in answer.citations]
        values = dict(
            created_at=now(),
            rating=1 if liked else -1,
            question=answer.question,
            answer=answer.answer,
            citations=citations,
            comment=comment,
            kind=answer.kind,
            session=session,
            answer_id=answer_id,
        )
        dialect_insert = postgresql_insert if self.db.dialect == "postgresql" else sqlite_insert
        statement = dialect_insert(table).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.answer_id],
            set_={
                "created_at": statement.excluded.created_at,
                "rating": statement.excluded.rating,
                "comment": case((statement.excluded.comment == "", table.c.comment), else_=statement.excluded.comment),
            },
        ).returning(table.c.id)
        with self.db.begin() as connection:
            return int(connection.execute(statement).scalar_one())

    def remove(self, row_id: int) -> bool:
        """Undo a vote: the row goes, with its comment."""
        with self.db.begin() as connection:
            return connection.execute(delete(table).where(table.c.id == row_id)).rowcount == 1

    def comment(self, row_id: int, comment: str) -> bool:
        with self.db.begin() as connection:
            result = connection.execute(update(table).where(table.c.id == row_id).values(comment=check_comment(comment)))
            return result.rowcount == 1

    def rows(self, filters: ReviewFilter | None = None) -> list[FeedbackRow]:
        filters = filters or ReviewFilter()
        query = select(table).order_by(table.c.id)
        query = _between(query, table.c.created_at, filters)
        if filters.rating is not None:
            query = query.where(table.c.rating == filters.rating)
        if filters.kinds:
            query = query.where(table.c.kind.in_(filters.kinds))
        if filters.with_comment:
            query = query.where(table.c.comment != "")
        with self.db.engine.connect() as connection:
            return [
                FeedbackRow(
                    id=r.id,
                    created_at=r.created_at.isoformat(timespec="seconds"),
                    rating=r.rating,
                    question=r.question,
                    answer=r.answer,
                    citations=r.citations,
                    comment=r.comment,
                    session=r.session,
                    kind=r.kind,
                )
                for r in connection.execute(query)
            ]

    def daily(self, filters: ReviewFilter | None = None) -> list[tuple[str, int, int]]:
        """(date, 👍 count, 👎 count) per UTC day, oldest first."""
        days: dict[str, list[int]] = {}
        for row in self.rows(filters):
            counts = days.setdefault(row.created_at[:10], [0, 0])
            counts[0 if row.rating > 0 else 1] += 1
        return [(day, up, down) for day, (up, down) in sorted(days.items())]

    def purge(self, days: int | None = None) -> int:
        """Delete feedback older than the retention setting (ADVISOR_RETENTION_DAYS)."""
        cutoff = now() - timedelta(days=get_settings().retention_days if days is None else days)
        with self.db.begin() as connection:
            return connection.execute(delete(table).where(table.c.created_at < cutoff)).rowcount

    def export(self, target: Path, filters: ReviewFilter | None = None) -> int:
        """CSV, or XLSX when the name ends in .xlsx; cells that a spreadsheet would run are neutralized."""
        rows = self.rows(filters)
        table_rows = []
        for row in rows:
            cited = "；".join(f"{c['code']} {c['name']}（{c['hours']} 小時）" for c in row.citations)
            rating = "👍" if row.rating > 0 else "👎"
            table_rows.append([row.id, row.created_at, rating, row.question, kind_label(row.kind), row.answer, cited, row.comment])
        write_table(target, EXPORT_HEADERS, table_rows)
        return len(rows)

    export_csv = export


# What the log says about how a question was answered (trainers look for clarify and no_course); labels in data/labels.toml.
OUTCOMES = OUTCOME_LABELS


def outcome_of(answer: Answer) -> str:
    if answer.refused:
        return "refused"
    if answer.kind == "clarify":
        return "clarify"
    if answer.kind in ("no_match", "unanswerable", "unknown_code") or (answer.kind == "topic" and not answer.citations):
        return "no_course"
    if answer.hedged:
        return "hedged"
    return "answered"


class QuestionRow(BaseModel):
    id: int
    created_at: str
    question: str
    kind: str
    outcome: str
    citations: int


class QuestionLog:
    """Every question asked, with its kind and outcome, and nothing about who asked.

    Rows older than ADVISOR_RETENTION_DAYS are deleted (checked at most once an hour per process).
    """

    MAX_CHARS = 1_000
    PURGE_EVERY = 3600.0

    def __init__(self, db: Database | None = None):
        self.db = db or get_database()
        self._purged_at = 0.0
        self._lock = threading.Lock()

    def record(self, answer: Answer) -> None:
        if not answer.question.strip():
            return
        values = dict(
            created_at=now(),
            question=answer.question[: self.MAX_CHARS],
            kind=answer.kind,
            outcome=outcome_of(answer),
            citations=len(answer.citations),
        )
        with self.db.begin() as connection:
            connection.execute(insert(questions).values(**values))
        with self._lock:
            due = time.monotonic() - self._purged_at > self.PURGE_EVERY
            if due:
                self._purged_at = time.monotonic()
        if due:
            self.purge()
            FeedbackStore(self.db).purge()

    def purge(self, days: int | None = None) -> int:
        cutoff = now() - timedelta(days=get_settings().retention_days if days is None else days)
        with self.db.begin() as connection:
            return connection.execute(delete(questions).where(questions.c.created_at < cutoff)).rowcount

    def rows(self, filters: ReviewFilter | None = None, outcomes: list[str] | None = None) -> list[QuestionRow]:
        filters = filters or ReviewFilter()
        query = _between(select(questions).order_by(questions.c.id), questions.c.created_at, filters)
        if filters.kinds:
            query = query.where(questions.c.kind.in_(filters.kinds))
        if outcomes:
            query = query.where(questions.c.outcome.in_(outcomes))
        with self.db.engine.connect() as connection:
            return [
                QuestionRow(
                    id=r.id, created_at=r.created_at.isoformat(timespec="seconds"), question=r.question, kind=r.kind, outcome=r.outcome, citations=r.citations
                )
                for r in connection.execute(query)
            ]

    def unanswered(self, filters: ReviewFilter | None = None) -> list[QuestionRow]:
        """Questions answered with a clarifying question or 「課綱沒有這方面的課」."""
        return self.rows(filters, outcomes=["clarify", "no_course"])


class ReviewFilter(BaseModel):
    """What the trainer's review page filters by; dates are UTC days, inclusive."""

    since: date | None = None
    until: date | None = None
    rating: int | None = None  # 1 | -1
    kinds: list[str] = Field(default_factory=list)
    with_comment: bool = False


def _between(query, column, filters: ReviewFilter):
    if filters.since is not None:
        query = query.where(column >= datetime.combine(filters.since, datetime.min.time(), tzinfo=timezone.utc))
    if filters.until is not None:
        query = query.where(column < datetime.combine(filters.until + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc))
    return query


def check_comment(comment: object) -> str:
    if not isinstance(comment, str):
        raise FeedbackError("意見必須是文字。")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError(f"意見太長：最多 {MAX_COMMENT_CHARS:,} 字，目前 {len(comment):,} 字。請精簡後再送出。")
    return comment
