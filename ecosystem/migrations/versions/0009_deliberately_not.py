"""the "fravalgt" register: what an organisation or a group deliberately does not do (P12)

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deliberately_not",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_kind", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliberately_not")),
    )
    op.create_index(
        "ix_deliberately_not_owner", "deliberately_not", ["owner_kind", "owner_id"], unique=False
    )
    op.create_table(
        "deliberately_not_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("changed_fields", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["deliberately_not.id"],
            name=op.f("fk_deliberately_not_revisions_entry_id_deliberately_not"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliberately_not_revisions")),
        sa.UniqueConstraint(
            "entry_id", "number", name=op.f("uq_deliberately_not_revisions_entry_id")
        ),
    )
    op.create_index(
        op.f("ix_deliberately_not_revisions_entry_id"),
        "deliberately_not_revisions",
        ["entry_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_deliberately_not_revisions_entry_id"), table_name="deliberately_not_revisions"
    )
    op.drop_table("deliberately_not_revisions")
    op.drop_index("ix_deliberately_not_owner", table_name="deliberately_not")
    op.drop_table("deliberately_not")
