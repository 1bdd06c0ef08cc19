"""One database for everything the app stores: SQLite in the data directory, or PostgreSQL.

`ADVISOR_DATABASE_URL` (e.g. `postgresql://advisor@db.example/advisor`) selects PostgreSQL, which
several app servers can share; without it the database is `<data dir>/advisor.sqlite3`. Opening a
database brings its schema to the newest Alembic revision (under a lock, so servers starting
together do not race) and imports the feedback of the old `feedback.sqlite3` once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, event, insert, select, text
from sqlalchemy.engine import Engine, make_url

from corpus.settings import get_settings
from storage.schema import feedback, meta

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_NAME = "advisor.sqlite3"
LEGACY_FEEDBACK = "feedback.sqlite3"
_ADVISORY_LOCK = 716_041_6  # pg_advisory_xact_lock key for schema upgrades


class StorageError(RuntimeError):
    """The database cannot be opened or upgraded; the message (zh-TW) says how to fix it."""


def now() -> datetime:
    return datetime.now(timezone.utc)


def normalize_url(url: str) -> str:
    """`postgresql://…` uses psycopg 3 (the driver we install); other URLs are taken as given."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we say BEGIN ourselves: DDL stays in the transaction
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # IMMEDIATE: a writer takes the lock at the start and waits (busy_timeout) instead of failing later.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """An engine plus the schema upgrade; share one per process (`get_database`)."""

    def __init__(self, url: str, legacy_dir: Path | None = None):
        self.url = normalize_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        try:
            if self.dialect == "sqlite":
                path = make_url(self.url).database
                if path and path != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                self.engine = _sqlite_engine(self.url)
            else:
                self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=5, max_overflow=10)
            self.upgrade()
        except StorageError:
            raise
        except Exception as exc:
            raise StorageError(f"無法開啟資料庫（{make_url(self.url).render_as_string()}）：{exc}。請確認 ADVISOR_DATABASE_URL 或資料目錄可寫入。") from exc
        if legacy_dir is not None:
            self.import_legacy_feedback(legacy_dir / LEGACY_FEEDBACK)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> Database:
        return cls(f"sqlite:///{Path(data_dir) / SQLITE_NAME}", legacy_dir=Path(data_dir))

    @contextlib.contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction, committed at the end of the block (rolled back on an exception)."""
        with self.engine.begin() as connection:
            yield connection

    @contextlib.contextmanager
    def _upgrade_lock(self) -> Iterator[None]:
        if self.dialect != "sqlite":
            yield  # PostgreSQL: an advisory lock inside the migration transaction (below)
            return
        path = make_url(self.url).database
        if not path or path == ":memory:":
            yield
            return
        with open(f"{path}.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to `revision` with Alembic, in one transaction."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._upgrade_lock(), self.engine.begin() as connection:
            if self.dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    # ------------------------------------------------------------ meta values
    def get_meta(self, key: str, connection: Connection | None = None) -> str | None:
        if connection is not None:
            return connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
        with self.engine.connect() as conn:
            return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, connection: Connection, key: str, value: str) -> None:
        if connection.execute(select(meta.c.key).where(meta.c.key == key)).first():
            connection.execute(meta.update().where(meta.c.key == key).values(value=value))
        else:
            connection.execute(insert(meta).values(key=key, value=value))

    # ------------------------------------------------------------ the old feedback file
    def import_legacy_feedback(self, path: Path) -> int:
        """Copy the rows of the pre-storage `feedback.sqlite3` (any of its 3 schema versions) once.

        The file is left in place; a hash of its rows in `meta` makes the import happen once, even
        when several servers start together on one PostgreSQL.
        """
        if not path.exists():
            return 0
        try:
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as old:
                columns = {row[1] for row in old.execute("PRAGMA table_info(feedback)")}
                if not columns:
                    return 0
                wanted = ["created_at", "rating", "question", "answer", "citations", "comment", "session", "answer_id"]
                present = [c for c in wanted if c in columns]
                rows = [dict(zip(present, r)) for r in old.execute(f"SELECT {', '.join(present)} FROM feedback ORDER BY id")]
        except sqlite3.Error as exc:
            log.warning("舊的回饋檔 %s 無法讀取（%s），略過匯入", path.name, exc)
            return 0
        digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        key = f"legacy-feedback:{digest}"
        values = [
            {
                "created_at": datetime.fromisoformat(r["created_at"]),
                "rating": r["rating"],
                "question": r["question"],
                "answer": r["answer"],
                "citations": json.loads(r["citations"] or "[]"),
                "comment": r.get("comment") or "",
                "session": r.get("session") or "",
                "answer_id": r.get("answer_id"),
            }
            for r in rows
        ]
        with self.begin() as connection:
            if self.dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK + 1})
            if self.get_meta(key, connection) is not None:
                return 0
            if values:
                connection.execute(insert(feedback), values)
            self.set_meta(connection, key, now().isoformat())
        log.info("已把舊回饋檔 %s 的 %d 筆回饋匯入資料庫", path.name, len(values))
        return len(values)


_databases: dict[str, Database] = {}
_lock = threading.Lock()


def database_url() -> str:
    settings = get_settings()
    return settings.database_url or f"sqlite:///{settings.data_dir / SQLITE_NAME}"


def get_database() -> Database:
    """The process's database for the current settings (one engine per URL)."""
    settings = get_settings()
    url = normalize_url(database_url())
    with _lock:
        db = _databases.get(url)
        if db is None:
            db = Database(url, legacy_dir=settings.data_dir)
            _databases[url] = db
        return db
