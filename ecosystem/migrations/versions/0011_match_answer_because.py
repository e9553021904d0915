"""why a match is not relevant, as a choice the matching learns from

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: earlier answers, and answers other than "not relevant", have no such choice.
    with op.batch_alter_table("match_answers") as batch:
        batch.add_column(sa.Column("because", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_answers") as batch:
        batch.drop_column("because")
