"""first-attempt sums kept for the quiz analytics page

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty at first: the analytics page builds a cohort's sums the first time it needs them.
    op.create_table(
        "first_attempt_sums",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.String(length=100), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.Float(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("confident", sa.Integer(), nullable=False),
        sa.Column("fraction", sa.Float(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint(
            "cohort_id",
            "quiz_id",
            "content_hash",
            "kind",
            "key",
            "question_id",
            "learner_id",
            "mark",
            "total",
        ),
    )


def downgrade() -> None:
    op.drop_table("first_attempt_sums")
