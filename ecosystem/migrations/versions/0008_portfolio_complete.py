"""an organisation's portfolio may be declared complete (P2: partial portfolios are normal)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every portfolio published so far is taken as partial: nobody has said otherwise.
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(
            sa.Column(
                "portfolio_complete", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("portfolio_complete")
