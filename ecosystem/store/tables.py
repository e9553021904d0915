"""The relational schema, as typed SQLAlchemy 2 declarative models.

The schema itself is only ever created by the Alembic migrations in
``ecosystem/migrations``; these classes must describe exactly what they create.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ApiToken",
    "Area",
    "AreaParent",
    "AuditEntry",
    "Base",
    "CatalogState",
    "Goal",
    "GoalSet",
    "Organisation",
    "OrganisationArea",
    "PageSession",
    "Project",
    "ProjectArea",
    "ProjectGoal",
    "ProjectPartner",
    "ProjectRevision",
    "ProjectTargetGroup",
    "ProjectTheme",
    "TargetGroup",
    "Theme",
    "recorded_at",
    "utcnow",
]

CODE = 64
# Plain JSON, not JSONB: cards are always read whole and never queried inside, and JSON
# is stored as text, which makes bulk publishes markedly faster on PostgreSQL.
JsonType = JSON()


# The moment writes are stamped with, when a past is being recorded (see recorded_at).
_RECORDED_AT: ContextVar[dt.datetime | None] = ContextVar("recorded_at", default=None)


def utcnow() -> dt.datetime:
    """Now, or the moment :func:`recorded_at` says the writes in hand happened."""
    return _RECORDED_AT.get() or dt.datetime.now(dt.UTC)


@contextmanager
def recorded_at(moment: dt.datetime) -> Iterator[None]:
    """Stamp every write inside with ``moment`` instead of now.

    Only the demo loader uses it: it writes a short past (a portfolio, two reviews, a
    republish between them) so the history the reviews read as of their moments is
    consistent with their meeting dates.
    """
    token = _RECORDED_AT.set(moment)
    try:
        yield
    finally:
        _RECORDED_AT.reset(token)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps are stored in UTC and always come back timezone-aware.

    SQLite has no timezone type and returns naive values; without this, as-of reads
    would compare naive with aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Area(Base):
    """A place in the gazetteer: municipality (kommunekode), region, health council, DK."""

    __tablename__ = "areas"
    code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(32), index=True)
    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class AreaParent(Base):
    """Containment: municipality → region, municipality → health council, region → DK."""

    __tablename__ = "area_parents"
    child_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    parent_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    # Set by the organisation's own portfolio document ("complete": true); until then its
    # portfolio is shown as selected projects, not exhaustive (P2).
    portfolio_complete: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrganisationArea(Base):
    __tablename__ = "organisation_areas"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)


class Theme(Base):
    __tablename__ = "themes"
    code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("themes.code"))
    label_da: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    description_da: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)


class TargetGroup(Base):
    __tablename__ = "target_groups"
    code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    label_da: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    description_da: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)


class GoalSet(Base):
    """A shared goal picture (e.g. the national goals) or an organisation's own goals."""

    __tablename__ = "goal_sets"
    id: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    name_da: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    description_da: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)


class Goal(Base):
    __tablename__ = "goals"
    code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    goal_set_id: Mapped[str | None] = mapped_column(ForeignKey("goal_sets.id"), index=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    title_da: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    description_da: Mapped[str | None] = mapped_column(Text)
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)


class Project(Base):
    """The current state of a published project; its full history is in ProjectRevision.

    The columns duplicate fields of ``data`` that lists filter and sort on; ``data`` is the
    normalised project card exactly as published.
    """

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("organisation_id", "external_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(16), index=True)
    visibility: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    budget_dkk: Mapped[float | None] = mapped_column(Float)
    value_score: Mapped[int | None] = mapped_column(SmallInteger)
    risk_score: Mapped[int | None] = mapped_column(SmallInteger)
    last_reviewed: Mapped[dt.date | None] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    catalog_version: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class ProjectRevision(Base):
    """One immutable step in a project's history: created, updated, withdrawn or restored."""

    __tablename__ = "project_revisions"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        Index("ix_project_revisions_project_created", "project_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    changed_fields: Mapped[list[str]] = mapped_column(JsonType, default=list)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class ProjectTheme(Base):
    __tablename__ = "project_themes"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("themes.code"), primary_key=True, index=True)


class ProjectTargetGroup(Base):
    __tablename__ = "project_target_groups"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    code: Mapped[str] = mapped_column(
        ForeignKey("target_groups.code"), primary_key=True, index=True
    )


class ProjectArea(Base):
    __tablename__ = "project_areas"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True, index=True)


class ProjectGoal(Base):
    __tablename__ = "project_goals"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("goals.code"), primary_key=True, index=True)


class ProjectPartner(Base):
    """Partners that are registered organisations (free-text partners live only in data)."""

    __tablename__ = "project_partners"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True, index=True
    )


class CatalogState(Base):
    """A single row whose version every publish bumps.

    Bumping it takes a row lock, so publishes commit in version order; a worker that has
    seen version v has seen every change up to v. The similarity index uses this to stay
    fresh across gunicorn workers.
    """

    __tablename__ = "catalog_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class ApiToken(Base):
    """An API token; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The first characters of the token, so that people can tell their tokens apart in a
    # listing without the secret ever being shown again (none for tokens issued before).
    prefix: Mapped[str | None] = mapped_column(String(16))
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PageSession(Base):
    """A signed-in page session: the cookie holds its secret, this row its hash.

    The cookie alone is not trusted: each page request finds its row and its token, so a
    revoked or expired token ends the session at once, and signing out deletes the row so
    that a copy of the cookie is worth nothing.
    """

    __tablename__ = "page_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class AuditEntry(Base):
    """History of changes to reference data (areas, organisations, taxonomy, goals)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
