"""Thematic portfolio groups: stored with their whole history, and what their analyses read.

A group is one row holding its current document; every creation and change adds an
immutable row to ``thematic_group_revisions`` (who, when, which fields), so nothing a
coordinator changes is lost. The tables are created by migration 0003.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, array
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecosystem.errors import Conflict, FieldError, InvalidInput, NotFound, StaleData
from ecosystem.groups import (
    Group,
    Label,
    OrganisationInfo,
    Reference,
    group_from_document,
    group_to_document,
)
from ecosystem.model import Principal, ProjectRecord
from ecosystem.store.projects import visible_clause
from ecosystem.store.tables import (
    CODE,
    Area,
    AreaParent,
    AuditEntry,
    Base,
    CatalogState,
    Goal,
    GoalSet,
    JsonType,
    Organisation,
    OrganisationArea,
    Project,
    ProjectTheme,
    TargetGroup,
    Theme,
    UTCDateTime,
    utcnow,
)

__all__ = [
    "ThematicGroup",
    "ThematicGroupRevision",
    "changed_projects",
    "check_references",
    "create_group",
    "get_group",
    "group_revisions",
    "list_groups",
    "live_projects",
    "projects_by_id",
    "reference_for_analysis",
    "update_group",
    "versions",
]


class ThematicGroup(Base):
    """The current definition of a group; its history is in ThematicGroupRevision."""

    __tablename__ = "thematic_groups"
    id: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ThematicGroupRevision(Base):
    """One immutable step in a group's history."""

    __tablename__ = "thematic_group_revisions"
    __table_args__ = (UniqueConstraint("group_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("thematic_groups.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    changed_fields: Mapped[list[str]] = mapped_column(JsonType, default=list)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# --- groups --------------------------------------------------------------------------------


def create_group(session: Session, document: dict[str, Any], *, actor: str) -> Group:
    """Store a new group from its validated document (``GroupSchema``)."""
    group_id = document["id"]
    if session.get(ThematicGroup, group_id) is not None:
        raise Conflict(f"Gruppen {group_id!r} findes allerede / Group {group_id!r} already exists.")
    check_references(session, document)
    now = utcnow()
    data = _stored(document)
    session.add(
        ThematicGroup(
            id=group_id,
            name=document["name"],
            data=data,
            demo=bool(document.get("demo")),
            revision=1,
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    _add_revision(session, group_id, 1, "created", data, sorted(data), actor, now)
    return get_group(session, group_id)


def update_group(
    session: Session,
    group_id: str,
    document: dict[str, Any],
    *,
    actor: str,
    expected_revision: int | None = None,
) -> Group:
    """Replace a group's document with a validated new one; a change that changes nothing writes nothing."""
    row = _row(session, group_id)
    if expected_revision is not None and expected_revision != row.revision:
        raise StaleData(
            f"Gruppen er ændret siden revision {expected_revision} (nu {row.revision}); læs den "
            f"igen / The group changed since revision {expected_revision} (now {row.revision}); "
            "read it again."
        )
    check_references(session, document)
    data = _stored(document)
    changed = sorted(k for k in data.keys() | row.data.keys() if data.get(k) != row.data.get(k))
    if not changed:
        return get_group(session, group_id)
    now = utcnow()
    row.data, row.name, row.demo = data, document["name"], bool(document.get("demo"))
    row.revision += 1
    row.updated_at = now
    session.flush()
    _add_revision(session, group_id, row.revision, "updated", data, changed, actor, now)
    return get_group(session, group_id)


def get_group(session: Session, group_id: str) -> Group:
    return _group(_row(session, group_id))


def list_groups(session: Session, *, demo: bool | None = None) -> list[Group]:
    stmt = select(ThematicGroup).order_by(ThematicGroup.id)
    if demo is not None:
        stmt = stmt.where(ThematicGroup.demo.is_(demo))
    return [_group(row) for row in session.scalars(stmt)]


def group_revisions(session: Session, group_id: str) -> list[dict[str, Any]]:
    """The group's history, oldest first."""
    _row(session, group_id)
    rows = session.scalars(
        select(ThematicGroupRevision)
        .where(ThematicGroupRevision.group_id == group_id)
        .order_by(ThematicGroupRevision.number)
    )
    return [
        {
            "number": r.number,
            "action": r.action,
            "actor": r.actor,
            "created_at": r.created_at,
            "changed_fields": r.changed_fields,
            "data": r.data,
        }
        for r in rows
    ]


def check_references(session: Session, document: Mapping[str, Any]) -> None:
    """Refuse codes that point nowhere, naming each one and its place."""
    mandate = document["mandate"]
    checks: list[tuple[str, Collection[str], Any]] = [
        ("mandate.themes", mandate.get("themes", ()), Theme.code),
        ("mandate.target_groups", mandate.get("target_groups", ()), TargetGroup.code),
        ("mandate.areas", mandate.get("areas", ()), Area.code),
        ("mandate.goal_sets", mandate.get("goal_sets", ()), GoalSet.id),
        ("mandate.goals", mandate.get("goals", ()), Goal.code),
        ("coordinators", document.get("coordinators", ()), Organisation.id),
        (
            "members",
            [m["organisation"] for m in document.get("members", ())],
            Organisation.id,
        ),
    ]
    errors: list[FieldError] = []
    for place, codes, column in checks:
        known = set(session.scalars(select(column).where(column.in_(list(codes)))))
        suffix = ".organisation" if place == "members" else ""
        errors += [
            FieldError(
                f"{place}[{index}]{suffix}",
                f"Ukendt kode {code!r} / Unknown code {code!r}.",
            )
            for index, code in enumerate(codes)
            if code not in known
        ]
    if errors:
        raise InvalidInput("Gruppen henviser til koder, der ikke findes.", errors)


def _row(session: Session, group_id: str) -> ThematicGroup:
    row = session.get(ThematicGroup, group_id)
    if row is None:
        raise NotFound(f"Ingen gruppe {group_id!r} / No group {group_id!r}.")
    return row


def _group(row: ThematicGroup) -> Group:
    return group_from_document(
        {**row.data, "id": row.id},
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _stored(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document in its normal form, without the id (which is the key)."""
    normal = group_to_document(group_from_document(document))
    normal.pop("id")
    return normal


def _add_revision(
    session: Session,
    group_id: str,
    number: int,
    action: str,
    data: dict[str, Any],
    changed: list[str],
    actor: str,
    now: dt.datetime,
) -> None:
    session.add(
        ThematicGroupRevision(
            group_id=group_id,
            number=number,
            action=action,
            data=data,
            changed_fields=changed,
            actor=actor,
            created_at=now,
        )
    )
    session.flush()


# --- what the analyses read --------------------------------------------------------------


def reference_for_analysis(session: Session) -> Reference:
    """Places, taxonomy, organisations and goals in one snapshot (a handful of small queries)."""
    areas = session.execute(select(Area.code, Area.scheme, Area.name_da, Area.name_en)).all()
    parents: dict[str, list[str]] = {}
    for child, parent in session.execute(select(AreaParent.child_code, AreaParent.parent_code)):
        parents.setdefault(child, []).append(parent)
    themes = session.execute(
        select(Theme.code, Theme.parent_code, Theme.label_da, Theme.label_en)
    ).all()
    groups = session.execute(select(TargetGroup.code, TargetGroup.label_da, TargetGroup.label_en))
    organisation_areas: dict[str, list[str]] = {}
    for organisation_id, area in session.execute(
        select(OrganisationArea.organisation_id, OrganisationArea.area_code)
    ):
        organisation_areas.setdefault(organisation_id, []).append(area)
    organisations = {
        row.id: OrganisationInfo(
            row.id, row.name, row.kind, tuple(sorted(organisation_areas.get(row.id, ())))
        )
        for row in session.execute(select(Organisation.id, Organisation.name, Organisation.kind))
    }
    goal_sets: dict[str, list[str]] = {}
    goal_labels: dict[str, Label] = {}
    for code, goal_set, title_da, title_en in session.execute(
        select(Goal.code, Goal.goal_set_id, Goal.title_da, Goal.title_en).order_by(Goal.code)
    ):
        if goal_set:
            goal_sets.setdefault(goal_set, []).append(code)
        goal_labels[code] = Label(title_da, title_en or title_da)
    return Reference(
        area_parents=parents,
        area_schemes={a.code: a.scheme for a in areas},
        area_names={a.code: Label(a.name_da, a.name_en) for a in areas},
        theme_parents={t.code: t.parent_code for t in themes},
        theme_labels={t.code: Label(t.label_da, t.label_en) for t in themes},
        target_group_labels={code: Label(da, en) for code, da, en in groups},
        organisations=organisations,
        goal_sets=goal_sets,
        goal_labels=goal_labels,
    )


# Long texts the analyses never read; leaving them in the database makes a slice of
# thousands of projects several times cheaper to load.
LONG_TEXTS = ("description", "contact", "partners", "links")


def _columns(session: Session, *, full: bool) -> tuple[Any, ...]:
    data: Any = Project.data
    if not full:
        if session.get_bind().dialect.name == "postgresql":
            data = type_coerce(
                cast(Project.data, JSONB).op("-", return_type=JSONB)(
                    cast(array(LONG_TEXTS), ARRAY(Text))
                ),
                JSONB,
            )
        else:
            data = func.json_remove(Project.data, *(f"$.{key}" for key in LONG_TEXTS), type_=JSON)
    moments: tuple[Any, Any] = (Project.created_at, Project.updated_at)
    if session.get_bind().dialect.name == "sqlite":
        # SQLAlchemy parses SQLite's timestamp text with a regular expression, which
        # costs more than everything else on a large slice; fromisoformat is C.
        moments = (type_coerce(Project.created_at, String), type_coerce(Project.updated_at, String))
    return (
        Project.id,
        Project.organisation_id,
        Project.external_id,
        data,
        Project.revision,
        Project.withdrawn,
        *moments,
    )


def _record(row: tuple[Any, ...]) -> ProjectRecord:
    project_id, organisation_id, external_id, data, revision, withdrawn, created, updated = row
    return ProjectRecord(
        id=project_id,
        organisation_id=organisation_id,
        external_id=external_id,
        data=data,
        revision=revision,
        withdrawn=withdrawn,
        created_at=_moment(created),
        updated_at=_moment(updated),
    )


def _moment(value: dt.datetime | str) -> dt.datetime:
    """A stored timestamp as an aware UTC datetime (SQLite keeps naive UTC text)."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def live_projects(
    session: Session, principal: Principal, *, themes: Iterable[str] | None = None
) -> list[ProjectRecord]:
    """Published, not withdrawn projects the principal may see, optionally with one of ``themes``.

    ``themes`` must already include sub-themes. The cards come without their long texts
    (:data:`LONG_TEXTS`), and rows are read as plain columns, not ORM objects: a
    group's slice can be thousands of projects.
    """
    stmt = select(*_columns(session, full=False)).where(Project.withdrawn.is_(False))
    stmt = stmt.where(visible_clause(principal))
    if themes is not None:
        wanted = sorted(set(themes))
        stmt = stmt.where(
            Project.id.in_(select(ProjectTheme.project_id).where(ProjectTheme.code.in_(wanted)))
        )
    return [_record(row) for row in session.execute(stmt.order_by(Project.id))]


def versions(session: Session) -> tuple[int, int]:
    """(catalogue version, reference-data version): together they say whether anything changed.

    Every publish bumps the catalogue version; every change to reference data is an
    audit entry.
    """
    catalogue = session.scalar(select(CatalogState.version).where(CatalogState.id == 1))
    reference = session.scalar(select(func.max(AuditEntry.id)))
    return int(catalogue or 0), int(reference or 0)


def changed_projects(session: Session, since: int) -> list[ProjectRecord]:
    """Every project (withdrawn and non-public included) changed after catalogue version ``since``.

    Without long texts, like :func:`live_projects`; the caller filters by visibility.
    """
    stmt = select(*_columns(session, full=False)).where(Project.catalog_version > since)
    return [_record(row) for row in session.execute(stmt.order_by(Project.id))]


def projects_by_id(
    session: Session, principal: Principal, project_ids: Collection[int], *, full: bool = False
) -> list[ProjectRecord]:
    """Live, visible projects among ``project_ids`` (``full``: with their long texts)."""
    found: list[ProjectRecord] = []
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), 500):
        stmt = (
            select(*_columns(session, full=full))
            .where(Project.id.in_(ids[start : start + 500]))
            .where(Project.withdrawn.is_(False))
            .where(visible_clause(principal))
        )
        found += [_record(row) for row in session.execute(stmt)]
    return found
