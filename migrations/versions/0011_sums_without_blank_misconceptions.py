"""first-attempt sums counted again: a blank answer shows no misconception

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

The kept sums counted a blank answer under its question's misconception. The rule changed
(`course/domain/misconceptions.py`); the sums are dropped, and each cohort's are built again,
under the new rule, the first time its analytics are read (`first_sums.load`).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM first_attempt_sums")


def downgrade() -> None:
    op.execute("DELETE FROM first_attempt_sums")  # rebuilt when read, under the rule in force
