"""cohort tallies kept with the standings; the roster's name index; the users' mark

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_tallies",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cohort_id", "key"),
    )
    with op.batch_alter_table("snapshot_marks") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), server_default="0", nullable=False))
    op.create_index("ix_users_sort_name", "users", [sa.text("lower(display_name)"), "id"])
    op.create_index("ix_progress_snapshots_last_activity", "progress_snapshots", ["last_activity"])
    op.create_index(
        "ix_progress_snapshots_priority", "progress_snapshots", ["priority", "last_activity"]
    )
    op.create_index("ix_progress_snapshots_idle", "progress_snapshots", ["status", "last_activity"])
    op.create_index(
        "ix_cohort_memberships_joined", "cohort_memberships", ["cohort_id", "joined_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_progress_snapshots_idle", "progress_snapshots")
    op.drop_index("ix_progress_snapshots_priority", "progress_snapshots")
    op.drop_index("ix_cohort_memberships_joined", "cohort_memberships")
    op.drop_index("ix_progress_snapshots_last_activity", "progress_snapshots")
    op.drop_index("ix_users_sort_name", "users")
    with op.batch_alter_table("snapshot_marks") as batch:
        batch.drop_column("user_id")
    op.drop_table("cohort_tallies")
