"""imports (spreadsheet previews, IATI mapping)

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A dry run of an upload, kept until it is published or expires: several workers
    # serve the API, so the preview must live in the database, not in a worker's memory.
    op.create_table(
        "import_previews",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=True),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("publishable", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_import_previews_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_previews")),
    )
    with op.batch_alter_table("import_previews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_previews_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_import_previews_expires_at"), ["expires_at"], unique=False
        )

    # Admins' changes to the DAC sector → theme mapping; the defaults live in
    # seeds/data/dac_theme_map.csv, so a row here overrides one sector's default.
    op.create_table(
        "iati_sector_themes",
        sa.Column("sector_code", sa.String(length=16), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sector_code", name=op.f("pk_iati_sector_themes")),
    )


def downgrade() -> None:
    op.drop_table("iati_sector_themes")
    with op.batch_alter_table("import_previews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_previews_expires_at"))
        batch_op.drop_index(batch_op.f("ix_import_previews_organisation_id"))
    op.drop_table("import_previews")
