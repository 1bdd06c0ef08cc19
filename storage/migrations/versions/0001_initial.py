"""Initial tables: feedback, question log, trainers and their sessions, sign-in failures, audit log,
corpus versions, meta.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("rating", sa.SmallInteger, sa.CheckConstraint("rating IN (-1, 1)", name="rating"), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("citations", sa.JSON, nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("kind", sa.String(32), nullable=False, server_default=""),
        sa.Column("session", sa.String(64), nullable=False, server_default=""),
        sa.Column("answer_id", sa.String(64), nullable=True),
        sa.UniqueConstraint("answer_id", name="uq_feedback_answer_id"),
    )
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("citations", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_question_log_created_at", "question_log", ["created_at"])
    op.create_table(
        "trainers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("name", name="uq_trainers_name"),
    )
    op.create_table(
        "trainer_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "trainer_id",
            sa.Integer,
            sa.ForeignKey("trainers.id", ondelete="CASCADE", name="fk_trainer_sessions_trainer_id_trainers"),
            nullable=False,
        ),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
    )
    op.create_index("ix_trainer_sessions_expires_at", "trainer_sessions", ["expires_at"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_login_failures_name_at", "login_failures", ["name", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("trainer", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "corpus_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("trainer", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("file_name", sa.Text, nullable=False, server_default=""),
        sa.Column("file_hash", sa.String(64), nullable=False, server_default=""),
        sa.Column("corpus_hash", sa.String(64), nullable=False),
        sa.Column("index_hash", sa.String(64), nullable=False, server_default=""),
        sa.Column("collection", sa.Text, nullable=False, server_default=""),
        sa.Column("course_count", sa.Integer, nullable=False),
        sa.Column("corpus_json", sa.Text, nullable=False),
    )
    op.create_index("ix_corpus_versions_corpus_hash", "corpus_versions", ["corpus_hash"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("meta", "corpus_versions", "audit_log", "login_failures", "trainer_sessions", "trainers", "question_log", "feedback"):
        op.drop_table(table)
