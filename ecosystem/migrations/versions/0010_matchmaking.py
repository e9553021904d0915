"""two-sided matchmaking with consent: settings, project opt-outs, matches, answers, digests

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Off until an organisation says otherwise: no row means not opted in.
    op.create_table(
        "match_settings",
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_match_settings_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_match_settings")),
    )
    op.create_table(
        "match_opt_outs",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_match_opt_outs_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_match_opt_outs")),
    )
    op.create_index(
        op.f("ix_match_opt_outs_organisation_id"),
        "match_opt_outs",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "matches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_a", sa.Integer(), nullable=False),
        sa.Column("project_b", sa.Integer(), nullable=False),
        sa.Column("organisation_a", sa.String(length=64), nullable=False),
        sa.Column("organisation_b", sa.String(length=64), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("project_a < project_b", name=op.f("ck_matches_ordered")),
        sa.ForeignKeyConstraint(
            ["project_a"], ["projects.id"], name=op.f("fk_matches_project_a_projects")
        ),
        sa.ForeignKeyConstraint(
            ["project_b"], ["projects.id"], name=op.f("fk_matches_project_b_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
        sa.UniqueConstraint("project_a", "project_b", name=op.f("uq_matches_project_a")),
    )
    op.create_index(op.f("ix_matches_organisation_a"), "matches", ["organisation_a"])
    op.create_index(op.f("ix_matches_organisation_b"), "matches", ["organisation_b"])
    op.create_table(
        "match_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_match_answers_match_id_matches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_answers")),
    )
    op.create_index(op.f("ix_match_answers_match_id"), "match_answers", ["match_id"])
    op.create_table(
        "match_digests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("match_ids", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_digests")),
    )
    op.create_index(
        op.f("ix_match_digests_organisation_id"), "match_digests", ["organisation_id"]
    )


def downgrade() -> None:
    op.drop_table("match_digests")
    op.drop_table("match_answers")
    op.drop_table("matches")
    op.drop_table("match_opt_outs")
    op.drop_table("match_settings")
