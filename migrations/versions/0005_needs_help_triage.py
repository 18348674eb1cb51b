"""needs-help triage: standings' priority and facts' fingerprint, handled signals, waiver reasons

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import course.services.models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("progress_snapshots") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), server_default="9", nullable=False))
        batch.add_column(
            sa.Column("help_key", sa.String(length=16), server_default="", nullable=False)
        )
        batch.add_column(
            sa.Column("help_key_idle", sa.String(length=16), server_default="", nullable=False)
        )
    with op.batch_alter_table("waivers") as batch:
        batch.add_column(
            sa.Column("reason", sa.String(length=500), server_default="", nullable=False)
        )
    op.create_table(
        "reminder_marks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", course.services.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "handled_help",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("help_key", sa.String(length=16), nullable=False),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.Column("handled_at", course.services.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["handled_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cohort_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("handled_help")
    op.drop_table("reminder_marks")
    with op.batch_alter_table("waivers") as batch:
        batch.drop_column("reason")
    with op.batch_alter_table("progress_snapshots") as batch:
        batch.drop_column("help_key_idle")
        batch.drop_column("help_key")
        batch.drop_column("priority")
