"""Storage: everything the app keeps (feedback, question log, trainers, audit log, corpus versions)
in one SQLAlchemy database with Alembic migrations — SQLite by default, PostgreSQL when
`ADVISOR_DATABASE_URL` is set. Imports no gradio and no assistant."""

from storage.db import Database, StorageError, get_database, now

__all__ = ["Database", "StorageError", "get_database", "now"]
