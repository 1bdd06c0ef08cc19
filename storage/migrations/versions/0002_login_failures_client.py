"""Sign-in failures also remember the client (remote address): a per-client limit beside the per-account one.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("login_failures", sa.Column("client", sa.String(128), nullable=False, server_default=""))
    op.create_index("ix_login_failures_client_at", "login_failures", ["client", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_client_at", table_name="login_failures")
    with op.batch_alter_table("login_failures") as batch:
        batch.drop_column("client")
