"""project vectors and the embedding queue

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_vectors",
        sa.Column(
            "serial",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=120), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_vectors_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("serial", name=op.f("pk_project_vectors")),
        sa.UniqueConstraint("project_id", "model_id", name=op.f("uq_project_vectors_project_id")),
    )
    op.create_index(
        op.f("ix_project_vectors_project_id"), "project_vectors", ["project_id"], unique=False
    )
    op.create_table(
        "embedding_queue",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_embedding_queue_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_embedding_queue")),
    )
    op.create_index(
        op.f("ix_embedding_queue_requested_at"), "embedding_queue", ["requested_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_embedding_queue_requested_at"), table_name="embedding_queue")
    op.drop_table("embedding_queue")
    op.drop_index(op.f("ix_project_vectors_project_id"), table_name="project_vectors")
    op.drop_table("project_vectors")
