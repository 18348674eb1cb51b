"""first-attempt sums: a question's sums in one row, so rows stay few whatever the cohort's size

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMS = ("sx", "sxx", "sr", "srr", "sxr")


def upgrade() -> None:
    # The rows of the first layout mean something else now: drop them, the page rebuilds them.
    op.execute("DELETE FROM first_attempt_sums")
    with op.batch_alter_table("first_attempt_sums") as batch:
        for name in SUMS:
            batch.add_column(sa.Column(name, sa.Float(), server_default="0", nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM first_attempt_sums")
    with op.batch_alter_table("first_attempt_sums") as batch:
        for name in SUMS:
            batch.drop_column(name)
