"""login sessions: one row per signed-in browser, replacing the account-wide session token

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Cookies issued before this revision name a token that no longer exists: their holders are
asked to log in again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import course.services.models

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    moment = course.services.models.UTCDateTime(timezone=True)
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("browser", sa.String(length=80), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("last_seen_at", moment, nullable=False),
        sa.Column("expires_at", moment, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_sessions") as batch:
        batch.create_index("ix_login_sessions_user", ["user_id"], unique=False)
    # Not in batch mode: on SQLite a batch rebuilds `users`, and dropping the old table with
    # foreign keys on would cascade to every learner's data. SQLite 3.35+ drops a column itself.
    op.drop_column("users", "session_token")


def downgrade() -> None:
    # An empty token matches no cookie: everyone logs in again.
    op.add_column(
        "users", sa.Column("session_token", sa.String(length=64), server_default="", nullable=False)
    )
    with op.batch_alter_table("login_sessions") as batch:
        batch.drop_index("ix_login_sessions_user")
    op.drop_table("login_sessions")
