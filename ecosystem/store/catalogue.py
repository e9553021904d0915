"""What the analyses read: every live project without its long texts, and the reference data.

The per-process catalogue (:mod:`ecosystem.services.catalogue`) is built from these:
the versions say whether anything changed, :func:`changed_projects` brings it up to date,
and :func:`reference_for_analysis` reads places, taxonomy, organisations and goals.
Rows are read as plain columns, not ORM objects: a slice can be thousands of projects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import JSON, BigInteger, String, Text, cast, func, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, array
from sqlalchemy.orm import Session

from ecosystem.groups import OrganisationInfo, Reference
from ecosystem.labels import Label
from ecosystem.model import Principal, ProjectRecord
from ecosystem.store.projects import visible_clause
from ecosystem.store.tables import (
    Area,
    AreaParent,
    AuditEntry,
    CatalogState,
    Goal,
    Organisation,
    OrganisationArea,
    Project,
    ProjectTheme,
    TargetGroup,
    Theme,
)

__all__ = [
    "LONG_TEXTS",
    "Stamps",
    "cards_with_stamps",
    "changed_count",
    "changed_projects",
    "live_projects",
    "projects_by_id",
    "reference_for_analysis",
    "stamps",
    "versions",
]


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


@dataclass(frozen=True)
class Stamps:
    """Which version of each project was read: id, catalogue version, revision, update time.

    Ordered by id. Saved beside what was built from those rows, they tell later whether
    the database still holds them (a catalogue version is only ever given once, and the
    update time tells a database emptied and filled again apart). The time is a number
    the database computes from the stored value, the same way for both reads, so it
    serves as a fingerprint; it is not read as a time.
    """

    ids: npt.NDArray[np.int64]
    versions: npt.NDArray[np.int64]
    revisions: npt.NDArray[np.int64]
    moments: npt.NDArray[np.int64]

    @classmethod
    def of(cls, rows: Sequence[Sequence[int]]) -> Stamps:
        table = np.array(rows, np.int64).reshape(len(rows), 4)
        return cls(*(np.ascontiguousarray(table[:, column]) for column in range(4)))


def _stamp_columns(session: Session) -> tuple[Any, ...]:
    """id, catalogue version, revision, and the update time as a whole number."""
    if session.get_bind().dialect.name == "sqlite":  # naive UTC text, microseconds shown
        days = func.julianday(Project.updated_at) - 2440587.5
        moment = cast(func.round(days * 86_400_000_000), BigInteger)
    else:
        moment = cast(func.extract("epoch", Project.updated_at) * 1_000_000, BigInteger)
    return (Project.id, Project.catalog_version, Project.revision, moment)


def cards_with_stamps(session: Session, since: int) -> tuple[list[ProjectRecord], Stamps]:
    """Every project changed after catalogue version ``since``, whole (withdrawn ones too),
    ordered by id, and the stamps of those very rows (one statement, so they agree)."""
    record_columns = _columns(session, full=True)
    stmt = select(*record_columns, *_stamp_columns(session)).where(Project.catalog_version > since)
    rows = session.execute(stmt.order_by(Project.id)).all()
    width = len(record_columns)
    records = [_record(tuple(row[:width])) for row in rows]
    return records, Stamps.of([tuple(row[width:]) for row in rows])


def stamps(session: Session) -> Stamps:
    """Every project's stamp, withdrawn ones included (four small columns a row)."""
    rows = session.execute(select(*_stamp_columns(session)).order_by(Project.id)).all()
    return Stamps.of([tuple(row) for row in rows])


def changed_count(session: Session, since: int) -> tuple[int, int]:
    """(projects changed after catalogue version ``since``, all projects), withdrawn included."""
    changed = func.count().filter(Project.catalog_version > since)
    found = session.execute(select(changed, func.count()).select_from(Project)).one()
    return int(found[0]), int(found[1])
