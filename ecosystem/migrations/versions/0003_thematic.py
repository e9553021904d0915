"""thematic portfolio groups

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thematic_groups",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thematic_groups")),
    )
    op.create_table(
        "thematic_group_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("changed_fields", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["thematic_groups.id"],
            name=op.f("fk_thematic_group_revisions_group_id_thematic_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thematic_group_revisions")),
        sa.UniqueConstraint(
            "group_id", "number", name=op.f("uq_thematic_group_revisions_group_id")
        ),
    )
    with op.batch_alter_table("thematic_group_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thematic_group_revisions_group_id"), ["group_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("thematic_group_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thematic_group_revisions_group_id"))
    op.drop_table("thematic_group_revisions")
    op.drop_table("thematic_groups")
