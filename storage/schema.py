"""Every table the app stores, in SQLAlchemy Core (the Alembic migrations create the same)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# 👍/👎 on an answer the server gave; one current vote per issued answer (answer_id).
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Column("rating", SmallInteger, CheckConstraint("rating IN (-1, 1)", name="rating"), nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("citations", JSON, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("kind", String(32), nullable=False, server_default=""),
    Column("session", String(64), nullable=False, server_default=""),
    Column("answer_id", String(64), nullable=True, unique=True),
)

# Every question asked, without anything that identifies who asked (no session, no address).
questions = Table(
    "question_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("outcome", String(16), nullable=False),  # answered | clarify | no_course | hedged | refused
    Column("citations", Integer, nullable=False, server_default="0"),
)

trainers = Table(
    "trainers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default="0"),
)

# Only a hash of the session token is stored: a copy of the database opens no session.
trainer_sessions = Table(
    "trainer_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("trainer_id", Integer, ForeignKey("trainers.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)

# Failed sign-ins, per account name and per client (remote address), for rate limiting (shared by every app server).
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("client", String(128), nullable=False, server_default=""),  # "" when there is none (the CLI)
    Index("ix_login_failures_name_at", "name", "at"),
    Index("ix_login_failures_client_at", "client", "at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("trainer", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
)

# Each published curriculum: the whole JSON, so any version can be served again (rollback).
corpus_versions = Table(
    "corpus_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("trainer", String(64), nullable=False),
    Column("action", String(16), nullable=False),  # initial | publish | rollback | paths
    Column("note", Text, nullable=False, server_default=""),
    Column("file_name", Text, nullable=False, server_default=""),
    Column("file_hash", String(64), nullable=False, server_default=""),
    Column("corpus_hash", String(64), nullable=False, index=True),
    Column("index_hash", String(64), nullable=False, server_default=""),
    Column("collection", Text, nullable=False, server_default=""),
    Column("course_count", Integer, nullable=False),
    Column("corpus_json", Text, nullable=False),
)

# Small named values (the version being served, one-time imports done).
meta = Table(
    "meta",
    metadata,
    Column("key", String(128), primary_key=True),
    Column("value", Text, nullable=False),
)
