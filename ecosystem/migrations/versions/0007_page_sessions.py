"""page sessions held on the server

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"], ["api_tokens.id"], name=op.f("fk_page_sessions_token_id_api_tokens")
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_page_sessions")),
    )
    op.create_index(
        op.f("ix_page_sessions_token_id"), "page_sessions", ["token_id"], unique=False
    )
    op.create_index(
        op.f("ix_page_sessions_created_at"), "page_sessions", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_page_sessions_created_at"), table_name="page_sessions")
    op.drop_index(op.f("ix_page_sessions_token_id"), table_name="page_sessions")
    op.drop_table("page_sessions")
